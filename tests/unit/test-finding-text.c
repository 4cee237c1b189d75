/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-finding-text.c - the translated sentences about findings (common/glib/rg-finding-text.h)
 * for real recipients checked by a real checker, in the language of the environment.
 *
 *   test-finding-text [GTEST-OPTIONS] TABLE
 *
 * TABLE is tests/data/finding-text.tsv; its rows for the language in $LANGUAGE ("en" when
 * unset or empty) are checked.  $RG_TEST_LOCALEDIR is the build tree's locale directory with
 * po/<lang>/LC_MESSAGES/rcptguard.mo; country names come from the installed iso-codes.
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib.h>
#include <glib/gi18n-lib.h>

#include "rcptguard.h"
#include "rg-finding-text.h"

/* The columns of the table: language, recipient, locked, first reason code, verdict label,
 * description. */
#define N_COLUMNS 6

typedef struct {
  guint line;
  char *recipient;
  gboolean locked;
  char *reason;
  char *label;
  char *description;
} Row;

static const char *table_path = NULL;
static const char *language = "en";
static rg_checker *checker = NULL;

static void
row_free (Row *row)
{
  g_free (row->recipient);
  g_free (row->reason);
  g_free (row->label);
  g_free (row->description);
  g_free (row);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Row, row_free)

/* The table writes characters a reader could not see, or tell apart, as \uXXXX. */
static char *
unescape (const char *text)
{
  GString *out = g_string_new (NULL);

  while (*text != '\0')
    {
      if (text[0] == '\\' && text[1] == 'u' && g_ascii_isxdigit (text[2])
          && g_ascii_isxdigit (text[3]) && g_ascii_isxdigit (text[4])
          && g_ascii_isxdigit (text[5]))
        {
          char hex[5] = { text[2], text[3], text[4], text[5], '\0' };

          g_string_append_unichar (out, (gunichar) g_ascii_strtoull (hex, NULL, 16));
          text += 6;
        }
      else
        g_string_append_c (out, *text++);
    }
  return g_string_free (out, FALSE);
}

/* The rows of the table for @lang, in order. */
static GPtrArray *
load_rows (const char *lang)
{
  g_autofree char *contents = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GError) error = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);

  g_file_get_contents (table_path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto (GStrv) columns = NULL;
      Row *row;

      if (lines[i][0] == '\0' || lines[i][0] == '#')
        continue;
      columns = g_strsplit (lines[i], "\t", -1);
      if (g_strv_length (columns) != N_COLUMNS)
        g_error ("%s:%u: %u columns, not %u", table_path, i + 1,
                 g_strv_length (columns), N_COLUMNS);
      if (strcmp (columns[0], lang) != 0)
        continue;
      row = g_new0 (Row, 1);
      row->line = i + 1;
      row->recipient = unescape (columns[1]);
      if (strcmp (columns[2], "yes") != 0 && strcmp (columns[2], "no") != 0)
        g_error ("%s:%u: locked is “%s”, not yes or no", table_path, i + 1, columns[2]);
      row->locked = strcmp (columns[2], "yes") == 0;
      row->reason = g_strdup (columns[3]);
      row->label = g_strdup (columns[4]);
      row->description = unescape (columns[5]);
      g_ptr_array_add (rows, row);
    }
  return rows;
}

static rg_checker *
make_checker (void)
{
  /* The domains the user writes to, with the number of contacts using each. */
  static const struct {
    const char *domain;
    uint32_t count;
  } known[] = {
    { "army.mil", 214 },
    { "arny.mil", 1 },
    { "example.com", 3 },
    { "hr.example.com", 5 },
    { "hsbc.co.uk", 2 },
    { "microsoft.com", 9 },
    { "solo.net", 1 },
  };
  rg_config *config = rg_config_new ();
  rg_checker *result = NULL;

  g_assert_nonnull (config);
  rg_config_set_flags (config, RG_CONFIG_DEFAULT_FLAGS | RG_CONFIG_NOTICE_NEW_DOMAINS);
  for (gsize i = 0; i < G_N_ELEMENTS (known); i++)
    g_assert_cmpint (rg_config_add_known (config, known[i].domain, known[i].count), ==, RG_OK);
  /* The user's own domain, known from their identity (and two colleagues), and a partner
   * domain the administrator lists: no count of contacts says why they are meant. */
  g_assert_cmpint (rg_config_add_evidence (config, "navy.mil", 2, RG_SOURCE_CONTACT), ==, RG_OK);
  g_assert_cmpint (rg_config_add_evidence (config, "navy.mil", 1, RG_SOURCE_IDENTITY), ==,
                   RG_OK);
  g_assert_cmpint (rg_config_add_evidence (config, "partners.net", 1, RG_SOURCE_ADMIN), ==,
                   RG_OK);
  g_assert_cmpint (rg_config_add_policy (config, RG_POLICY_TRUSTED, "partner.org"), ==, RG_OK);
  g_assert_cmpint (rg_config_add_policy (config, RG_POLICY_WARN, "*.ga"), ==, RG_OK);
  g_assert_cmpint (rg_config_add_policy (config, RG_POLICY_WARN, "eu"), ==, RG_OK);
  g_assert_cmpint (rg_config_add_policy (config, RG_POLICY_BLOCK, "nl"), ==, RG_OK);
  g_assert_cmpint (rg_checker_new (config, &result), ==, RG_OK);
  rg_config_free (config);
  return result;
}

static rg_report *
check_one (const char *recipient)
{
  const char *lists[] = { recipient };
  rg_report *report = NULL;

  g_assert_cmpint (rg_checker_check (checker, lists, 1, &report), ==, RG_OK);
  g_assert_cmpuint (rg_report_get_n_findings (report), ==, 1);
  return report;
}

/* Every row of the table, all mismatches reported before failing.  The lock changes the
 * sentence of a policy finding only, and names the right key. */
static void
test_table (void)
{
  g_autoptr (GPtrArray) rows = load_rows (language);
  gboolean seen[RG_N_REASONS] = { FALSE };
  guint failures = 0;

  g_assert_cmpuint (rows->len, >, 0);
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *row = rows->pdata[i];
      rg_report *report = check_one (row->recipient);
      const rg_finding *finding = rg_report_get_finding (report, 0);
      const char *reason = rg_finding_get_n_reasons (finding) > 0
                           ? rg_reason_to_code (rg_finding_get_reason (finding, 0)) : "-";
      const char *label = rg_verdict_get_label (rg_finding_get_verdict (finding));
      const char *key = rg_finding_get_policy_key (finding);
      g_autofree char *description = rg_finding_dup_description (finding, row->locked);
      g_autofree char *other = rg_finding_dup_description (finding, !row->locked);

      if (rg_finding_get_n_reasons (finding) > 0)
        seen[rg_finding_get_reason (finding, 0)] = TRUE;
      if (strcmp (reason, row->reason) != 0 || strcmp (label, row->label) != 0
          || strcmp (description, row->description) != 0)
        {
          g_test_message ("%s:%u: %s\n  expected: %s | %s | %s\n  got:      %s | %s | %s",
                          table_path, row->line, row->recipient, row->reason, row->label,
                          row->description, reason, label, description);
          failures++;
        }
      if (strcmp (reason, "policy-block") == 0)
        g_assert_cmpstr (key, ==, "block-domains");
      else if (strcmp (reason, "policy-warn") == 0)
        g_assert_cmpstr (key, ==, "warn-domains");
      else
        g_assert_null (key);
      if (key == NULL)
        g_assert_cmpstr (other, ==, description);
      else
        g_assert_cmpstr (other, !=, description);
      rg_report_free (report);
    }
  g_assert_cmpuint (failures, ==, 0);

  /* A reason without a row would have no tested sentence. */
  for (int r = 0; r < RG_N_REASONS; r++)
    if (!seen[r])
      g_test_message ("no row of %s has the main reason %s", language,
                      rg_reason_to_code ((rg_reason) r));
  for (int r = 0; r < RG_N_REASONS; r++)
    g_assert_true (seen[r]);
}

/* The four labels are distinct, and an unknown verdict gets the label that asks. */
static void
test_labels (void)
{
  const char *labels[] = {
    rg_verdict_get_label (RG_VERDICT_OK),
    rg_verdict_get_label (RG_VERDICT_NOTICE),
    rg_verdict_get_label (RG_VERDICT_WARN),
    rg_verdict_get_label (RG_VERDICT_BLOCK),
  };

  for (gsize i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      g_assert_nonnull (labels[i]);
      g_assert_cmpstr (labels[i], !=, "");
      for (gsize j = 0; j < i; j++)
        g_assert_cmpstr (labels[i], !=, labels[j]);
    }
  g_assert_cmpstr (rg_verdict_get_label ((rg_verdict) 42), ==, labels[RG_VERDICT_WARN]);
}

/* The sources behind a suggestion, which the sentences choose their words by: every source
 * that gave evidence, none for a built-in provider or a trusted domain. */
static void
test_suggested_sources (void)
{
  static const struct {
    const char *recipient;
    unsigned sources;
  } cases[] = {
    { "ops@navy.ml", (1u << RG_SOURCE_CONTACT) | (1u << RG_SOURCE_IDENTITY) },
    { "x@partnrs.net", 1u << RG_SOURCE_ADMIN },
    { "ops@army.ml", 1u << RG_SOURCE_CONTACT },
    { "someone@gmial.com", 0 },
    { "someone@partnr.org", 0 },
    { "ops@army.mil", 0 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      rg_report *report = check_one (cases[i].recipient);

      g_assert_cmphex (rg_finding_get_suggested_sources (rg_report_get_finding (report, 0)), ==,
                       cases[i].sources);
      rg_report_free (report);
    }
}

/* A recipient of megabytes is quoted in part, with an ellipsis, not in full. */
static void
test_long_input (void)
{
  g_autofree char *input = g_strnfill (100000, 'a');
  rg_report *report = check_one (input);
  const rg_finding *finding = rg_report_get_finding (report, 0);
  g_autofree char *description = rg_finding_dup_description (finding, FALSE);

  g_assert_cmpint (rg_finding_get_reason (finding, 0), ==, RG_REASON_INVALID_ADDRESS);
  g_assert_true (g_utf8_validate (description, -1, NULL));
  g_assert_cmpuint (strlen (description), <, 400);
  g_assert_nonnull (strstr (description, "aaaa…"));
  rg_report_free (report);
}

/* The translation asked for is the one in use: a missing .mo must fail, not fall back to
 * English and compare English with English. */
static void
test_language (void)
{
  if (strcmp (language, "en") == 0)
    g_assert_cmpstr (_("Looks like a slip"), ==, "Looks like a slip");
  else
    g_assert_cmpstr (_("Looks like a slip"), !=, "Looks like a slip");
}

int
main (int argc, char **argv)
{
  const char *localedir = g_getenv ("RG_TEST_LOCALEDIR");
  const char *env_language = g_getenv ("LANGUAGE");
  int status;

  /* gettext ignores $LANGUAGE in the "C" locale, hence LANG=C.UTF-8 from meson. */
  g_assert_nonnull (setlocale (LC_ALL, ""));
  g_test_init (&argc, &argv, NULL);
  if (argc != 2)
    g_error ("usage: %s [GTEST-OPTIONS] TABLE", argv[0]);
  table_path = argv[1];
  if (env_language != NULL && env_language[0] != '\0')
    language = env_language;
  if (localedir == NULL)
    g_error ("RG_TEST_LOCALEDIR is not set");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  checker = make_checker ();

  g_test_add_func ("/finding-text/language", test_language);
  g_test_add_func ("/finding-text/table", test_table);
  g_test_add_func ("/finding-text/labels", test_labels);
  g_test_add_func ("/finding-text/suggested-sources", test_suggested_sources);
  g_test_add_func ("/finding-text/long-input", test_long_input);
  status = g_test_run ();
  rg_checker_free (checker);
  return status;
}
