/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-table.c - run the truth table tests/data/verdicts.tsv through librcptguard.
 *
 *   test-table [GTEST-OPTIONS] TABLE
 *
 * Each row names a config, one recipient and the expected verdict, suggestion and first
 * reason code (the format is described at the top of the table).  Every row is checked; all
 * mismatches are reported (file:line, expected and got, with the reason messages) before the
 * test fails.  At the end, the precision and recall of "is a slip" (verdict warn or block)
 * over the table, overall and per class, are printed as TAP comments.
 *
 * Only the public header is used: the table is a black-box test of the library.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "rcptguard.h"
#include "rg-test-locale.h"

#define N_COLUMNS 6

typedef struct {
  guint line;
  char *klass;
  char *config;
  char *input;              /* unescaped */
  char *input_raw;          /* as written in the table, for messages */
  char *verdict;
  char *suggestion;         /* NULL for "-" */
  char *reason;             /* NULL for "-" */
} Row;

typedef struct {
  guint rows;
  guint true_pos;
  guint false_pos;
  guint false_neg;
  guint true_neg;
} Stats;

static const char *table_path = NULL;

static void
row_free (Row *row)
{
  g_free (row->klass);
  g_free (row->config);
  g_free (row->input);
  g_free (row->input_raw);
  g_free (row->verdict);
  g_free (row->suggestion);
  g_free (row->reason);
  g_free (row);
}

static void
stats_add (Stats   *stats,
           gboolean expected_slip,
           gboolean got_slip)
{
  stats->rows++;
  if (expected_slip && got_slip)
    stats->true_pos++;
  else if (!expected_slip && got_slip)
    stats->false_pos++;
  else if (expected_slip && !got_slip)
    stats->false_neg++;
  else
    stats->true_neg++;
}

static gboolean
is_verdict_name (const char *text)
{
  return g_str_equal (text, "ok") || g_str_equal (text, "notice")
         || g_str_equal (text, "warn") || g_str_equal (text, "block");
}

static gboolean
is_reason_code (const char *text)
{
  for (int i = 0; i < RG_N_REASONS; i++)
    {
      if (g_str_equal (text, rg_reason_to_code ((rg_reason) i)))
        return TRUE;
    }
  return FALSE;
}

static gboolean
is_slip (const char *verdict)
{
  return g_str_equal (verdict, "warn") || g_str_equal (verdict, "block");
}

/*
 * Replaces each "\uXXXX" (four hex digits) by the UTF-8 of U+XXXX.  Anything else is copied
 * as it is.  Returns NULL (with *why set) for an escape of a surrogate or of U+0000.
 */
static char *
unescape_input (const char  *text,
                const char **why)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (p[0] == '\\' && p[1] == 'u' && g_ascii_isxdigit (p[2]) && g_ascii_isxdigit (p[3])
          && g_ascii_isxdigit (p[4]) && g_ascii_isxdigit (p[5]))
        {
          gunichar c = 0;

          for (int i = 2; i < 6; i++)
            c = c * 16 + (gunichar) g_ascii_xdigit_value (p[i]);
          if (c == 0 || (c >= 0xd800 && c <= 0xdfff))
            {
              *why = "\\u escape of NUL or of a surrogate";
              g_string_free (out, TRUE);
              return NULL;
            }
          g_string_append_unichar (out, c);
          p += 5;
        }
      else
        {
          g_string_append_c (out, *p);
        }
    }
  return g_string_free (out, FALSE);
}

/*
 * Parses one non-comment line into a row.  Returns NULL and sets *why for a malformed line.
 */
static Row *
parse_row (const char  *line,
           guint        line_number,
           char       **why)
{
  g_auto(GStrv) fields = g_strsplit (line, "\t", -1);
  const char *unescape_why = NULL;
  Row *row;

  if (g_strv_length (fields) != N_COLUMNS)
    {
      *why = g_strdup_printf ("expected %d TAB-separated columns, found %u", N_COLUMNS,
                              g_strv_length (fields));
      return NULL;
    }
  for (int i = 0; i < N_COLUMNS; i++)
    {
      if (fields[i][0] == '\0')
        {
          *why = g_strdup_printf ("column %d is empty", i + 1);
          return NULL;
        }
    }
  if (!is_verdict_name (fields[3]))
    {
      *why = g_strdup_printf ("unknown verdict \"%s\"", fields[3]);
      return NULL;
    }
  if (!g_str_equal (fields[5], "-") && !is_reason_code (fields[5]))
    {
      *why = g_strdup_printf ("unknown reason code \"%s\"", fields[5]);
      return NULL;
    }
  if (g_str_equal (fields[3], "ok") != g_str_equal (fields[5], "-"))
    {
      *why = g_strdup ("the reason must be \"-\" exactly when the verdict is ok");
      return NULL;
    }
  if (!g_utf8_validate (line, -1, NULL))
    {
      *why = g_strdup ("not valid UTF-8");
      return NULL;
    }

  row = g_new0 (Row, 1);
  row->line = line_number;
  row->klass = g_strdup (fields[0]);
  row->config = g_strdup (fields[1]);
  row->input = unescape_input (fields[2], &unescape_why);
  row->input_raw = g_strdup (fields[2]);
  row->verdict = g_strdup (fields[3]);
  row->suggestion = g_str_equal (fields[4], "-") ? NULL : g_strdup (fields[4]);
  row->reason = g_str_equal (fields[5], "-") ? NULL : g_strdup (fields[5]);
  if (row->input == NULL)
    {
      *why = g_strdup (unescape_why);
      row_free (row);
      return NULL;
    }
  return row;
}

/* A use count: decimal digits, at most 2^32 - 1 (GLib rejects signs, spaces and overflow). */
static gboolean
parse_count (const char *text,
             guint32    *count)
{
  guint64 value = 0;

  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT32, &value, NULL))
    return FALSE;
  *count = (guint32) value;
  return TRUE;
}

/*
 * Builds a checker from a config column.  Returns NULL and sets *why when a token is not
 * understood or the library rejects it.
 */
static rg_checker *
build_checker (const char  *config_text,
               char       **why)
{
  g_auto(GStrv) tokens = NULL;
  rg_config *config = rg_config_new ();
  unsigned flags;
  rg_checker *checker = NULL;
  rg_status status;

  if (config == NULL)
    {
      *why = g_strdup ("rg_config_new () failed");
      return NULL;
    }
  flags = rg_config_get_flags (config);

  if (!g_str_equal (config_text, "-"))
    tokens = g_strsplit (config_text, ",", -1);

  for (guint i = 0; tokens != NULL && tokens[i] != NULL; i++)
    {
      const char *token = tokens[i];

      status = RG_OK;
      if (token[0] == '\0' || g_str_equal (token, "-"))
        {
          *why = g_strdup_printf ("empty token or \"-\" among other tokens in \"%s\"",
                                  config_text);
          goto fail;
        }
      else if (g_str_equal (token, "+notice"))
        flags |= RG_CONFIG_NOTICE_NEW_DOMAINS;
      else if (g_str_equal (token, "-lookalikes"))
        flags &= ~(unsigned) RG_CONFIG_CHECK_LOOKALIKES;
      else if (g_str_equal (token, "-builtin"))
        flags &= ~(unsigned) RG_CONFIG_BUILTIN_PROVIDERS;
      else if (g_str_has_prefix (token, "block:"))
        status = rg_config_add_policy (config, RG_POLICY_BLOCK, token + strlen ("block:"));
      else if (g_str_has_prefix (token, "warn:"))
        status = rg_config_add_policy (config, RG_POLICY_WARN, token + strlen ("warn:"));
      else if (g_str_has_prefix (token, "trust:"))
        status = rg_config_add_policy (config, RG_POLICY_TRUSTED, token + strlen ("trust:"));
      else if (token[0] == '+' || token[0] == '-')
        {
          *why = g_strdup_printf ("unknown flag \"%s\"", token);
          goto fail;
        }
      else
        {
          const char *equals = strrchr (token, '=');
          g_autofree char *domain = NULL;
          guint32 count = 1;

          if (equals != NULL)
            {
              if (!parse_count (equals + 1, &count))
                {
                  *why = g_strdup_printf ("bad count in \"%s\"", token);
                  goto fail;
                }
              domain = g_strndup (token, (gsize) (equals - token));
            }
          else
            {
              domain = g_strdup (token);
            }
          status = rg_config_add_known (config, domain, count);
        }

      if (status != RG_OK)
        {
          *why = g_strdup_printf ("config token \"%s\" rejected: %s", token,
                                  rg_strerror_name (status));
          goto fail;
        }
    }

  rg_config_set_flags (config, flags);
  status = rg_checker_new (config, &checker);
  if (status != RG_OK)
    {
      *why = g_strdup_printf ("rg_checker_new () failed: %s", rg_strerror_name (status));
      checker = NULL;
    }
  rg_config_free (config);
  return checker;

fail:
  rg_config_free (config);
  return NULL;
}

static void
append_reasons (GString          *out,
                const rg_finding *finding)
{
  size_t n = rg_finding_get_n_reasons (finding);

  if (n == 0)
    g_string_append (out, "\n      (no reasons)");
  for (size_t i = 0; i < n; i++)
    {
      const char *message = rg_finding_get_reason_message (finding, i);

      g_string_append_printf (out, "\n      %s: %s",
                              rg_reason_to_code (rg_finding_get_reason (finding, i)),
                              message != NULL ? message : "(no message)");
    }
}

/*
 * Checks one row.  Returns NULL when it passes, else the description of the mismatch.
 * *got_slip is set from what the library said (FALSE when it said nothing).
 */
static char *
check_row (GHashTable *checkers,
           const Row  *row,
           gboolean   *got_slip)
{
  g_autoptr(GString) out = g_string_new (NULL);
  rg_checker *checker;
  rg_report *report = NULL;
  const rg_finding *finding;
  const char *lists[1];
  const char *got_verdict;
  const char *got_suggestion;
  const char *got_reason = NULL;
  rg_status status;
  gboolean ok;

  *got_slip = FALSE;
  g_string_printf (out, "%s:%u: [%s] config %s, input \"%s\": ", table_path, row->line,
                   row->klass, row->config, row->input_raw);

  if (!g_hash_table_lookup_extended (checkers, row->config, NULL, (gpointer *) &checker))
    {
      char *why = NULL;

      checker = build_checker (row->config, &why);
      if (checker == NULL)
        {
          g_string_append_printf (out, "bad config: %s", why);
          g_free (why);
          return g_string_free (g_steal_pointer (&out), FALSE);
        }
      g_hash_table_insert (checkers, g_strdup (row->config), checker);
    }

  lists[0] = row->input;
  status = rg_checker_check (checker, lists, 1, &report);
  if (status != RG_OK)
    {
      g_string_append_printf (out, "rg_checker_check () failed: %s (%s)",
                              rg_strerror_name (status), rg_strerror (status));
      return g_string_free (g_steal_pointer (&out), FALSE);
    }
  if (rg_report_get_n_findings (report) != 1)
    {
      g_string_append_printf (out, "expected 1 finding, got %zu",
                              rg_report_get_n_findings (report));
      rg_report_free (report);
      return g_string_free (g_steal_pointer (&out), FALSE);
    }

  finding = rg_report_get_finding (report, 0);
  got_verdict = rg_verdict_to_string (rg_finding_get_verdict (finding));
  got_suggestion = rg_finding_get_suggestion (finding);
  if (rg_finding_get_n_reasons (finding) > 0)
    got_reason = rg_reason_to_code (rg_finding_get_reason (finding, 0));
  *got_slip = is_slip (got_verdict);

  ok = g_str_equal (got_verdict, row->verdict)
       && g_strcmp0 (got_suggestion, row->suggestion) == 0
       && g_strcmp0 (got_reason, row->reason) == 0;
  if (ok)
    {
      rg_report_free (report);
      return NULL;
    }

  g_string_append_printf (out,
                          "\n    expected: %s, suggestion %s, reason %s"
                          "\n    got:      %s, suggestion %s, reason %s (score %d, domain \"%s\")",
                          row->verdict, row->suggestion != NULL ? row->suggestion : "-",
                          row->reason != NULL ? row->reason : "-",
                          got_verdict, got_suggestion != NULL ? got_suggestion : "-",
                          got_reason != NULL ? got_reason : "-",
                          rg_finding_get_score (finding), rg_finding_get_domain (finding));
  append_reasons (out, finding);
  rg_report_free (report);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
print_stats (const char  *label,
             const Stats *stats)
{
  guint predicted = stats->true_pos + stats->false_pos;
  guint actual = stats->true_pos + stats->false_neg;
  g_autofree char *precision = NULL;
  g_autofree char *recall = NULL;

  precision = predicted > 0
              ? g_strdup_printf ("%.3f", (double) stats->true_pos / predicted)
              : g_strdup ("n/a");
  recall = actual > 0
           ? g_strdup_printf ("%.3f", (double) stats->true_pos / actual)
           : g_strdup ("n/a");
  g_test_message ("%-18s rows %4u  slips %4u  precision %s  recall %s  (tp %u fp %u fn %u tn %u)",
                  label, stats->rows, actual, precision, recall, stats->true_pos,
                  stats->false_pos, stats->false_neg, stats->true_neg);
}

static void
test_table (void)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) checkers = NULL;
  g_autoptr(GHashTable) class_stats = NULL;
  g_autoptr(GPtrArray) class_order = NULL;
  Stats total = { 0 };
  guint n_rows = 0;
  guint n_failed = 0;
  guint n_malformed = 0;

  if (!g_file_get_contents (table_path, &contents, NULL, &error))
    {
      g_test_message ("cannot read the table: %s", error->message);
      g_test_fail ();
      return;
    }

  checkers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                    (GDestroyNotify) rg_checker_free);
  class_stats = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  class_order = g_ptr_array_new ();

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      guint line_number = i + 1;
      g_autofree char *why = NULL;
      g_autofree char *mismatch = NULL;
      Row *row;
      Stats *stats;
      gboolean got_slip;

      if (line[0] == '\0' || line[0] == '#')
        continue;
      /* The last line has no newline after g_strsplit; a CR would be a malformed line. */
      row = parse_row (line, line_number, &why);
      if (row == NULL)
        {
          g_test_message ("%s:%u: malformed line: %s", table_path, line_number, why);
          n_malformed++;
          continue;
        }
      n_rows++;

      mismatch = check_row (checkers, row, &got_slip);
      if (mismatch != NULL)
        {
          g_test_message ("%s", mismatch);
          n_failed++;
        }

      stats = g_hash_table_lookup (class_stats, row->klass);
      if (stats == NULL)
        {
          char *key = g_strdup (row->klass);

          stats = g_new0 (Stats, 1);
          g_hash_table_insert (class_stats, key, stats);
          g_ptr_array_add (class_order, key);
        }
      stats_add (stats, is_slip (row->verdict), got_slip);
      stats_add (&total, is_slip (row->verdict), got_slip);
      row_free (row);
    }

  g_test_message ("\"is a slip\" (verdict warn or block), expected vs. got:");
  print_stats ("all", &total);
  for (guint i = 0; i < class_order->len; i++)
    {
      const char *klass = g_ptr_array_index (class_order, i);

      print_stats (klass, g_hash_table_lookup (class_stats, klass));
    }
  g_test_message ("rows: %u, mismatching: %u, malformed lines: %u", n_rows, n_failed,
                  n_malformed);

  if (n_rows == 0)
    {
      g_test_message ("%s: no rows", table_path);
      g_test_fail ();
    }
  if (n_failed > 0 || n_malformed > 0)
    g_test_fail ();
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  gboolean have_tap = FALSE;
  int new_argc;
  char **new_argv;

  rg_test_init_locale ();

  /* meson reads TAP: ask GTest for it (whatever its default in this GLib). */
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--tap"))
        have_tap = TRUE;
    }
  g_ptr_array_add (args, argv[0]);
  if (!have_tap)
    g_ptr_array_add (args, (char *) "--tap");
  /* A failed table is reported as "not ok", not by aborting the program ("Bail out!"). */
  g_ptr_array_add (args, (char *) "--keep-going");
  for (int i = 1; i < argc; i++)
    g_ptr_array_add (args, argv[i]);
  g_ptr_array_add (args, NULL);
  new_argc = (int) args->len - 1;
  new_argv = (char **) args->pdata;

  g_test_init (&new_argc, &new_argv, NULL);

  /* g_test_init () removed its own options; the first remaining argument is the table. */
  if (new_argc != 2)
    {
      fprintf (stderr, "usage: %s [GTEST-OPTIONS] TABLE\n", argv[0]);
      return 2;
    }
  table_path = new_argv[1];

  g_test_add_func ("/table/verdicts", test_table);
  return g_test_run ();
}
