/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-host-channel.c - native messaging's framing over two file descriptors.
 *
 * Plain read () and write () with their partial results and EINTR: the host reads one
 * request at a time, so nothing here needs a main loop.  Answers may also come from the
 * decision log's writer thread (a "record" is answered once it is written), so writing is
 * serialised and the channel is reference-counted.
 */
#define G_LOG_DOMAIN "rcptguard"

#include "rg-host-channel.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>

/* An over-long message is thrown away this much at a time. */
#define RG_HOST_DISCARD_CHUNK_BYTES (64u * 1024u)

struct _RgHostChannel
{
  int in_fd;
  int out_fd;
  GMutex write_mutex; /* one message at a time, whole */
};

RgHostChannel *
rg_host_channel_new (int in_fd,
                     int out_fd)
{
  RgHostChannel *self = g_atomic_rc_box_new0 (RgHostChannel);

  self->in_fd = in_fd;
  self->out_fd = out_fd;
  g_mutex_init (&self->write_mutex);
  return self;
}

RgHostChannel *
rg_host_channel_ref (RgHostChannel *self)
{
  return g_atomic_rc_box_acquire (self);
}

static void
channel_clear (gpointer data)
{
  RgHostChannel *self = data;

  g_mutex_clear (&self->write_mutex);
}

void
rg_host_channel_unref (RgHostChannel *self)
{
  if (self != NULL)
    g_atomic_rc_box_release_full (self, channel_clear);
}

static void
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *what)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s: %s", what,
               g_strerror (saved_errno));
}

/* Reads up to @len bytes into @buffer, fewer only at end of input.  Returns the number read,
 * or -1 with @error set. */
static gssize
read_full (RgHostChannel  *self,
           void           *buffer,
           gsize           len,
           GError        **error)
{
  gsize done = 0;

  while (done < len)
    {
      gssize n = read (self->in_fd, (char *) buffer + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          set_errno_error (error, errno, "reading standard input");
          return -1;
        }
      if (n == 0)
        break;
      done += (gsize) n;
    }
  return (gssize) done;
}

/* Reads and throws away @len bytes, a chunk at a time. */
static RgHostReadStatus
discard (RgHostChannel  *self,
         guint64         len,
         GError        **error)
{
  g_autofree char *chunk = g_malloc (RG_HOST_DISCARD_CHUNK_BYTES);

  while (len > 0)
    {
      gsize want = (gsize) MIN (len, (guint64) RG_HOST_DISCARD_CHUNK_BYTES);
      gssize n = read_full (self, chunk, want, error);

      if (n < 0)
        return RG_HOST_READ_ERROR;
      if ((gsize) n < want)
        return RG_HOST_READ_EOF;
      len -= want;
    }
  return RG_HOST_READ_TOO_LONG;
}

/**
 * rg_host_channel_read:
 *
 * Blocks until a whole message, the end of input, or an error.  A message of zero bytes is
 * a message (which is not JSON: the caller says so).
 */
RgHostReadStatus
rg_host_channel_read (RgHostChannel  *self,
                      GBytes        **message,
                      GError        **error)
{
  guint32 len = 0;
  g_autofree char *data = NULL;
  gssize n;

  *message = NULL;
  n = read_full (self, &len, sizeof len, error);
  if (n < 0)
    return RG_HOST_READ_ERROR;
  if ((gsize) n < sizeof len)
    return RG_HOST_READ_EOF;

  if (len > RG_HOST_MAX_REQUEST_BYTES)
    return discard (self, len, error);

  data = g_malloc (MAX (len, 1u));
  n = read_full (self, data, len, error);
  if (n < 0)
    return RG_HOST_READ_ERROR;
  if ((gsize) n < len)
    return RG_HOST_READ_EOF;
  *message = g_bytes_new_take (g_steal_pointer (&data), len);
  return RG_HOST_READ_OK;
}

/**
 * rg_host_channel_write:
 *
 * The length and the message go out in one buffer: one write () for a reader that is
 * waiting, and never a length without its message unless writing fails.  Thread-safe: a
 * message is never interleaved with another.
 */
gboolean
rg_host_channel_write (RgHostChannel  *self,
                       const char     *data,
                       gsize           len,
                       GError        **error)
{
  g_autofree char *frame = NULL;
  guint32 len32;
  gsize total;
  gsize done = 0;

  if (len > RG_HOST_MAX_ANSWER_BYTES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                   "an answer of %" G_GSIZE_FORMAT " bytes is over the limit of %u", len,
                   RG_HOST_MAX_ANSWER_BYTES);
      return FALSE;
    }

  len32 = (guint32) len;
  total = sizeof len32 + len;
  frame = g_malloc (total);
  memcpy (frame, &len32, sizeof len32);
  memcpy (frame + sizeof len32, data, len);

  g_mutex_lock (&self->write_mutex);
  while (done < total)
    {
      gssize n = write (self->out_fd, frame + done, total - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          set_errno_error (error, errno, "writing standard output");
          break;
        }
      done += (gsize) n;
    }
  g_mutex_unlock (&self->write_mutex);
  return done == total;
}
