/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rcptguard-native-host.c - the native-messaging host of the Thunderbird add-on
 * (plugin/thunderbird/PROTOCOL.md): requests on standard input, answers on standard output,
 * until the end of input.  Requests are handled one at a time; a "record" is answered once
 * the decision log's writer has written it, so its answer may come after later ones.
 *
 * Thunderbird starts it with the manifest's path and the add-on's id as arguments; they say
 * nothing the host needs, and are ignored.  Exit status: 0 at the end of input, 1 when
 * reading or writing fails (Thunderbird has gone).
 */
#define G_LOG_DOMAIN "rcptguard"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gi18n-lib.h>

#include "rg-host-channel.h"
#include "rg-host-session.h"

/* Where the translations are: the installed ones, but for the test-only variant, which reads
 * those of the build tree (meson.build). */
#ifndef RG_HOST_LOCALEDIR
# define RG_HOST_LOCALEDIR LOCALEDIR
#endif

/* Standard output is the protocol's alone, but GLib writes debug and info messages there
 * (g_log_writer_standard_streams ()), and so may any library: the channel writes to a copy
 * of it, and standard output itself goes where standard error goes. */
static int
take_stdout (void)
{
  int fd = fcntl (STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);

  if (fd < 0 || dup2 (STDERR_FILENO, STDOUT_FILENO) < 0)
    {
      g_printerr ("rcptguard-native-host: standard output: %s\n", g_strerror (errno));
      return -1;
    }
  return fd;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr (RgHostChannel) channel = NULL;
  /* Freed first, at return: it waits a little for the records still being written. */
  g_autoptr (RgHostSession) session = NULL;
  int out_fd;

  /* Labels and descriptions are translated into Thunderbird's locale, which the host
   * inherits. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, RG_HOST_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_set_prgname ("rcptguard-native-host");

  /* A write to a closed pipe is an error to handle (EPIPE), not a signal that kills. */
  signal (SIGPIPE, SIG_IGN);

  out_fd = take_stdout ();
  if (out_fd < 0)
    return 1;

  channel = rg_host_channel_new (STDIN_FILENO, out_fd);
  session = rg_host_session_new (channel);
  for (;;)
    {
      g_autoptr (GBytes) request = NULL;
      g_autoptr (GBytes) answer = NULL;
      g_autoptr (GError) error = NULL;
      gsize len = 0;
      const char *data;

      switch (rg_host_channel_read (channel, &request, &error))
        {
        case RG_HOST_READ_EOF:
          return 0;
        case RG_HOST_READ_ERROR:
          g_printerr ("rcptguard-native-host: %s\n", error->message);
          return 1;
        case RG_HOST_READ_TOO_LONG:
          answer = rg_host_session_answer_too_long ();
          break;
        case RG_HOST_READ_OK:
        default:
          data = g_bytes_get_data (request, &len);
          answer = rg_host_session_handle (session, data != NULL ? data : "", len);
          break;
        }
      if (answer == NULL)
        continue; /* a record, answered by the log's writer */

      data = g_bytes_get_data (answer, &len);
      if (!rg_host_channel_write (channel, data, len, &error))
        {
          g_printerr ("rcptguard-native-host: %s\n", error->message);
          return 1;
        }
    }
}
