/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-presend: the time Recipient Guard adds to Evolution's Send, without the dialog.
 *
 *   bench-presend KNOWN-FILE ADDRESS-FILE [ITERATIONS]
 *
 * It builds the checker from the known domains (what RgGuard does when an address book
 * changes, never at Send), then, per iteration, does exactly what the presend handler does
 * before it shows a dialog: takes the composer's To, Cc and Bcc destinations (real
 * EDestination objects, 60/30/10 of the addresses), flattens them, checks them, and writes
 * the translated sentence of every flagged recipient.  It prints the build time and the
 * median, 95th percentile and maximum of the per-Send time against the budget of 20 ms.
 */
#include <locale.h>
#include <stdio.h>

#include <glib.h>
#include <libebook/libebook.h>

#include "rg-autoptr.h"
#include "rg-finding-text.h"
#include "rg-recipients.h"

static GPtrArray *
read_lines (const char *path)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  if (!g_file_get_contents (path, &text, NULL, &error))
    {
      g_printerr ("bench-presend: %s\n", error->message);
      exit (66);
    }
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*g_strstrip (lines[i]) != '\0' && lines[i][0] != '#')
      g_ptr_array_add (out, g_strdup (lines[i]));
  return out;
}

static EDestination **
destinations (GPtrArray *addresses,
              guint      from,
              guint      to)
{
  EDestination **dests = g_new0 (EDestination *, to - from + 1);

  for (guint i = from; i < to; i++)
    {
      dests[i - from] = e_destination_new ();
      e_destination_set_name (dests[i - from], "Someone");
      e_destination_set_email (dests[i - from], g_ptr_array_index (addresses, i));
    }
  return dests;
}

static EDestination **
copy (EDestination **dests)
{
  guint n = g_strv_length ((char **) dests);
  EDestination **out = g_new0 (EDestination *, n + 1);

  for (guint i = 0; i < n; i++)
    out[i] = e_destination_copy (dests[i]);
  return out;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr (GPtrArray) known = NULL;
  g_autoptr (GPtrArray) addresses = NULL;
  g_autoptr (rg_config) config = rg_config_new ();
  g_autoptr (rg_checker) checker = NULL;
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  EDestination **to, **cc, **bcc;
  guint iterations = argc > 3 ? (guint) g_ascii_strtoull (argv[3], NULL, 10) : 200;
  gsize flagged = 0;
  gint64 start;
  rg_status status;

  setlocale (LC_ALL, "");
  if (argc < 3 || iterations == 0)
    {
      g_printerr ("usage: bench-presend KNOWN-FILE ADDRESS-FILE [ITERATIONS]\n");
      return 64;
    }
  known = read_lines (argv[1]);
  addresses = read_lines (argv[2]);
  if (addresses->len < 100)
    {
      g_printerr ("bench-presend: %s has fewer than 100 addresses\n", argv[2]);
      return 65;
    }

  start = g_get_monotonic_time ();
  for (guint i = 0; i < known->len; i++)
    rg_config_add_known (config, g_ptr_array_index (known, i), 1 + i % 300);
  status = rg_checker_new (config, &checker);
  if (status != RG_OK)
    {
      g_printerr ("bench-presend: %s\n", rg_strerror (status));
      return 70;
    }
  g_print ("checker built from %u known domains in %.1f ms (at start and after a change, "
           "not at Send)\n", known->len, (g_get_monotonic_time () - start) / 1000.0);

  to = destinations (addresses, 0, 60);
  cc = destinations (addresses, 60, 90);
  bcc = destinations (addresses, 90, 100);

  for (guint iteration = 0; iteration < iterations; iteration++)
    {
      g_autoptr (RgRecipients) recipients = NULL;
      g_autoptr (rg_report) report = NULL;
      const char *const *lists;
      gsize n;
      double ms;

      start = g_get_monotonic_time ();
      recipients = rg_recipients_new (copy (to), copy (cc), copy (bcc));
      lists = rg_recipients_get_lists (recipients, &n);
      status = rg_checker_check (checker, lists, n, &report);
      if (status != RG_OK)
        {
          g_printerr ("bench-presend: %s\n", rg_strerror (status));
          return 70;
        }
      flagged = 0;
      for (gsize i = 0; i < rg_report_get_n_findings (report); i++)
        {
          const rg_finding *finding = rg_report_get_finding (report, i);
          g_autofree char *text = NULL;

          if (rg_finding_get_verdict (finding) < RG_VERDICT_WARN)
            continue;
          text = rg_finding_dup_description (finding, FALSE);
          flagged += text[0] != '\0';
        }
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (times, ms);
    }
  g_array_sort (times, compare_doubles);

  g_print ("presend, 100 recipients (%" G_GSIZE_FORMAT " flagged), %u known domains, "
           "%u runs: median %.2f ms, p95 %.2f ms, max %.2f ms (budget 20 ms)\n",
           flagged, known->len, iterations,
           g_array_index (times, double, times->len / 2),
           g_array_index (times, double, (times->len * 95) / 100),
           g_array_index (times, double, times->len - 1));

  e_destination_freev (to);
  e_destination_freev (cc);
  e_destination_freev (bcc);
  return 0;
}
