/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-host-channel.c - the native host as Thunderbird drives it: the input is its standard
 * input, framed messages (a 32-bit length in the machine's byte order, then the bytes) or
 * anything else, read by the channel and answered by a session as rcptguard-native-host's
 * loop does.  The channel must return each message exactly as framed, stop at the end of
 * input, and every request must get exactly one answer on the output: strict UTF-8 JSON with
 * the id of a request, or null.
 */
#include "rg-fuzz-env.h"
#include "rg-fuzz-json.h"
#include "rg-host-channel.h"
#include "rg-host-session.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* A memory file holding @size bytes of @data, read from the start. */
static int
memory_file (const uint8_t *data,
             size_t         size)
{
  int fd = memfd_create ("channel", MFD_CLOEXEC);

  if (fd < 0 || (size > 0 && write (fd, data, size) != (ssize_t) size)
      || lseek (fd, 0, SEEK_SET) != 0)
    abort ();
  return fd;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  int in = memory_file (data, size);
  int out = memory_file (NULL, 0);
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (RgHostChannel) channel = rg_host_channel_new (in, out);
  RgHostSession *session;
  guint n_requests = 0;
  gsize at = 0;

  rg_fuzz_env_init ();
  session = rg_host_session_new (channel);
  for (;;)
    {
      g_autoptr (GBytes) request = NULL;
      g_autoptr (GBytes) answer = NULL;
      g_autoptr (GError) error = NULL;
      RgHostReadStatus status = rg_host_channel_read (channel, &request, &error);
      const char *message;
      guint32 framed;
      gsize len = 0;
      gint64 id;

      if (status == RG_HOST_READ_EOF)
        break;
      /* A memory file never fails, and a frame over the limit ends past the input. */
      if (status != RG_HOST_READ_OK)
        abort ();
      message = g_bytes_get_data (request, &len);
      if (size - at < sizeof framed)
        abort ();
      memcpy (&framed, data + at, sizeof framed);
      if (framed != len || size - at - sizeof framed < len
          || (len > 0 && memcmp (message, data + at + sizeof framed, len) != 0))
        abort ();
      at += sizeof framed + len;

      n_requests++;
      if (rg_fuzz_json_is_strict (message != NULL ? message : "", len)
          && rg_fuzz_json_get_request_id (message, len, &id))
        g_array_append_val (ids, id);
      answer = rg_host_session_handle (session, message != NULL ? message : "", len);
      if (answer == NULL)
        continue;
      message = g_bytes_get_data (answer, &len);
      if (!rg_host_channel_write (channel, message, len, &error))
        abort ();
    }
  /* At the end of input: nothing left but a frame cut short. */
  if (size - at >= sizeof (guint32))
    {
      guint32 framed;

      memcpy (&framed, data + at, sizeof framed);
      if (framed <= size - at - sizeof framed)
        abort ();
    }
  /* Freeing waits for the records still being written, whose answers go to @out. */
  rg_host_session_free (session);
  /* One answer per request, with its id or null. */
  if (rg_fuzz_check_answer_frames (out, ids) != n_requests)
    abort ();
  close (in);
  close (out);
  return 0;
}
