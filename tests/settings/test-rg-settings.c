/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The settings in the GLib layer: rg_settings_validate_domain () against the core,
 * rg_settings_apply () into a real checker, and an RgGuard that follows its settings.
 *
 * The settings here live in a memory backend of their own (the schema is the one compiled in
 * the build tree, GSETTINGS_SCHEMA_DIR): what dconf adds, locks and origins, is tested through
 * the command in test-settings.py.  The guard needs known domains, which come from a real
 * evolution-data-server: run through tests/common/rg-session --dbus (meson does).
 */
#define G_LOG_DOMAIN "rcptguard-test"
#define G_SETTINGS_ENABLE_BACKEND

#include <string.h>

#include <gio/gsettingsbackend.h>

#include "rg-autoptr.h"
#include "rg-guard.h"
#include "rg-known-domains.h"
#include "rg-settings.h"
#include "rg-test-domain-entries.h"
#include "rg-test-locale.h"
#include "rg-test-settings.h"

/* No wait in these tests runs longer; the meson timeout is a last resort above them. */
#define WAIT_SECONDS 10

static void
set_strv (GSettings  *settings,
          const char *key,
          const char *first,
          ...)
{
  g_autoptr (GPtrArray) values = g_ptr_array_new ();
  va_list args;

  va_start (args, first);
  for (const char *value = first; value != NULL; value = va_arg (args, const char *))
    g_ptr_array_add (values, (gpointer) value);
  va_end (args);
  g_ptr_array_add (values, NULL);
  g_assert_true (g_settings_set_strv (settings, key, (const char *const *) values->pdata));
}

/* The verdict and suggestion of one address under @checker. */
static rg_verdict
check_one (const rg_checker  *checker,
           const char        *address,
           char             **suggestion)
{
  g_autoptr (rg_report) report = NULL;
  const rg_finding *finding;

  g_assert_cmpint (rg_checker_check (checker, &address, 1, &report), ==, RG_OK);
  g_assert_cmpuint (rg_report_get_n_findings (report), ==, 1);
  finding = rg_report_get_finding (report, 0);
  if (suggestion != NULL)
    *suggestion = g_strdup (rg_finding_get_suggestion (finding));
  return rg_finding_get_verdict (finding);
}

/* ---------------------------------------------------------------------------------------- */

typedef struct
{
  const char *key;
  const char *text;
  gboolean ok;
  const char *message_part; /* in the English message when refused */
} ValidateRow;

static const ValidateRow validate_rows[] = {
  { "block-domains", "ml", TRUE, NULL },
  { "block-domains", "*.ml", TRUE, NULL },
  { "block-domains", ".ml", TRUE, NULL },
  { "block-domains", "co.uk", TRUE, NULL },
  { "block-domains", "ARMY.ML.", TRUE, NULL },
  { "warn-domains", "bücher.de", TRUE, NULL },
  { "trusted-domains", "army.mil", TRUE, NULL },
  { "trusted-domains", "a..b", FALSE, "is not a domain" },
  { "warn-domains", "", FALSE, "Enter a domain" },
  { "warn-domains", "ops@army.ml", FALSE, "is not a domain" },
  { "block-domains", "exa mple.com", FALSE, "is not a domain" },
  { "known-domains", "partner.example.com", TRUE, NULL },
  { "known-domains", "co.uk", FALSE, "ending shared by many owners" },
  { "known-domains", "-bad-.com", FALSE, "is not a domain" },
};

static void
test_validate (void)
{
  g_autofree char *long_label = g_strnfill (RG_MAX_LABEL_OCTETS + 1, 'a');
  g_autofree char *too_long = g_strconcat (long_label, ".com", NULL);
  g_autofree char *message = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (validate_rows); i++)
    {
      const ValidateRow *row = &validate_rows[i];
      g_autofree char *row_message = NULL;
      gboolean ok = rg_settings_validate_domain (row->key, row->text, &row_message);

      g_test_message ("%s '%s': %s", row->key, row->text,
                      row_message != NULL ? row_message : "accepted");
      g_assert_cmpint (ok, ==, row->ok);
      if (row->ok)
        g_assert_null (row_message);
      else
        g_assert_nonnull (strstr (row_message, row->message_part));
    }

  /* Refused without a message asked for; and a label over 63 octets. */
  g_assert_false (rg_settings_validate_domain ("block-domains", "a..b", NULL));
  g_assert_false (rg_settings_validate_domain ("block-domains", too_long, &message));
  g_assert_nonnull (message);
}

static const char *const policy_list_keys[] = { "trusted-domains", "warn-domains",
                                                "block-domains" };

/* The rows of tests/data/domain-entries.tsv, from $RG_TEST_DOMAIN_ENTRIES. */
static GPtrArray *
load_domain_entries (void)
{
  const char *path = g_getenv ("RG_TEST_DOMAIN_ENTRIES");

  g_assert_nonnull (path);
  return rg_test_domain_entries_load (path);
}

/* One validation everywhere: for every row of the table and every key of its kind,
 * rg_settings_validate_domain () accepts what the core accepts, and the settings reader
 * leaves out exactly the entries refused, with the very sentence Preferences shows. */
static void
test_domain_entries (void)
{
  g_autoptr (GPtrArray) rows = load_domain_entries ();

  for (guint i = 0; i < rows->len; i++)
    {
      const RgTestDomainEntry *row = g_ptr_array_index (rows, i);
      const char *known_keys[] = { "known-domains" };
      const char *const *keys = row->known ? known_keys : policy_list_keys;
      gsize n_keys = row->known ? G_N_ELEMENTS (known_keys) : G_N_ELEMENTS (policy_list_keys);
      gboolean accepted = strcmp (row->status, "RG_OK") == 0;

      for (gsize k = 0; k < n_keys; k++)
        {
          g_autoptr (GSettings) settings = rg_test_settings_new (NULL);
          g_autoptr (rg_config) config = rg_config_new ();
          g_autoptr (GPtrArray) refusals = NULL;
          g_auto (GStrv) refused = NULL;
          g_autofree char *message = NULL;

          g_test_message ("line %u: %s \"%s\"", row->line, keys[k], row->entry);
          g_assert_cmpint (rg_settings_validate_domain (keys[k], row->entry, &message), ==,
                           accepted);
          g_assert_true ((message == NULL) == accepted);

          set_strv (settings, keys[k], row->entry, NULL);
          refused = rg_settings_apply (settings, config);
          refusals = rg_settings_list_refusals (settings);
          g_assert_cmpuint (refused != NULL ? g_strv_length (refused) : 0, ==, !accepted);
          g_assert_cmpuint (refusals->len, ==, !accepted);
          if (!accepted)
            {
              const RgSettingsRefusal *refusal = g_ptr_array_index (refusals, 0);

              g_assert_cmpstr (refusal->key, ==, keys[k]);
              g_assert_cmpstr (refusal->entry, ==, row->entry);
              g_assert_cmpstr (refusal->message, ==, message);
            }
        }
    }
}

/* The sentences, and the entries they are about: one per entry left out, in order. */
static void
test_refusals (void)
{
  g_autoptr (GSettings) settings = rg_test_settings_new (NULL);
  g_autoptr (GPtrArray) refusals = NULL;
  g_autoptr (GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);
  const RgSettingsRefusal *refusal;

  refusals = rg_settings_list_refusals (settings);
  g_assert_cmpuint (refusals->len, ==, 0);
  g_clear_pointer (&refusals, g_ptr_array_unref);

  set_strv (settings, "trusted-domains", "foo bar", "army.mil", NULL);
  set_strv (settings, "warn-domains", "not a domain!", NULL);
  set_strv (settings, "known-domains", "ops@example.com", "co.uk", "", NULL);
  refusals = rg_settings_list_refusals (settings);
  g_assert_cmpuint (refusals->len, ==, 5);
  refusal = g_ptr_array_index (refusals, 0);
  g_assert_cmpstr (refusal->key, ==, "trusted-domains");
  g_assert_cmpstr (refusal->entry, ==, "foo bar");
  g_assert_cmpstr (refusal->message, ==, "“foo bar” is not a domain such as example.com.");
  refusal = g_ptr_array_index (refusals, 1);
  g_assert_cmpstr (refusal->key, ==, "warn-domains");
  g_assert_cmpstr (refusal->message, ==,
                   "“not a domain!” is not a domain such as example.com.");
  refusal = g_ptr_array_index (refusals, 2);
  g_assert_cmpstr (refusal->key, ==, "known-domains");
  g_assert_cmpstr (refusal->message, ==,
                   "“ops@example.com” is not a domain such as example.com.");
  refusal = g_ptr_array_index (refusals, 3);
  g_assert_nonnull (strstr (refusal->message, "ending shared by many owners"));
  refusal = g_ptr_array_index (refusals, 4);
  g_assert_cmpstr (refusal->message, ==, "Enter a domain such as example.com.");
  g_clear_pointer (&refusals, g_ptr_array_unref);

  /* Past the cap of a policy list: said too. */
  set_strv (settings, "trusted-domains", NULL);
  set_strv (settings, "warn-domains", NULL);
  set_strv (settings, "known-domains", NULL);
  for (guint i = 0; i < 1001; i++)
    g_ptr_array_add (entries, g_strdup_printf ("d%u.example", i));
  g_ptr_array_add (entries, NULL);
  g_assert_true (g_settings_set_strv (settings, "block-domains",
                                      (const char *const *) entries->pdata));
  refusals = rg_settings_list_refusals (settings);
  g_assert_cmpuint (refusals->len, ==, 1);
  refusal = g_ptr_array_index (refusals, 0);
  g_assert_cmpstr (refusal->entry, ==, "d1000.example");
  g_assert_cmpstr (refusal->message, ==,
                   "“d1000.example” is left out: a list holds at most 1000 domains.");
}

/* What the lists accept is what the check applies: every accepted entry works in a config. */
static void
test_apply (void)
{
  g_autoptr (GSettings) settings = rg_test_settings_new (NULL);
  g_autoptr (rg_config) config = rg_config_new ();
  g_autoptr (rg_checker) checker = NULL;
  g_auto (GStrv) refused = NULL;
  g_autofree char *suggestion = NULL;

  set_strv (settings, "block-domains", "ml", NULL);
  set_strv (settings, "warn-domains", "*.example.org", "a..b", NULL);
  set_strv (settings, "trusted-domains", "army.mil", NULL);
  set_strv (settings, "known-domains", "bundeswehr.org", "co.uk", NULL);
  g_settings_set_boolean (settings, "notice-new-domains", TRUE);
  g_settings_set_boolean (settings, "check-lookalikes", FALSE);

  refused = rg_settings_apply (settings, config);
  g_assert_nonnull (refused);
  g_assert_cmpuint (g_strv_length (refused), ==, 2);
  g_assert_true (g_str_has_prefix (refused[0], "warn-domains 'a..b': "));
  g_assert_true (g_str_has_prefix (refused[1], "known-domains 'co.uk': "));
  g_assert_cmphex (rg_config_get_flags (config), ==,
                   RG_CONFIG_BUILTIN_PROVIDERS | RG_CONFIG_NOTICE_NEW_DOMAINS);

  g_assert_cmpint (rg_checker_new (config, &checker), ==, RG_OK);
  g_assert_cmpint (check_one (checker, "ops@army.ml", &suggestion), ==, RG_VERDICT_BLOCK);
  /* army.mil is trusted, hence known: the blocked recipient still gets the fix. */
  g_assert_cmpstr (suggestion, ==, "ops@army.mil");
  g_assert_cmpint (check_one (checker, "ops@army.mil", NULL), ==, RG_VERDICT_OK);
  g_assert_cmpint (check_one (checker, "hr@mail.example.org", NULL), ==, RG_VERDICT_WARN);
  g_clear_pointer (&suggestion, g_free);
  g_assert_cmpint (check_one (checker, "a@bundeswher.org", &suggestion), ==, RG_VERDICT_WARN);
  g_assert_cmpstr (suggestion, ==, "a@bundeswehr.org");
  /* Notices of new domains are on. */
  g_assert_cmpint (check_one (checker, "x@far-away-and-new.net", NULL), ==,
                   RG_VERDICT_NOTICE);
  /* The built-in providers are always on. */
  g_assert_cmpint (check_one (checker, "x@gmial.com", NULL), ==, RG_VERDICT_WARN);
}

/* known-domains is the administrator's word: certain evidence, which outweighs a domain
 * written to once that is a slip away from it.  The same single use as a contact does not. */
static void
test_apply_admin_evidence (void)
{
  g_autoptr (GSettings) settings = rg_test_settings_new (NULL);
  g_autoptr (rg_config) config = rg_config_new ();
  g_autoptr (rg_config) contacts_only = rg_config_new ();
  g_autoptr (rg_checker) checker = NULL;
  g_autoptr (rg_checker) contacts_checker = NULL;
  g_autoptr (rg_report) report = NULL;
  g_auto (GStrv) refused = NULL;
  const char *address = "ops@army.ml";
  const rg_finding *finding = NULL;

  set_strv (settings, "known-domains", "army.mil", NULL);
  refused = rg_settings_apply (settings, config);
  g_assert_null (refused);
  g_assert_cmpint (rg_config_add_known (config, "army.ml", 1), ==, RG_OK);
  g_assert_cmpint (rg_checker_new (config, &checker), ==, RG_OK);
  g_assert_cmpint (rg_checker_check (checker, &address, 1, &report), ==, RG_OK);
  finding = rg_report_get_finding (report, 0);
  g_assert_cmpint (rg_finding_get_verdict (finding), ==, RG_VERDICT_WARN);
  g_assert_cmpuint (rg_finding_get_n_reasons (finding), >=, 1);
  g_assert_cmpint (rg_finding_get_reason (finding, 0), ==, RG_REASON_RARE_TWIN);
  g_assert_cmpstr (rg_finding_get_suggestion (finding), ==, "ops@army.mil");

  g_assert_cmpint (rg_config_add_known (contacts_only, "army.mil", 1), ==, RG_OK);
  g_assert_cmpint (rg_config_add_known (contacts_only, "army.ml", 1), ==, RG_OK);
  g_assert_cmpint (rg_checker_new (contacts_only, &contacts_checker), ==, RG_OK);
  g_assert_cmpint (check_one (contacts_checker, address, NULL), ==, RG_VERDICT_OK);
}

/* The defaults add nothing but the built-in providers and lookalike checks. */
static void
test_apply_defaults (void)
{
  g_autoptr (GSettings) settings = rg_test_settings_new (NULL);
  g_autoptr (rg_config) config = rg_config_new ();
  g_auto (GStrv) refused = rg_settings_apply (settings, config);

  g_assert_null (refused);
  g_assert_cmphex (rg_config_get_flags (config), ==, RG_CONFIG_DEFAULT_FLAGS);
}

/* A policy list is capped: the entries past the cap are named, not silently dropped. */
static void
test_apply_cap (void)
{
  g_autoptr (GSettings) settings = rg_test_settings_new (NULL);
  g_autoptr (rg_config) config = rg_config_new ();
  g_autoptr (GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) refused = NULL;

  for (guint i = 0; i < 1002; i++)
    g_ptr_array_add (entries, g_strdup_printf ("d%u.example", i));
  g_ptr_array_add (entries, NULL);
  g_assert_true (g_settings_set_strv (settings, "block-domains",
                                      (const char *const *) entries->pdata));

  refused = rg_settings_apply (settings, config);
  g_assert_nonnull (refused);
  g_assert_cmpuint (g_strv_length (refused), ==, 2);
  g_assert_nonnull (strstr (refused[0], "'d1000.example'"));
  g_assert_nonnull (strstr (refused[0], "limit"));
}

static void
test_key_affects_config (void)
{
  const char *const yes[] = { "trusted-domains", "known-domains", "warn-domains",
                              "block-domains", "check-lookalikes", "notice-new-domains" };
  const char *const no[] = { "enabled", "allow-block-override", "on-error", "log-decisions",
                             "log-local-parts" };

  for (gsize i = 0; i < G_N_ELEMENTS (yes); i++)
    g_assert_true (rg_settings_key_affects_config (yes[i]));
  for (gsize i = 0; i < G_N_ELEMENTS (no); i++)
    g_assert_false (rg_settings_key_affects_config (no[i]));
}

/* ---------------------------------------------------------------------------------------- */
/* RgGuard */

static RgKnownDomains *
known_domains_loaded (void)
{
  g_autoptr (RgKnownDomains) known = rg_known_domains_new ();
  g_autoptr (GError) error = NULL;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    g_error ("no session bus: run this test through rg-session --dbus");
  g_assert_true (rg_known_domains_load_sync (known, NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&known);
}

static rg_verdict
guard_check_one (RgGuard    *guard,
                 const char *address)
{
  g_autoptr (rg_report) report = NULL;
  g_autoptr (GError) error = NULL;

  report = rg_guard_check (guard, RG_SCOPE_ALL, &address, 1, &error);
  g_assert_no_error (error);
  return rg_report_get_verdict (report);
}

static gboolean
on_wait_timeout (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main context until @address gets @verdict: a change of the settings reaches the
 * guard through their "change-event", which a backend may deliver from an idle. */
static void
wait_for_verdict (RgGuard    *guard,
                  const char *address,
                  rg_verdict  verdict)
{
  gboolean timed_out = FALSE;
  guint timeout = g_timeout_add_seconds (WAIT_SECONDS, on_wait_timeout, &timed_out);

  while (guard_check_one (guard, address) != verdict && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("%s did not get the verdict %s within %d s", address,
             rg_verdict_to_string (verdict), WAIT_SECONDS);
  g_source_remove (timeout);
}

static void
test_guard_without_settings (void)
{
  g_autoptr (RgKnownDomains) known = known_domains_loaded ();
  g_autoptr (RgGuard) guard = rg_guard_new (known, NULL);

  g_assert_null (rg_guard_get_settings (guard));
  g_assert_cmpint (rg_guard_get_scope (guard), ==, RG_SCOPE_ALL);
  g_assert_false (rg_guard_get_allow_block_override (guard));
  g_assert_cmpint (guard_check_one (guard, "ops@army.ml"), ==, RG_VERDICT_OK);
  g_assert_cmpint (guard_check_one (guard, "x@gmial.com"), ==, RG_VERDICT_WARN);
}

static void
test_guard_follows_settings (void)
{
  g_autoptr (RgKnownDomains) known = known_domains_loaded ();
  g_autoptr (GSettings) settings = rg_test_settings_new (NULL);
  g_autoptr (RgGuard) guard = NULL;

  set_strv (settings, "trusted-domains", "army.mil", NULL);
  guard = rg_guard_new (known, settings);
  g_assert_true (rg_guard_get_settings (guard) == settings);

  /* Built with the settings from the start. */
  g_assert_cmpint (guard_check_one (guard, "ops@army.ml"), ==, RG_VERDICT_WARN);

  /* Rebuilt when a list changes ... */
  set_strv (settings, "block-domains", "ml", NULL);
  wait_for_verdict (guard, "ops@army.ml", RG_VERDICT_BLOCK);
  set_strv (settings, "block-domains", NULL);
  wait_for_verdict (guard, "ops@army.ml", RG_VERDICT_WARN);

  /* ... or a flag. */
  g_assert_cmpint (guard_check_one (guard, "x@never-seen-before.net"), ==, RG_VERDICT_OK);
  g_settings_set_boolean (settings, "notice-new-domains", TRUE);
  wait_for_verdict (guard, "x@never-seen-before.net", RG_VERDICT_NOTICE);

  /* Several keys at once (a reset, a "dconf update"): one change-event, all applied. */
  g_settings_delay (settings);
  set_strv (settings, "trusted-domains", NULL);
  g_settings_set_boolean (settings, "notice-new-domains", FALSE);
  g_settings_apply (settings);
  wait_for_verdict (guard, "ops@army.ml", RG_VERDICT_OK);
  g_assert_cmpint (guard_check_one (guard, "x@never-seen-before.net"), ==, RG_VERDICT_OK);
}

static void
test_guard_enabled_and_override (void)
{
  g_autoptr (RgKnownDomains) known = known_domains_loaded ();
  g_autoptr (GSettings) settings = rg_test_settings_new (NULL);
  g_autoptr (RgGuard) guard = rg_guard_new (known, settings);

  g_assert_cmpint (rg_guard_get_scope (guard), ==, RG_SCOPE_ALL);
  g_assert_false (rg_guard_get_allow_block_override (guard));
  g_settings_set_boolean (settings, "enabled", FALSE);
  g_settings_set_boolean (settings, "allow-block-override", TRUE);
  /* Read at each call: no main loop needed.  The memory backend locks nothing, so the
   * user's own block list goes with the switch. */
  set_strv (settings, "block-domains", "ml", NULL);
  g_assert_cmpint (rg_guard_get_scope (guard), ==, RG_SCOPE_OFF);
  g_assert_true (rg_guard_get_allow_block_override (guard));
}

/* Checking off: a block list the administrator locked still applies, and only it; the
 * user's own block list, or a locked empty one, does not. */
static void
test_scope (void)
{
  g_autoptr (GSettings) settings = rg_test_settings_new (NULL);

  g_assert_cmpint (rg_settings_get_scope (settings, FALSE), ==, RG_SCOPE_ALL);
  g_assert_cmpint (rg_settings_get_scope (settings, TRUE), ==, RG_SCOPE_ALL);
  g_settings_set_boolean (settings, "enabled", FALSE);
  g_assert_cmpint (rg_settings_get_scope (settings, TRUE), ==, RG_SCOPE_OFF);
  set_strv (settings, "block-domains", "ml", NULL);
  g_assert_cmpint (rg_settings_get_scope (settings, FALSE), ==, RG_SCOPE_OFF);
  g_assert_cmpint (rg_settings_get_scope (settings, TRUE), ==, RG_SCOPE_BLOCKS);
}

/* In the blocks scope only the block list decides: a slip and a warn-listed domain pass, a
 * blocked one is blocked, with the same finding as in the full check. */
static void
test_guard_blocks_scope (void)
{
  g_autoptr (RgKnownDomains) known = known_domains_loaded ();
  g_autoptr (GSettings) settings = rg_test_settings_new (NULL);
  g_autoptr (RgGuard) guard = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (rg_report) report = NULL;
  const char *lists[] = { "Ops <ops@army.ml>, x@gmial.com", "y@shop.nl", "not an address" };
  const rg_finding *blocked;

  set_strv (settings, "block-domains", "ml", NULL);
  set_strv (settings, "warn-domains", "nl", NULL);
  set_strv (settings, "known-domains", "army.mil", NULL);
  guard = rg_guard_new (known, settings);

  report = rg_guard_check (guard, RG_SCOPE_BLOCKS, lists, G_N_ELEMENTS (lists), &error);
  g_assert_no_error (error);
  g_assert_cmpint (rg_report_get_verdict (report), ==, RG_VERDICT_BLOCK);
  g_assert_cmpuint (rg_report_get_n_findings (report), ==, 4);
  for (gsize i = 1; i < 4; i++)
    {
      const rg_finding *f = rg_report_get_finding (report, i);

      g_assert_cmpint (rg_finding_get_verdict (f), ==, RG_VERDICT_OK);
      g_assert_cmpuint (rg_finding_get_n_reasons (f), ==, 0);
      g_assert_null (rg_finding_get_suggestion (f));
    }
  /* The blocked row as the full check has it, the way back to army.mil included. */
  blocked = rg_report_get_finding (report, 0);
  g_assert_cmpint (rg_finding_get_verdict (blocked), ==, RG_VERDICT_BLOCK);
  g_assert_cmpint (rg_finding_get_reason (blocked, 0), ==, RG_REASON_POLICY_BLOCK);
  g_assert_cmpstr (rg_finding_get_suggestion (blocked), ==, "ops@army.mil");
  g_clear_pointer (&report, rg_report_free);

  /* The full check of the same lists flags all but nothing. */
  report = rg_guard_check (guard, RG_SCOPE_ALL, lists, G_N_ELEMENTS (lists), &error);
  g_assert_no_error (error);
  g_assert_cmpint (rg_finding_get_verdict (rg_report_get_finding (report, 1)), ==,
                   RG_VERDICT_WARN);
  g_assert_cmpint (rg_finding_get_verdict (rg_report_get_finding (report, 2)), ==,
                   RG_VERDICT_WARN);
  g_assert_cmpint (rg_finding_get_verdict (rg_report_get_finding (report, 3)), ==,
                   RG_VERDICT_WARN);
}

/* An entry the core refuses is named in the log; the rest of the policy applies. */
static void
test_guard_refused_entry (void)
{
  g_autoptr (RgKnownDomains) known = known_domains_loaded ();
  g_autoptr (GSettings) settings = rg_test_settings_new (NULL);
  g_autoptr (RgGuard) guard = NULL;

  set_strv (settings, "block-domains", "a..b", "ml", NULL);
  g_test_expect_message ("rcptguard", G_LOG_LEVEL_WARNING,
                         "*ignores the setting block-domains 'a..b'*");
  guard = rg_guard_new (known, settings);
  g_test_assert_expected_messages ();
  g_assert_cmpint (guard_check_one (guard, "ops@army.ml"), ==, RG_VERDICT_BLOCK);
}

int
main (int    argc,
      char **argv)
{
  rg_test_init_locale ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/settings/validate", test_validate);
  g_test_add_func ("/settings/domain-entries", test_domain_entries);
  g_test_add_func ("/settings/refusals", test_refusals);
  g_test_add_func ("/settings/apply", test_apply);
  g_test_add_func ("/settings/apply-admin-evidence", test_apply_admin_evidence);
  g_test_add_func ("/settings/apply-defaults", test_apply_defaults);
  g_test_add_func ("/settings/apply-cap", test_apply_cap);
  g_test_add_func ("/settings/key-affects-config", test_key_affects_config);
  g_test_add_func ("/guard/without-settings", test_guard_without_settings);
  g_test_add_func ("/guard/follows-settings", test_guard_follows_settings);
  g_test_add_func ("/guard/enabled-and-override", test_guard_enabled_and_override);
  g_test_add_func ("/settings/scope", test_scope);
  g_test_add_func ("/guard/blocks-scope", test_guard_blocks_scope);
  g_test_add_func ("/guard/refused-entry", test_guard_refused_entry);

  return g_test_run ();
}
