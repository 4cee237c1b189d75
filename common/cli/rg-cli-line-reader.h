/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-cli-line-reader.h - lines from a file descriptor, with a bound on their length.
 */
#pragma once

#include <glib.h>

typedef struct _RgCliLineReader RgCliLineReader;

typedef enum {
  RG_CLI_LINE_OK,       /* a line */
  RG_CLI_LINE_TOO_LONG, /* a line longer than the maximum; it was skipped */
  RG_CLI_LINE_EOF,      /* no more lines */
  RG_CLI_LINE_ERROR,    /* read () failed; the error says why */
} RgCliLineStatus;

typedef void (*RgCliBeforeReadFunc) (gpointer user_data);

RgCliLineReader *rg_cli_line_reader_new (int fd, gsize max_line);
void rg_cli_line_reader_free (RgCliLineReader *self);
void rg_cli_line_reader_set_before_read (RgCliLineReader *self, RgCliBeforeReadFunc func,
                                         gpointer user_data);
RgCliLineStatus rg_cli_line_reader_next (RgCliLineReader *self, char **line,
                                         gsize *len, GError **error);
guint64 rg_cli_line_reader_get_line_number (const RgCliLineReader *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RgCliLineReader, rg_cli_line_reader_free)
