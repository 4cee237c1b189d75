/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-jsonl-file.h - a file of lines that any number of processes append to at once, rotated
 * by size: PATH, then PATH.1 (newer) ... PATH.N (oldest), older ones dropped.
 *
 * Each line is one write () with O_APPEND, made under an flock () of PATH.lock together with
 * the decision to rotate, so lines are never torn, lost or written twice, and rotation happens
 * once however many processes cross the size at the same moment.  Files are created 0600 in
 * a folder created 0700.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* PATH is rotated before a line would take it past this size (unless it is empty: a line
 * longer than the size still gets a file of its own). */
#define RG_JSONL_FILE_DEFAULT_MAX_BYTES (1024 * 1024)
/* How many rotated files are kept (PATH.1 ... PATH.4). */
#define RG_JSONL_FILE_DEFAULT_KEEP 4u
/* The most rotated files kept, and looked for by readers. */
#define RG_JSONL_FILE_MAX_KEEP 99u

typedef struct _RgJsonlFile RgJsonlFile;

/* A file at @path (not opened yet); @max_bytes at least 1, @keep from 1 to
 * RG_JSONL_FILE_MAX_KEEP (clamped).  Reference-counted (atomically); one thread at a time
 * appends to it. */
RgJsonlFile *rg_jsonl_file_new (const char *path, gint64 max_bytes, guint keep);
RgJsonlFile *rg_jsonl_file_ref (RgJsonlFile *self);
void rg_jsonl_file_unref (RgJsonlFile *self);
const char *rg_jsonl_file_get_path (const RgJsonlFile *self);

/* Appends @len bytes, one whole line ending in "\n", with one write ().  On failure (no
 * folder, no space, ...) nothing of the line stays in the file and @error says why. */
gboolean rg_jsonl_file_append (RgJsonlFile  *self,
                               const char   *line,
                               gsize         len,
                               GError      **error);

/* One file of a log, opened for reading. */
typedef struct {
  int fd;
  char *path;
} RgJsonlPart;

/* Opens the rotated files of @path and @path itself, oldest first, under a shared lock so
 * that no rotation happens in between: reading the descriptors afterwards gives each line
 * once, in order, whatever writers do meanwhile.  Files that do not exist are left out;
 * none at all is an empty array.  The array's free function closes the descriptors. */
GPtrArray *rg_jsonl_file_open_parts (const char  *path,
                                     GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RgJsonlFile, rg_jsonl_file_unref)

G_END_DECLS
