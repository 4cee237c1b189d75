/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-cli-writer.c - buffered output to a file descriptor in whole lines, with its errors.
 *
 * Output goes straight to the descriptor with write (), not through stdio: the buffer is
 * handed over only at line boundaries, so a reader never sees half a JSON line unless the
 * system itself fails in the middle of one write; and every failure (a full disk, a closed
 * pipe) is seen where it happens and reported once.
 */
#include "rg-cli-writer.h"

#include <errno.h>
#include <poll.h>
#include <unistd.h>

#include <gio/gio.h>

/* The buffer is written out once it holds this much. */
#define RG_CLI_WRITE_THRESHOLD (64u * 1024u)

struct _RgCliWriter {
  int fd;
  GString *buf;
  GError *error;          /* the first write error; nothing is written after it */
};

/**
 * rg_cli_writer_new:
 * @fd: a writable file descriptor; not closed by the writer
 *
 * Returns: (transfer full): a writer.
 */
RgCliWriter *
rg_cli_writer_new (int fd)
{
  RgCliWriter *self = g_new0 (RgCliWriter, 1);

  self->fd = fd;
  self->buf = g_string_sized_new (RG_CLI_WRITE_THRESHOLD * 2);
  return self;
}

/**
 * rg_cli_writer_free:
 *
 * Frees the writer without flushing it: call rg_cli_writer_flush () first.
 */
void
rg_cli_writer_free (RgCliWriter *self)
{
  if (self == NULL)
    return;
  g_string_free (self->buf, TRUE);
  g_clear_error (&self->error);
  g_free (self);
}

/**
 * rg_cli_writer_get_error:
 *
 * Returns: (transfer none) (nullable): the first write error, or NULL.
 */
const GError *
rg_cli_writer_get_error (const RgCliWriter *self)
{
  return self->error;
}

/**
 * rg_cli_writer_flush:
 *
 * Writes out everything buffered.
 *
 * Returns: %FALSE when this or an earlier write failed (see rg_cli_writer_get_error ()).
 */
gboolean
rg_cli_writer_flush (RgCliWriter *self)
{
  gsize done = 0;

  if (self->error != NULL)
    return FALSE;

  while (done < self->buf->len)
    {
      gssize n = write (self->fd, self->buf->str + done, self->buf->len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        {
          /* Standard output was left non-blocking by someone else: wait until it drains. */
          struct pollfd pfd = { .fd = self->fd, .events = POLLOUT };

          if (poll (&pfd, 1, -1) >= 0 || errno == EINTR)
            continue;
        }
      if (n <= 0)
        {
          int saved_errno = n < 0 ? errno : EIO;

          g_set_error_literal (&self->error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               g_strerror (saved_errno));
          g_string_truncate (self->buf, 0);
          return FALSE;
        }
      done += (gsize) n;
    }

  g_string_truncate (self->buf, 0);
  return TRUE;
}

/**
 * rg_cli_writer_write:
 * @lines: one or more complete lines, each ending in "\n"
 * @len: the length of @lines
 *
 * Buffers @lines and writes the buffer out once it is large.
 *
 * Returns: %FALSE when writing failed now or earlier; nothing more is written then.
 */
gboolean
rg_cli_writer_write (RgCliWriter *self,
                     const char  *lines,
                     gsize        len)
{
  if (self->error != NULL)
    return FALSE;

  g_string_append_len (self->buf, lines, (gssize) len);
  if (self->buf->len >= RG_CLI_WRITE_THRESHOLD)
    return rg_cli_writer_flush (self);
  return TRUE;
}
