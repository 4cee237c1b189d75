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
#include <glib/gstdio.h>

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

  self = g_atomic_rc_box_new0 (RgJsonlFile);
  self->path = g_strdup (path);
  self->lock_path = g_strconcat (path, ".lock", NULL);
  self->folder = g_path_get_dirname (path);
  self->max_bytes = MAX (max_bytes, 1);
  self->keep = CLAMP (keep, 1, RG_JSONL_FILE_MAX_KEEP);
  self->lock_fd = -1;
  return self;
}

static void
jsonl_file_clear (gpointer data)
{
  RgJsonlFile *self = data;

  if (self->lock_fd >= 0)
    close (self->lock_fd);
  g_free (self->path);
  g_free (self->lock_path);
  g_free (self->folder);
}

/* A writer thread keeps the file it was given while the log moves on to another. */
RgJsonlFile *
rg_jsonl_file_ref (RgJsonlFile *self)
{
  return g_atomic_rc_box_acquire (self);
}

void
rg_jsonl_file_unref (RgJsonlFile *self)
{
  if (self != NULL)
    g_atomic_rc_box_release_full (self, jsonl_file_clear);
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

/* open (@path, @flags, 0600) for a file of the log, which must be a regular file: never
 * through a symbolic link (a link would let a line, or a created lock, land wherever it
 * points), and never waiting (opening a FIFO blocks until someone opens its other end, which
 * would freeze Send).  Anything else is refused with ELOOP or EINVAL, said in @error. */
static int
open_regular (const char  *path,
              int          flags,
              const char  *what,
              GError     **error)
{
  struct stat st;
  int fd = open (path, flags | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK, 0600);

  if (fd < 0)
    {
      int saved_errno = errno;

      if (saved_errno == ELOOP)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_LINKS,
                     "%s %s: it is a symbolic link, which the log never follows", what, path);
      else if (saved_errno == ENXIO)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                     "%s %s: it is not a regular file (a FIFO or a socket)", what, path);
      else
        rg_set_io_error (error, saved_errno, what, path);
      errno = saved_errno;
      return -1;
    }
  if (fstat (fd, &st) != 0)
    {
      int saved_errno = errno;

      close (fd);
      rg_set_io_error (error, saved_errno, what, path);
      errno = saved_errno;
      return -1;
    }
  if (!S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   "%s %s: it is not a regular file", what, path);
      errno = EINVAL;
      return -1;
    }
  /* Back to blocking: O_NONBLOCK only kept open () from waiting. */
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
  return fd;
}

/* Opens PATH.lock once; reopens it when it is no longer the file at that
 * path (the folder was removed and made again), since a lock on a file nobody else opens
 * excludes nobody.  FALSE when there is no lock to be had (a read-only folder without the
 * file, a link or a FIFO in its place): the line is then appended without it, and without
 * rotating, rather than lost. */
static gboolean
ensure_lock_file (RgJsonlFile *self)
{
  g_autoptr (GError) error = NULL;
  struct stat held, current;

  if (self->lock_fd >= 0)
    {
      if (fstat (self->lock_fd, &held) == 0 && lstat (self->lock_path, &current) == 0
          && held.st_dev == current.st_dev && held.st_ino == current.st_ino)
        return TRUE;
      close (self->lock_fd);
      self->lock_fd = -1;
    }

  self->lock_fd = open_regular (self->lock_path, O_RDWR | O_CREAT, "cannot open", &error);
  if (self->lock_fd < 0)
    g_debug ("Decision log: %s; appending without rotating", error->message);
  return self->lock_fd >= 0;
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

/* Opens PATH for appending, and for reading its last byte (ends_inside_line ()); its size
 * in @st. */
static int
open_for_append (RgJsonlFile  *self,
                 struct stat  *st,
                 GError      **error)
{
  int fd = open_regular (self->path, O_RDWR | O_APPEND | O_CREAT, "cannot open", error);

  if (fd >= 0 && fstat (fd, st) != 0)
    {
      rg_set_io_error (error, errno, "cannot open", self->path);
      close (fd);
      return -1;
    }
  return fd;
}

/* Whether the file of @fd, @size bytes long, ends inside a line: a writer that did not hold
 * the lock when its write fell short (a full disk) leaves half a line, which nobody else may
 * cut back.  The next line then starts on a line of its own instead of being glued to it. */
static gboolean
ends_inside_line (int   fd,
                  off_t size)
{
  char last = '\n';

  return size > 0 && pread (fd, &last, 1, size - 1) == 1 && last != '\n';
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
  g_autofree char *repaired = NULL;
  struct stat st;
  ssize_t n;
  int saved_errno;
  int fd;

  fd = open_for_append (self, &st, error);
  if (fd < 0)
    return FALSE;
  if (locked && st.st_size > 0 && (guint64) st.st_size + len > (guint64) self->max_bytes)
    {
      close (fd);
      rotate (self);
      fd = open_for_append (self, &st, error);
      if (fd < 0)
        return FALSE;
    }
  if (ends_inside_line (fd, st.st_size))
    {
      repaired = g_strconcat ("\n", line, NULL);
      line = repaired;
      len++;
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

  /* A short write (a full disk, a file size limit) would leave half a line.  Under the lock
   * the size before is the end of the file as it was, so cutting back to it removes exactly
   * our part; without the lock another writer may have appended since, and the half line
   * stays for the next writer to step over (ends_inside_line ()). */
  saved_errno = n < 0 ? errno : (errno != 0 ? errno : ENOSPC);
  if (n > 0 && locked)
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

  if (g_mkdir_with_parents (self->folder, 0700) != 0)
    return rg_set_io_error (error, errno, "cannot create the folder", self->folder);
  locked = ensure_lock_file (self) && lock_within_budget (self->lock_fd, LOCK_EX);
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

/* Adds @path to @parts when it exists; FALSE with @error when it exists but cannot be read
 * (a FIFO or a link in its place among them: a reader must not hang either). */
static gboolean
add_part (GPtrArray   *parts,
          char        *path,
          GError     **error)
{
  int fd = open_regular (path, O_RDONLY, "cannot read", NULL);
  RgJsonlPart *part;

  /* Most of the 99 rotated files looked for do not exist: no message is made for those. */
  if (fd < 0 && errno == ENOENT)
    {
      g_free (path);
      return TRUE;
    }
  if (fd < 0)
    {
      /* Again, for the message: rare, and the second answer is the one reported. */
      fd = open_regular (path, O_RDONLY, "cannot read", error);
      if (fd < 0)
        {
          g_free (path);
          return FALSE;
        }
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
  lock_fd = open_regular (lock_path, O_RDONLY, "cannot open", NULL);
  if (lock_fd >= 0)
    locked = lock_within_budget (lock_fd, LOCK_SH);

  /* A folder that cannot be entered is named, not the first of its files looked for. */
  {
    g_autofree char *folder = g_path_get_dirname (path);

    if (g_access (folder, X_OK) != 0 && errno != ENOENT)
      ok = rg_set_io_error (error, errno, "cannot enter the folder", folder);
  }

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
