/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-domain-entry.c - the one validation of list entries (tests/data/domain-entries.tsv):
 * rg_domain_entry_check () gives each row's status, rg_config_add_policy () and
 * rg_config_add_known () refuse and take exactly the same entries, and a pattern taken
 * really covers the recipients under it.  Black-box: rcptguard.h only.
 */
#include "rcptguard.h"
#include "rg-test-domain-entries.h"
#include "rg-test-locale.h"

#include <glib.h>
#include <string.h>

static const rg_policy policies[] = { RG_POLICY_TRUSTED, RG_POLICY_WARN, RG_POLICY_BLOCK };

/* The pattern without its optional "*." or "." */
static const char *
pattern_domain (const char *entry)
{
  if (g_str_has_prefix (entry, "*."))
    return entry + 2;
  return entry[0] == '.' ? entry + 1 : entry;
}

/* A pattern taken blocks a recipient at a subdomain of it. */
static void
assert_blocks_under (const char *entry)
{
  g_autofree char *recipient = g_strdup_printf ("ops@sub.%s", pattern_domain (entry));
  const char *lists[] = { recipient };
  rg_config *config = rg_config_new ();
  rg_checker *checker = NULL;
  rg_report *report = NULL;
  const rg_finding *finding;

  g_assert_cmpint (rg_config_add_policy (config, RG_POLICY_BLOCK, entry), ==, RG_OK);
  g_assert_cmpint (rg_checker_new (config, &checker), ==, RG_OK);
  g_assert_cmpint (rg_checker_check (checker, lists, 1, &report), ==, RG_OK);
  finding = rg_report_get_finding (report, 0);
  g_assert_nonnull (finding);
  g_assert_cmpint (rg_finding_get_verdict (finding), ==, RG_VERDICT_BLOCK);
  g_assert_cmpint (rg_finding_get_reason (finding, 0), ==, RG_REASON_POLICY_BLOCK);
  rg_report_free (report);
  rg_checker_free (checker);
  rg_config_free (config);
}

static void
test_row (gconstpointer data)
{
  const RgTestDomainEntry *row = data;
  rg_domain_entry kind = row->known ? RG_DOMAIN_ENTRY_KNOWN : RG_DOMAIN_ENTRY_PATTERN;
  rg_status status = rg_domain_entry_check (kind, row->entry);
  rg_config *config = rg_config_new ();

  g_test_message ("line %u: %s \"%s\"", row->line, row->known ? "known" : "pattern",
                  row->entry);
  g_assert_cmpstr (rg_strerror_name (status), ==, row->status);
  if (row->known)
    {
      /* rg_config_add_known () takes an address for its domain too; a list entry is not
       * one. */
      rg_status expected = strchr (row->entry, '@') != NULL ? RG_OK : status;

      g_assert_cmpint (rg_config_add_known (config, row->entry, 1), ==, expected);
      g_assert_cmpint (rg_config_add_evidence (config, row->entry, 1, RG_SOURCE_ADMIN), ==,
                       expected);
    }
  else
    {
      for (gsize i = 0; i < G_N_ELEMENTS (policies); i++)
        g_assert_cmpint (rg_config_add_policy (config, policies[i], row->entry), ==, status);
      if (status == RG_OK)
        assert_blocks_under (row->entry);
    }
  rg_config_free (config);
}

static void
test_arguments (void)
{
  g_assert_cmpint (rg_domain_entry_check (RG_DOMAIN_ENTRY_PATTERN, NULL), ==,
                   RG_E_INVALID_ARGUMENT);
  g_assert_cmpint (rg_domain_entry_check ((rg_domain_entry) 7, "example.com"), ==,
                   RG_E_INVALID_ARGUMENT);
  /* Not valid UTF-8: refused, never read past. */
  g_assert_cmpint (rg_domain_entry_check (RG_DOMAIN_ENTRY_PATTERN, "ex\xC3" "ample.com"), ==,
                   RG_E_DOMAIN);
  g_assert_cmpint (rg_domain_entry_check (RG_DOMAIN_ENTRY_KNOWN, "\xFF"), ==, RG_E_DOMAIN);
}

int
main (int argc, char **argv)
{
  g_autoptr (GPtrArray) rows = NULL;

  rg_test_init_locale ();
  g_test_init (&argc, &argv, NULL);
  if (argc != 2)
    g_error ("usage: %s [GTEST-OPTIONS] domain-entries.tsv", argv[0]);
  rows = rg_test_domain_entries_load (argv[1]);
  for (guint i = 0; i < rows->len; i++)
    {
      RgTestDomainEntry *row = g_ptr_array_index (rows, i);
      g_autofree char *path = g_strdup_printf ("/domain-entry/line-%u", row->line);

      g_test_add_data_func (path, row, test_row);
    }
  g_test_add_func ("/domain-entry/arguments", test_arguments);
  return g_test_run ();
}
