/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-test-log-writer - records decisions through RgDecisionLog, as a mail client would, for
 * the tests that need several processes or a system of their own (a private journald, a
 * full file system):
 *
 *   rg-test-log-writer [--folder DIR] [--writer N] [--count C] [--max-bytes B] [--keep K]
 *                      [--journal default|none] [--wait-stdin]
 *
 * Record i (from 0) is a sent-anyway of "Zq7Ops <zq7ops@army.ml>" (flagged: army.mil is known)
 * from "zq7sender@s<i>.w<N>.example", so a reader can tell each record's writer and sequence
 * number by its sender domain, and find any local part that leaked by "zq7".  The settings
 * are the schema's defaults (no GSettings: local parts as HMAC).  With --wait-stdin it
 * writes only once its standard input is closed, so that a test can start all writers at once.
 * Prints "done" and exits 0: a failed record is reported by the log, never by an exit status.
 */
#define G_LOG_DOMAIN "rcptguard-test"

#include <stdio.h>
#include <unistd.h>

#include "rg-autoptr.h"
#include "rg-decision-log.h"

int
main (int    argc,
      char **argv)
{
  g_autofree char *folder = NULL;
  g_autofree char *journal = NULL;
  gint writer = 0;
  gint count = 1;
  gint64 max_bytes = 0;
  gint keep = 0;
  gboolean wait_stdin = FALSE;
  const GOptionEntry entries[] = {
    { "folder", 0, 0, G_OPTION_ARG_FILENAME, &folder, "Log folder", "DIR" },
    { "writer", 0, 0, G_OPTION_ARG_INT, &writer, "Writer number", "N" },
    { "count", 0, 0, G_OPTION_ARG_INT, &count, "Records to write", "C" },
    { "max-bytes", 0, 0, G_OPTION_ARG_INT64, &max_bytes, "Rotation size", "B" },
    { "keep", 0, 0, G_OPTION_ARG_INT, &keep, "Rotated files kept", "K" },
    { "journal", 0, 0, G_OPTION_ARG_STRING, &journal, "default or none", "WRITER" },
    { "wait-stdin", 0, 0, G_OPTION_ARG_NONE, &wait_stdin, "Start at EOF on stdin", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (rg_config) config = rg_config_new ();
  g_autoptr (rg_checker) checker = NULL;
  g_autoptr (rg_report) report = NULL;
  g_autoptr (RgDecisionLog) log = NULL;
  const char *recipients = "Zq7Ops <zq7ops@army.ml>";

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);

  g_assert (rg_config_add_known (config, "army.mil", 10) == RG_OK);
  g_assert (rg_checker_new (config, &checker) == RG_OK);
  g_assert (rg_checker_check (checker, &recipients, 1, &report) == RG_OK);
  g_assert (rg_report_get_verdict (report) == RG_VERDICT_WARN);

  log = rg_decision_log_new (NULL, "evolution");
  if (folder != NULL)
    rg_decision_log_set_folder (log, folder);
  if (max_bytes > 0 || keep > 0)
    rg_decision_log_set_rotation (log, max_bytes > 0 ? max_bytes : 1024 * 1024,
                                  keep > 0 ? (guint) keep : 4);
  if (g_strcmp0 (journal, "none") == 0)
    rg_decision_log_set_journal_writer (log, NULL, NULL, NULL);

  if (wait_stdin)
    {
      char buf[64];

      while (read (STDIN_FILENO, buf, sizeof buf) > 0)
        ;
    }

  for (gint i = 0; i < count; i++)
    {
      g_autofree char *sender = g_strdup_printf ("zq7sender@s%d.w%d.example", i, writer);

      rg_decision_log_record (log, RG_DECISION_SENT_ANYWAY, sender, report, NULL, 0, NULL, FALSE,
                              NULL, NULL);
      /* One Send after another, as a person makes them: the log's queue never fills. */
      rg_decision_log_flush (log, -1);
    }
  puts ("done");
  return 0;
}
