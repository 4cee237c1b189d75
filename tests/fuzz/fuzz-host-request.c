/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-host-request.c - the native host's requests (plugin/thunderbird/PROTOCOL.md): each
 * line of the input is one request to a new session, in order, so that a configure (settings,
 * locked, known, identities, language) comes before the checks it shapes and a check before
 * the records that name it.  Every answer must be strict UTF-8 JSON of the protocol's shape,
 * with the request's id, or null; null for a request that is not strict JSON.  A record taken
 * (no answer at once) is answered on the session's channel, here a memory file, read back once
 * the session is freed: one answer per record, with its id.
 */
#include "rg-fuzz-env.h"
#include "rg-fuzz-json.h"
#include "rg-host-channel.h"
#include "rg-host-session.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Asserts what the answer to the @len bytes of @request must be. */
static void
check_answer (const char *request,
              gsize       len,
              GBytes     *answer)
{
  gsize answer_len;
  const char *answer_data = g_bytes_get_data (answer, &answer_len);
  gint64 request_id = 0;
  gint64 answer_id = 0;
  gboolean has_id = rg_fuzz_check_answer (answer_data, answer_len, &answer_id);

  if (answer_len > RG_HOST_MAX_ANSWER_BYTES)
    abort ();
  if (!has_id)
    return;
  /* Only a request of strict JSON with an integer id gets its id back, and no other id. */
  if (!rg_fuzz_json_is_strict (request, len)
      || !rg_fuzz_json_get_request_id (request, len, &request_id) || request_id != answer_id)
    abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  int out = memfd_create ("answers", MFD_CLOEXEC);
  static int in = -1;
  g_autoptr (GArray) records = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (RgHostChannel) channel = NULL;
  RgHostSession *session;
  const char *line = (const char *) data;
  const char *end = line + size;
  guint n_records = 0;

  rg_fuzz_env_init ();
  if (in < 0)
    in = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  if (out < 0 || in < 0)
    abort ();
  channel = rg_host_channel_new (in, out);
  session = rg_host_session_new (channel);
  while (line < end)
    {
      const char *newline = memchr (line, '\n', (gsize) (end - line));
      gsize len = (gsize) ((newline != NULL ? newline : end) - line);
      g_autoptr (GBytes) answer = rg_host_session_handle (session, line, len);
      gint64 id = 0;

      if (answer != NULL)
        check_answer (line, len, answer);
      else if (!rg_fuzz_json_is_strict (line, len)
               || !rg_fuzz_json_get_request_id (line, len, &id))
        abort (); /* only a record, which has an id, is answered later */
      else
        {
          g_array_append_val (records, id);
          n_records++;
        }
      line += len + 1;
    }
  /* Freeing waits for the records still being written, whose answers go to @out. */
  rg_host_session_free (session);
  /* One answer per record taken, with its id. */
  if (rg_fuzz_check_answer_frames (out, records) != n_records || records->len != 0)
    abort ();
  close (out);
  return 0;
}
