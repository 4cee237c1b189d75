/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-jsonl-file.c - a file of lines appended by many processes at once, rotated by size.
 *
 * Every process (each Evolution window's process, a Thunderbird host, the command) opens PATH
 * anew for each line and decides about rotation under an exclusive flock () of PATH.lock,
 * which it holds until its line is written.  A descriptor kept open across lines would be
 * stale after another process rotated: its lines would go to PATH.1 or into a file already
 * dropped.  So the size that decides is the size of the file at PATH now, seen under the lock.
 *
 * Sending must never wait for the log: the lock is held for microseconds, but a process may
 * be stopped while holding it, so it is waited for at most RG_JSONL_LOCK_BUDGET_US; past that
 * the line is appended without the lock and without rotating (O_APPEND still keeps whole
 * lines whole on a local file system), and the file is rotated by the next writer.
 */
#define G_LOG_DOMAIN "rcptguard"

#include "rg-jsonl-file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>

#include "rg-io-error.h"

/* The longest wait for the lock: long enough to ride out a writer descheduled while holding
 * it on a loaded machine, short enough to be unnoticeable at Send. */
#define RG_JSONL_LOCK_BUDGET_US (G_USEC_PER_SEC / 2)
/* Polling the lock starts at this pause and doubles up to the next. */
#define RG_JSONL_LOCK_PAUSE_MIN_US 20
#define RG_JSONL_LOCK_PAUSE_MAX_US 2000

struct _RgJsonlFile
{
  char *path;
  char *lock_path;
  char *folder;
  gint64 max_bytes;
  guint keep;
  int lock_fd; /* -1 until first used */
};

RgJsonlFile *
rg_jsonl_file_new (const char *path,
                   gint64      max_bytes,
                   guint       keep)
{
  RgJsonlFile *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_new0 (RgJsonlFile, 1);
  self->path = g_strdup (path);
  self->lock_path = g_strconcat (path, ".lock", NULL);
  self->folder = g_path_get_dirname (path);
  self->max_bytes = MAX (max_bytes, 1);
  self->keep = CLAMP (keep, 1, RG_JSONL_FILE_MAX_KEEP);
  self->lock_fd = -1;
  return self;
}

void
rg_jsonl_file_free (RgJsonlFile *self)
{
  if (self == NULL)
    return;
  if (self->lock_fd >= 0)
    close (self->lock_fd);
  g_free (self->path);
  g_free (self->lock_path);
  g_free (self->folder);
  g_free (self);
}

const char *
rg_jsonl_file_get_path (const RgJsonlFile *self)
{
  return self->path;
}

/* flock (@fd, @operation), polled without blocking for at most RG_JSONL_LOCK_BUDGET_US. */
static gboolean
lock_within_budget (int fd,
                    int operation)
{
  gint64 deadline = g_get_monotonic_time () + RG_JSONL_LOCK_BUDGET_US;
  gulong pause = RG_JSONL_LOCK_PAUSE_MIN_US;

  for (;;)
    {
      if (flock (fd, operation | LOCK_NB) == 0)
        return TRUE;
      if (errno != EWOULDBLOCK && errno != EINTR)
        return FALSE;
      if (g_get_monotonic_time () >= deadline)
        return FALSE;
      g_usleep (pause);
      pause = MIN (pause * 2, RG_JSONL_LOCK_PAUSE_MAX_US);
    }
}

/* Opens PATH.lock (and the folder) once; reopens it when it is no longer the file at that
 * path (the folder was removed and made again), since a lock on a file nobody else opens
 * excludes nobody. */
static gboolean
ensure_lock_file (RgJsonlFile  *self,
                  GError      **error)
{
  struct stat held, current;

  if (self->lock_fd >= 0)
    {
      if (fstat (self->lock_fd, &held) == 0 && stat (self->lock_path, &current) == 0
          && held.st_dev == current.st_dev && held.st_ino == current.st_ino)
        return TRUE;
      close (self->lock_fd);
      self->lock_fd = -1;
    }

  if (g_mkdir_with_parents (self->folder, 0700) != 0)
    return rg_set_io_error (error, errno, "cannot create the folder", self->folder);
  self->lock_fd = open (self->lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
  if (self->lock_fd < 0)
    return rg_set_io_error (error, errno, "cannot open", self->lock_path);
  return TRUE;
}

static char *
dup_part_path (const char *path,
               guint       n)
{
  return g_strdup_printf ("%s.%u", path, n);
}

/* PATH.keep-1 -> PATH.keep (dropping the oldest) ... PATH -> PATH.1.  Called with the lock
 * held.  A rename that fails leaves the files as they are: the next line tries again. */
static void
rotate (RgJsonlFile *self)
{
  for (guint n = self->keep; n >= 2; n--)
    {
      g_autofree char *from = dup_part_path (self->path, n - 1);
      g_autofree char *to = dup_part_path (self->path, n);

      if (rename (from, to) != 0 && errno != ENOENT)
        return;
    }
  {
    g_autofree char *to = dup_part_path (self->path, 1);

    rename (self->path, to);
  }
}

static int
open_for_append (const char *path)
{
  return open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
}

/* Writes @line with one write () to the file at PATH, rotating first when @locked and the
 * line would take the file past the size. */
static gboolean
append_to_current (RgJsonlFile  *self,
                   const char   *line,
                   gsize         len,
                   gboolean      locked,
                   GError      **error)
{
  struct stat st;
  ssize_t n;
  int saved_errno;
  int fd;

  fd = open_for_append (self->path);
  if (fd < 0)
    return rg_set_io_error (error, errno, "cannot open", self->path);
  if (fstat (fd, &st) != 0)
    {
      saved_errno = errno;
      close (fd);
      return rg_set_io_error (error, saved_errno, "cannot open", self->path);
    }
  /* Only a regular file is rotated (not /dev/null or a FIFO someone put there). */
  if (locked && S_ISREG (st.st_mode) && st.st_size > 0
      && (guint64) st.st_size + len > (guint64) self->max_bytes)
    {
      close (fd);
      rotate (self);
      fd = open_for_append (self->path);
      if (fd < 0)
        return rg_set_io_error (error, errno, "cannot open", self->path);
      if (fstat (fd, &st) != 0)
        {
          saved_errno = errno;
          close (fd);
          return rg_set_io_error (error, saved_errno, "cannot open", self->path);
        }
    }

  do
    {
      errno = 0;
      n = write (fd, line, len);
    }
  while (n < 0 && errno == EINTR);

  if (n == (ssize_t) len)
    {
      close (fd);
      return TRUE;
    }

  /* A short write (a full disk, a file size limit) would leave half a line, and the next
   * line would be glued to it.  Under the lock the size before is the end of the last whole
   * line, so cutting back to it removes exactly our part. */
  saved_errno = n < 0 ? errno : (errno != 0 ? errno : ENOSPC);
  if (n > 0 && locked && S_ISREG (st.st_mode))
    (void) !ftruncate (fd, st.st_size);
  close (fd);
  return rg_set_io_error (error, saved_errno, "cannot write", self->path);
}

gboolean
rg_jsonl_file_append (RgJsonlFile  *self,
                      const char   *line,
                      gsize         len,
                      GError      **error)
{
  gboolean locked;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (len > 0 && line[len - 1] == '\n', FALSE);

  if (!ensure_lock_file (self, error))
    return FALSE;
  locked = lock_within_budget (self->lock_fd, LOCK_EX);
  ok = append_to_current (self, line, len, locked, error);
  if (locked)
    flock (self->lock_fd, LOCK_UN);
  return ok;
}

static void
part_free (gpointer data)
{
  RgJsonlPart *part = data;

  if (part->fd >= 0)
    close (part->fd);
  g_free (part->path);
  g_free (part);
}

/* Adds @path to @parts when it exists; FALSE with @error when it exists but cannot be read. */
static gboolean
add_part (GPtrArray   *parts,
          char        *path,
          GError     **error)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  RgJsonlPart *part;

  if (fd < 0)
    {
      int saved_errno = errno;

      if (saved_errno == ENOENT)
        {
          g_free (path);
          return TRUE;
        }
      rg_set_io_error (error, saved_errno, "cannot read", path);
      g_free (path);
      return FALSE;
    }
  part = g_new0 (RgJsonlPart, 1);
  part->fd = fd;
  part->path = path;
  g_ptr_array_add (parts, part);
  return TRUE;
}

GPtrArray *
rg_jsonl_file_open_parts (const char  *path,
                          GError     **error)
{
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (part_free);
  g_autofree char *lock_path = g_strconcat (path, ".lock", NULL);
  gboolean locked = FALSE;
  gboolean ok = TRUE;
  int lock_fd;

  /* Read-only: a reader (an administrator looking at another user's log) may not be able to
   * create the lock, and flock () does not need write access.  Without a lock file no writer
   * has rotated yet. */
  lock_fd = open (lock_path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (lock_fd >= 0)
    locked = lock_within_budget (lock_fd, LOCK_SH);

  for (guint n = RG_JSONL_FILE_MAX_KEEP; n >= 1 && ok; n--)
    ok = add_part (parts, dup_part_path (path, n), error);
  if (ok)
    ok = add_part (parts, g_strdup (path), error);

  if (locked)
    flock (lock_fd, LOCK_UN);
  if (lock_fd >= 0)
    close (lock_fd);
  return ok ? g_steal_pointer (&parts) : NULL;
}
