/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-core.c - the public API of librcptguard: errors, limits, ownership, threads, and the
 * hostile inputs that must never crash, hang or pass as ok.  Black-box: rcptguard.h only.
 */
#include "rcptguard.h"
#include "rg-test-locale.h"

#include <glib.h>
#include <pthread.h>
#include <string.h>

static rg_checker *
make_checker (unsigned flags, const char *const *known)
{
  rg_config *config = rg_config_new ();
  rg_checker *checker = NULL;

  g_assert_nonnull (config);
  rg_config_set_flags (config, flags);
  for (; known != NULL && *known != NULL; known++)
    g_assert_cmpint (rg_config_add_known (config, *known, 10), ==, RG_OK);
  g_assert_cmpint (rg_checker_new (config, &checker), ==, RG_OK);
  rg_config_free (config);
  return checker;
}

/* Checks one list; asserts success and returns the report. */
static rg_report *
check_one (const rg_checker *checker, const char *list)
{
  rg_report *report = NULL;
  const char *lists[] = { list };

  g_assert_cmpint (rg_checker_check (checker, lists, 1, &report), ==, RG_OK);
  g_assert_nonnull (report);
  return report;
}

static void
test_status_names (void)
{
  const rg_status all[] = {
    RG_OK, RG_E_NOMEM, RG_E_INTERNAL, RG_E_INVALID_ARGUMENT, RG_E_ENCODING,
    RG_E_CONTROL_CHARACTER, RG_E_TOO_LONG, RG_E_TOO_MANY, RG_E_SYNTAX, RG_E_DOMAIN,
    RG_E_PUBLIC_SUFFIX,
  };
  GHashTable *seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (size_t i = 0; i < G_N_ELEMENTS (all); i++)
    {
      const char *name = rg_strerror_name (all[i]);

      g_assert_true (g_str_has_prefix (name, "RG_"));
      g_assert_cmpstr (name, !=, "RG_E_UNKNOWN");
      g_assert_false (g_hash_table_contains (seen, name));
      g_hash_table_add (seen, (gpointer) name);
      g_assert_cmpstr (rg_strerror (all[i]), !=, "Unknown error");
      /* Banded: -1xx system, -2xx input, -3xx policy or data. */
      g_assert_true (all[i] == RG_OK || (all[i] <= -100 && all[i] > -400));
    }
  g_assert_cmpstr (rg_strerror_name ((rg_status) -999), ==, "RG_E_UNKNOWN");
  g_assert_cmpstr (rg_strerror ((rg_status) 12), ==, "Unknown error");
  g_hash_table_unref (seen);
}

static void
test_reason_codes (void)
{
  GHashTable *seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (int r = 0; r < RG_N_REASONS; r++)
    {
      const char *code = rg_reason_to_code ((rg_reason) r);

      g_assert_cmpstr (code, !=, "unknown");
      g_assert_false (g_hash_table_contains (seen, code));
      g_hash_table_add (seen, (gpointer) code);
    }
  g_assert_cmpstr (rg_reason_to_code (RG_N_REASONS), ==, "unknown");
  g_assert_cmpstr (rg_reason_to_code ((rg_reason) -1), ==, "unknown");
  g_assert_cmpstr (rg_reason_to_code (RG_REASON_TLD_SWAP), ==, "tld-swap");
  g_assert_cmpstr (rg_verdict_to_string (RG_VERDICT_BLOCK), ==, "block");
  g_assert_cmpstr (rg_verdict_to_string ((rg_verdict) 7), ==, "unknown");
  g_hash_table_unref (seen);
}

static void
test_config_add_known (void)
{
  rg_config *config = rg_config_new ();
  char *long_domain = g_strnfill (300, 'a');
  g_autofree char *label = g_strnfill (64, 'b');
  char *long_label = g_strconcat (label, ".com", NULL);

  g_assert_cmpint (rg_config_add_known (config, "army.mil", 1), ==, RG_OK);
  g_assert_cmpint (rg_config_add_known (config, "ops@ARMY.MIL.", 0), ==, RG_OK);
  g_assert_cmpint (rg_config_add_known (config, "bücher.de", 1), ==, RG_OK);
  g_assert_cmpint (rg_config_add_known (config, "xn--bcher-kva.de", 1), ==, RG_OK);
  g_assert_cmpint (rg_config_add_known (config, "", 1), ==, RG_E_DOMAIN);
  g_assert_cmpint (rg_config_add_known (config, "a..b", 1), ==, RG_E_DOMAIN);
  g_assert_cmpint (rg_config_add_known (config, "localhost", 1), ==, RG_E_DOMAIN);
  g_assert_cmpint (rg_config_add_known (config, "co.uk", 1), ==, RG_E_PUBLIC_SUFFIX);
  g_assert_cmpint (rg_config_add_known (config, "[192.0.2.1]", 1), ==, RG_E_DOMAIN);
  g_assert_cmpint (rg_config_add_known (config, "xn--zz.com", 1), ==, RG_E_DOMAIN);
  g_assert_cmpint (rg_config_add_known (config, long_domain, 1), ==, RG_E_TOO_LONG);
  g_assert_cmpint (rg_config_add_known (config, long_label, 1), ==, RG_E_DOMAIN);
  g_assert_cmpint (rg_config_add_known (config, NULL, 1), ==, RG_E_INVALID_ARGUMENT);
  g_assert_cmpint (rg_config_add_known (NULL, "army.mil", 1), ==, RG_E_INVALID_ARGUMENT);

  g_assert_cmpint (rg_config_add_policy (config, RG_POLICY_BLOCK, "ml"), ==, RG_OK);
  g_assert_cmpint (rg_config_add_policy (config, RG_POLICY_WARN, "*.example.net"), ==, RG_OK);
  g_assert_cmpint (rg_config_add_policy (config, RG_POLICY_TRUSTED, ".co.uk"), ==, RG_OK);
  g_assert_cmpint (rg_config_add_policy (config, RG_POLICY_BLOCK, "a..b"), ==, RG_E_DOMAIN);
  g_assert_cmpint (rg_config_add_policy (config, (rg_policy) 9, "ml"), ==,
                   RG_E_INVALID_ARGUMENT);

  g_assert_cmpuint (rg_config_get_flags (config), ==, RG_CONFIG_DEFAULT_FLAGS);
  rg_config_set_flags (config, 0);
  g_assert_cmpuint (rg_config_get_flags (config), ==, 0);
  rg_config_free (config);
  rg_config_free (NULL);
  g_free (long_domain);
  g_free (long_label);
}

/* Adding a domain again adds its count, saturating; the suggestion reports it. */
static void
test_counts_merge (void)
{
  rg_config *config = rg_config_new ();
  rg_checker *checker = NULL;
  rg_report *report;
  const rg_finding *f;

  rg_config_add_known (config, "army.mil", 200);
  rg_config_add_known (config, "ops@Army.Mil", 14);
  rg_config_add_known (config, "navy.mil", UINT32_MAX);
  rg_config_add_known (config, "navy.mil", 5);
  g_assert_cmpint (rg_checker_new (config, &checker), ==, RG_OK);
  rg_config_free (config);

  report = check_one (checker, "Ops <ops@army.ml>, x@navy.ml");
  g_assert_cmpuint (rg_report_get_n_findings (report), ==, 2);
  f = rg_report_get_finding (report, 0);
  g_assert_cmpstr (rg_finding_get_suggestion (f), ==, "ops@army.mil");
  g_assert_cmpstr (rg_finding_get_suggested_domain (f), ==, "army.mil");
  g_assert_cmpuint (rg_finding_get_suggested_count (f), ==, 214);
  g_assert_nonnull (strstr (rg_finding_get_reason_message (f, 0), "Mali"));
  f = rg_report_get_finding (report, 1);
  g_assert_cmpuint (rg_finding_get_suggested_count (f), ==, UINT32_MAX);
  g_assert_null (rg_report_get_finding (report, 2));
  rg_report_free (report);
  rg_checker_free (checker);
}

static void
test_check_arguments (void)
{
  const char *known[] = { "army.mil", NULL };
  rg_checker *checker = (rg_checker *) 1;
  rg_report *report = (rg_report *) 1;
  const char *lists[] = { NULL };

  g_assert_cmpint (rg_checker_new (NULL, &checker), ==, RG_E_INVALID_ARGUMENT);
  g_assert_null (checker);
  checker = make_checker (RG_CONFIG_DEFAULT_FLAGS, known);
  g_assert_cmpint (rg_checker_check (NULL, lists, 0, &report), ==, RG_E_INVALID_ARGUMENT);
  g_assert_null (report);
  g_assert_cmpint (rg_checker_check (checker, NULL, 1, &report), ==, RG_E_INVALID_ARGUMENT);
  g_assert_cmpint (rg_checker_check (checker, lists, 1, &report), ==, RG_E_INVALID_ARGUMENT);
  g_assert_cmpint (rg_checker_check (checker, NULL, 0, NULL), ==, RG_E_INVALID_ARGUMENT);
  g_assert_cmpint (rg_checker_check (checker, NULL, 0, &report), ==, RG_OK);
  g_assert_cmpuint (rg_report_get_n_findings (report), ==, 0);
  g_assert_cmpint (rg_report_get_verdict (report), ==, RG_VERDICT_OK);
  rg_report_free (report);
  rg_report_free (NULL);
  g_assert_cmpuint (rg_report_get_n_findings (NULL), ==, 0);
  g_assert_null (rg_report_get_finding (NULL, 0));
  rg_checker_free (checker);
  rg_checker_free (NULL);
}

/* Findings come in input order and know their list; the report's verdict is the highest. */
static void
test_lists_and_order (void)
{
  const char *known[] = { "army.mil", NULL };
  rg_checker *checker = make_checker (RG_CONFIG_DEFAULT_FLAGS, known);
  const char *lists[] = { "a@army.mil, b@army.ml", "", "undisclosed-recipients:;",
                          "team: c@army.mil, \"d, e\" <d@gmial.com>;" };
  rg_report *report = NULL;

  g_assert_cmpint (rg_checker_check (checker, lists, G_N_ELEMENTS (lists), &report), ==,
                   RG_OK);
  g_assert_cmpuint (rg_report_get_n_findings (report), ==, 4);
  g_assert_cmpuint (rg_finding_get_list_index (rg_report_get_finding (report, 0)), ==, 0);
  g_assert_cmpuint (rg_finding_get_list_index (rg_report_get_finding (report, 1)), ==, 0);
  g_assert_cmpuint (rg_finding_get_list_index (rg_report_get_finding (report, 2)), ==, 3);
  g_assert_cmpuint (rg_finding_get_list_index (rg_report_get_finding (report, 3)), ==, 3);
  g_assert_cmpstr (rg_finding_get_address (rg_report_get_finding (report, 3)), ==,
                   "d@gmial.com");
  g_assert_cmpstr (rg_finding_get_suggestion (rg_report_get_finding (report, 3)), ==,
                   "d@gmail.com");
  g_assert_cmpint (rg_finding_get_verdict (rg_report_get_finding (report, 2)), ==,
                   RG_VERDICT_OK);
  g_assert_cmpint (rg_report_get_verdict (report), ==, RG_VERDICT_WARN);
  rg_report_free (report);
  rg_checker_free (checker);
}

/* Errors that concern the input as a whole: nothing is reported. */
static void
test_whole_input_errors (void)
{
  rg_checker *checker = make_checker (RG_CONFIG_DEFAULT_FLAGS, NULL);
  const char *bad_utf8[] = { "x@gm\xffil.com", "x@\xc0\xaf.com", "x@\xed\xa0\x80.com",
                             "x@a.com\xe2\x82" };
  const char *controls[] = { "x@army.ml\r\nBcc: y@evil.example", "x@army.ml\n",
                             "x@army\x01.ml", "x@army.ml\x7f" };
  GString *big = g_string_new (NULL);
  rg_report *report = NULL;

  for (size_t i = 0; i < G_N_ELEMENTS (bad_utf8); i++)
    {
      const char *lists[] = { bad_utf8[i] };

      g_assert_cmpint (rg_checker_check (checker, lists, 1, &report), ==, RG_E_ENCODING);
      g_assert_null (report);
    }
  for (size_t i = 0; i < G_N_ELEMENTS (controls); i++)
    {
      const char *lists[] = { controls[i] };

      g_assert_cmpint (rg_checker_check (checker, lists, 1, &report), ==,
                       RG_E_CONTROL_CHARACTER);
      g_assert_null (report);
    }

  /* Over the list limit. */
  g_string_append (big, "x@");
  while (big->len <= RG_MAX_LIST_OCTETS)
    g_string_append (big, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.");
  g_string_append (big, "com");
  {
    const char *lists[] = { big->str };

    g_assert_cmpint (rg_checker_check (checker, lists, 1, &report), ==, RG_E_TOO_LONG);
  }

  /* Over the recipient limit, split across lists. */
  g_string_truncate (big, 0);
  for (unsigned i = 0; i < RG_MAX_RECIPIENTS / 2 + 1; i++)
    g_string_append_printf (big, "u%u@example.com,", i);
  {
    const char *lists[] = { big->str, big->str };

    g_assert_cmpint (rg_checker_check (checker, lists, 2, &report), ==, RG_E_TOO_MANY);
    g_assert_null (report);
  }
  g_string_free (big, TRUE);
  rg_checker_free (checker);
}

typedef struct {
  const char *what;
  const char *list;      /* NULL: built by the test */
  rg_reason reason;
} hostile;

/* Each of these is a warning with a named reason: never ok, never a crash or a hang. */
static void
test_hostile_recipients (void)
{
  const char *known[] = { "army.mil", NULL };
  rg_checker *checker = make_checker (RG_CONFIG_DEFAULT_FLAGS, known);
  const hostile cases[] = {
    { "empty label", "x@a..b", RG_REASON_INVALID_DOMAIN },
    { "bad punycode", "x@xn--zz.com", RG_REASON_INVALID_DOMAIN },
    { "bidi override", "x@army\xe2\x80\xae.mil", RG_REASON_INVALID_DOMAIN },
    { "zero width", "x@ar\xe2\x80\x8bmy.mil", RG_REASON_INVISIBLE },
    { "full-width dot", "x@army\xef\xbc\x8emil", RG_REASON_INVISIBLE },
    { "ideographic dot", "x@army\xe3\x80\x82mil", RG_REASON_INVISIBLE },
    { "display name is an address", "\"ops@army.mil\" <ops@army.ml>", RG_REASON_TLD_SWAP },
    { "unquoted address as name", "ops@army.mil <ops@army.ml>", RG_REASON_TLD_SWAP },
    { "no at", "army.mil", RG_REASON_INVALID_ADDRESS },
    { "public suffix", "x@co.uk", RG_REASON_INVALID_DOMAIN },
    { "single label", "x@localhost", RG_REASON_INVALID_DOMAIN },
    { "unknown tld", "x@example.invalidtld", RG_REASON_UNKNOWN_TLD },
    { "bad literal", "x@[300.1.1.1]", RG_REASON_INVALID_DOMAIN },
    { "underscore", "x@a_b.example.com", RG_REASON_INVALID_DOMAIN },
    /* 64 + 1 + 192 octets: each part within its limit, the path over SMTP's 254. */
    { "address over 254 octets",
      "llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllll@"
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
      "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb."
      "ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc.com",
      RG_REASON_INVALID_ADDRESS },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      rg_report *report = check_one (checker, cases[i].list);
      const rg_finding *f;

      g_test_message ("%s: %s", cases[i].what, cases[i].list);
      g_assert_cmpuint (rg_report_get_n_findings (report), ==, 1);
      f = rg_report_get_finding (report, 0);
      g_assert_cmpint (rg_finding_get_verdict (f), ==, RG_VERDICT_WARN);
      g_assert_cmpint (rg_finding_get_reason (f, 0), ==, cases[i].reason);
      g_assert_nonnull (rg_finding_get_reason_message (f, 0));
      g_assert_null (rg_finding_get_reason_message (f, 99));
      rg_report_free (report);
    }
  rg_checker_free (checker);
}

/* A 1 MB local part, a 100,000-octet domain, 5,000 labels: warned about, messages short. */
static void
test_huge_parts (void)
{
  rg_checker *checker = make_checker (RG_CONFIG_DEFAULT_FLAGS, NULL);
  GString *s = g_string_new (NULL);
  struct { const char *what; rg_reason reason; } expect[3] = {
    { "1 MB local part", RG_REASON_INVALID_ADDRESS },
    { "100,000-octet domain", RG_REASON_INVALID_DOMAIN },
    { "5,000 labels", RG_REASON_INVALID_DOMAIN },
  };

  for (int i = 0; i < 3; i++)
    {
      rg_report *report;
      const rg_finding *f;

      g_string_truncate (s, 0);
      if (i == 0)
        {
          for (int j = 0; j < 1024 * 1024; j++)
            g_string_append_c (s, 'a');
          g_string_append (s, "@example.com");
        }
      else if (i == 1)
        {
          g_string_append (s, "x@");
          for (int j = 0; j < 100000 - 4; j++)
            g_string_append_c (s, j % 60 == 59 ? '.' : 'b');
          g_string_append (s, ".com");
        }
      else
        {
          g_string_append (s, "x@");
          for (int j = 0; j < 5000; j++)
            g_string_append (s, "a.");
          g_string_append (s, "com");
        }
      report = check_one (checker, s->str);
      g_test_message ("%s", expect[i].what);
      f = rg_report_get_finding (report, 0);
      g_assert_cmpint (rg_finding_get_verdict (f), ==, RG_VERDICT_WARN);
      g_assert_cmpint (rg_finding_get_reason (f, 0), ==, expect[i].reason);
      g_assert_cmpuint (strlen (rg_finding_get_reason_message (f, 0)), <, 400);
      rg_report_free (report);
    }
  g_string_free (s, TRUE);
  rg_checker_free (checker);
}

/* 20,000 recipients in one list are all checked. */
static void
test_many_recipients (void)
{
  const char *known[] = { "army.mil", NULL };
  rg_checker *checker = make_checker (RG_CONFIG_DEFAULT_FLAGS, known);
  GString *s = g_string_new (NULL);
  rg_report *report;
  gint64 start;

  for (int i = 0; i < 20000; i++)
    g_string_append_printf (s, "%sUser %d <u%d@army.%s>", i ? ", " : "", i, i,
                            i % 2 ? "ml" : "mil");
  start = g_get_monotonic_time ();
  report = check_one (checker, s->str);
  g_test_message ("20,000 recipients checked in %.1f ms",
                  (g_get_monotonic_time () - start) / 1000.0);
  g_assert_cmpuint (rg_report_get_n_findings (report), ==, 20000);
  for (int i = 0; i < 20000; i++)
    {
      const rg_finding *f = rg_report_get_finding (report, (size_t) i);

      g_assert_cmpint (rg_finding_get_verdict (f), ==, i % 2 ? RG_VERDICT_WARN : RG_VERDICT_OK);
    }
  rg_report_free (report);
  g_string_free (s, TRUE);
  rg_checker_free (checker);
}

/* The flags switch the built-in providers, lookalikes and notices. */
static void
test_flags (void)
{
  const char *known[] = { "army.mil", NULL };
  rg_checker *plain = make_checker (0, known);
  rg_checker *notice = make_checker (RG_CONFIG_DEFAULT_FLAGS | RG_CONFIG_NOTICE_NEW_DOMAINS,
                                     known);
  rg_report *report;

  report = check_one (plain, "x@gmial.com");
  g_assert_cmpint (rg_report_get_verdict (report), ==, RG_VERDICT_OK);
  rg_report_free (report);
  /* Without lookalike checks the Cyrillic "а" is still one substitution from army.mil. */
  report = check_one (plain, "x@\xd0\xb0rmy.mil");
  g_assert_cmpint (rg_finding_get_reason (rg_report_get_finding (report, 0), 0), !=,
                   RG_REASON_CONFUSABLE);
  rg_report_free (report);

  report = check_one (notice, "x@example.org, y@army.mil");
  g_assert_cmpint (rg_finding_get_verdict (rg_report_get_finding (report, 0)), ==,
                   RG_VERDICT_NOTICE);
  g_assert_cmpint (rg_finding_get_reason (rg_report_get_finding (report, 0), 0), ==,
                   RG_REASON_NEW_DOMAIN);
  g_assert_cmpint (rg_finding_get_verdict (rg_report_get_finding (report, 1)), ==,
                   RG_VERDICT_OK);
  rg_report_free (report);
  rg_checker_free (plain);
  rg_checker_free (notice);
}

/* Upper case I in the tr_TR locale must still fold to "i", not to a dotless "ı". */
/* rg_checker_check_blocks (): the block list alone decides; a blocked recipient keeps all
 * the full check says of it, every other one is ok with nothing to say; input errors are
 * those of the full check. */
static void
test_check_blocks (void)
{
  rg_config *config = rg_config_new ();
  rg_checker *checker = NULL;
  rg_report *report = NULL;
  const char *lists[] = { "Ops <ops@army.ml>, x@gmial.com", "y@shop.nl", "not an address",
                          "z@[127.0.0.1]" };
  const char *bad[] = { "x@army.ml\r\nBcc: y@evil.example" };
  const rg_finding *f;

  g_assert_cmpint (rg_config_add_known (config, "army.mil", 50), ==, RG_OK);
  g_assert_cmpint (rg_config_add_policy (config, RG_POLICY_BLOCK, "ml"), ==, RG_OK);
  g_assert_cmpint (rg_config_add_policy (config, RG_POLICY_WARN, "nl"), ==, RG_OK);
  g_assert_cmpint (rg_checker_new (config, &checker), ==, RG_OK);
  rg_config_free (config);

  g_assert_cmpint (rg_checker_check_blocks (checker, lists, G_N_ELEMENTS (lists), &report), ==,
                   RG_OK);
  g_assert_cmpint (rg_report_get_verdict (report), ==, RG_VERDICT_BLOCK);
  g_assert_cmpuint (rg_report_get_n_findings (report), ==, 5);
  f = rg_report_get_finding (report, 0);
  g_assert_cmpint (rg_finding_get_verdict (f), ==, RG_VERDICT_BLOCK);
  g_assert_cmpint (rg_finding_get_reason (f, 0), ==, RG_REASON_POLICY_BLOCK);
  g_assert_cmpstr (rg_finding_get_suggestion (f), ==, "ops@army.mil");
  for (size_t i = 1; i < 5; i++)
    {
      f = rg_report_get_finding (report, i);
      g_assert_cmpint (rg_finding_get_verdict (f), ==, RG_VERDICT_OK);
      g_assert_cmpint (rg_finding_get_score (f), ==, 0);
      g_assert_cmpuint (rg_finding_get_n_reasons (f), ==, 0);
      g_assert_null (rg_finding_get_suggestion (f));
      g_assert_null (rg_finding_get_suggested_domain (f));
    }
  g_assert_cmpuint (rg_finding_get_list_index (rg_report_get_finding (report, 4)), ==, 3);
  rg_report_free (report);
  report = NULL;

  /* The full check has something to say of every one of them (the IP literal a notice). */
  g_assert_cmpint (rg_checker_check (checker, lists, G_N_ELEMENTS (lists), &report), ==,
                   RG_OK);
  for (size_t i = 1; i < 5; i++)
    g_assert_cmpint (rg_finding_get_verdict (rg_report_get_finding (report, i)), >=,
                     RG_VERDICT_NOTICE);
  rg_report_free (report);
  report = NULL;

  g_assert_cmpint (rg_checker_check_blocks (checker, bad, 1, &report), ==,
                   RG_E_CONTROL_CHARACTER);
  g_assert_null (report);
  g_assert_cmpint (rg_checker_check_blocks (checker, NULL, 0, &report), ==, RG_OK);
  g_assert_cmpuint (rg_report_get_n_findings (report), ==, 0);
  rg_report_free (report);
  rg_checker_free (checker);
}

static void
test_case_folding (void)
{
  rg_checker *checker = make_checker (RG_CONFIG_DEFAULT_FLAGS, NULL);
  rg_report *report = check_one (checker, "X@GMAIL.COM, Y@HOTMAIL.IT, Z@ICLOUD.COM");

  for (size_t i = 0; i < 3; i++)
    g_assert_cmpint (rg_finding_get_verdict (rg_report_get_finding (report, i)), ==,
                     RG_VERDICT_OK);
  g_assert_cmpstr (rg_finding_get_domain (rg_report_get_finding (report, 1)), ==, "hotmail.it");
  rg_report_free (report);
  rg_checker_free (checker);
}

typedef struct {
  const rg_checker *checker;
  GString *out;
} thread_job;

static const char *const thread_inputs[] = {
  "ops@army.ml", "x@gmial.com", "y@hr.exmaple.com", "z@example.org", "w@\xd0\xb0rmy.mil",
  "v@hotmial.co.uk", "u@army.mil",
};

static void *
run_checks (void *data)
{
  thread_job *job = data;

  for (int round = 0; round < 200; round++)
    for (size_t i = 0; i < G_N_ELEMENTS (thread_inputs); i++)
      {
        rg_report *report = NULL;
        const char *lists[] = { thread_inputs[i] };
        const rg_finding *f;

        if (rg_checker_check (job->checker, lists, 1, &report) != RG_OK)
          {
            g_string_append (job->out, "error;");
            continue;
          }
        f = rg_report_get_finding (report, 0);
        g_string_append_printf (job->out, "%s %s %s;",
                                rg_verdict_to_string (rg_finding_get_verdict (f)),
                                rg_finding_get_suggestion (f) ? rg_finding_get_suggestion (f)
                                                              : "-",
                                rg_finding_get_n_reasons (f)
                                  ? rg_finding_get_reason_message (f, 0) : "-");
        rg_report_free (report);
      }
  return NULL;
}

/* One checker, four threads at once: the same answers as one thread alone. */
static void
test_threads (void)
{
  const char *known[] = { "army.mil", "hr.example.com", NULL };
  rg_checker *checker = make_checker (RG_CONFIG_DEFAULT_FLAGS, known);
  thread_job reference = { checker, g_string_new (NULL) };
  thread_job jobs[4];
  pthread_t threads[4];

  run_checks (&reference);
  g_assert_nonnull (strstr (reference.out->str, "warn ops@army.mil"));
  for (int i = 0; i < 4; i++)
    {
      jobs[i].checker = checker;
      jobs[i].out = g_string_new (NULL);
      g_assert_cmpint (pthread_create (&threads[i], NULL, run_checks, &jobs[i]), ==, 0);
    }
  for (int i = 0; i < 4; i++)
    {
      pthread_join (threads[i], NULL);
      g_assert_cmpstr (jobs[i].out->str, ==, reference.out->str);
      g_string_free (jobs[i].out, TRUE);
    }
  g_string_free (reference.out, TRUE);
  rg_checker_free (checker);
}

static void
test_builtin_data (void)
{
  size_t n = 0;
  const char *const *providers = rg_builtin_providers (&n);
  gboolean gmail = FALSE;

  g_assert_cmpuint (n, >, 100);
  for (size_t i = 0; i < n; i++)
    gmail = gmail || strcmp (providers[i], "gmail.com") == 0;
  g_assert_true (gmail);
  g_assert_cmpstr (rg_tld_country ("ml"), ==, "Mali");
  g_assert_cmpstr (rg_tld_country ("ML"), ==, "Mali");
  g_assert_null (rg_tld_country ("mil"));
  g_assert_null (rg_tld_country (NULL));
}

int
main (int argc, char **argv)
{
  rg_test_init_locale ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/status-names", test_status_names);
  g_test_add_func ("/core/reason-codes", test_reason_codes);
  g_test_add_func ("/core/config-add-known", test_config_add_known);
  g_test_add_func ("/core/counts-merge", test_counts_merge);
  g_test_add_func ("/core/check-arguments", test_check_arguments);
  g_test_add_func ("/core/lists-and-order", test_lists_and_order);
  g_test_add_func ("/core/whole-input-errors", test_whole_input_errors);
  g_test_add_func ("/core/hostile-recipients", test_hostile_recipients);
  g_test_add_func ("/core/huge-parts", test_huge_parts);
  g_test_add_func ("/core/many-recipients", test_many_recipients);
  g_test_add_func ("/core/flags", test_flags);
  g_test_add_func ("/core/check-blocks", test_check_blocks);
  g_test_add_func ("/core/case-folding", test_case_folding);
  g_test_add_func ("/core/threads", test_threads);
  g_test_add_func ("/core/builtin-data", test_builtin_data);
  return g_test_run ();
}
