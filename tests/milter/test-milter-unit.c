/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-milter-unit.c - rcptguard-milter's parts without Postfix: the config file reader
 * (common/glib/rg-milter-config.c), the decision at the end of a message
 * (plugin/milter/rg-milter-message.c), the reply text, the log-line parser of "learn" and the
 * SQLite store.  test-milter.py runs the same through a real Postfix.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <rcptguard.h>
#include <stdlib.h>
#include <string.h>

#include "rg-milter-config.h"
#include "rg-milter-learn.h"
#include "rg-milter-message.h"
#include "rg-milter-store.h"

static RgMilterConfig *
config_from (const char *text)
{
  g_autoptr (GError) error = NULL;
  RgMilterConfig *config = rg_milter_config_load_data (text, strlen (text), "test.conf",
                                                       &error);

  g_assert_no_error (error);
  g_assert_nonnull (config);
  return config;
}

static gboolean
has_problem (const RgMilterConfig *config, const char *part)
{
  for (guint i = 0; config->problems[i] != NULL; i++)
    if (strstr (config->problems[i], part) != NULL)
      return TRUE;
  return FALSE;
}

static void
test_config_defaults (void)
{
  g_autoptr (RgMilterConfig) config = config_from ("");

  g_assert_cmpint (config->on_error, ==, RG_ON_ERROR_WARN);
  g_assert_cmpint (config->warn_action, ==, RG_WARN_ACTION_REJECT_ONCE);
  g_assert_cmpuint (config->reject_once_hours, ==, 24);
  g_assert_false (config->accept_confirmations);
  g_assert_true (config->check_lookalikes);
  g_assert_true (config->log_decisions);
  g_assert_cmpint (config->log_local_parts, ==, RG_LOCAL_PARTS_HMAC);
  g_assert_true (rg_milter_config_in_networks (config, "127.0.0.1"));
  g_assert_true (rg_milter_config_in_networks (config, "::1"));
  g_assert_false (rg_milter_config_in_networks (config, "192.0.2.1"));
  g_assert_false (rg_milter_config_in_networks (config, "not an address"));
  g_assert_cmpuint (g_strv_length (config->problems), ==, 0);
}

static void
test_config_values (void)
{
  g_autoptr (RgMilterConfig) config = config_from (
    "[policy]\n"
    "block-domains = ml; a..b ;*.tk\n"
    "known-domains = army.mil;co.uk\n"
    "on-error = sometimes\n"
    "log-local-parts = plain\n"
    "colour = blue\n"
    "[milter]\n"
    "organisation-domains = example.org\n"
    "organisation-networks = 10.0.0.0/8;2001:db8::/32;999.1.1.1\n"
    "warn-action = tag\n"
    "reject-once-hours = 0\n"
    "accept-confirmations = yes please\n"
    "[other]\n");

  g_assert_cmpstrv (config->block_domains, ((const char *const[]) { "ml", "*.tk", NULL }));
  g_assert_cmpstrv (config->known_domains, ((const char *const[]) { "army.mil", NULL }));
  g_assert_true (has_problem (config, "block-domains 'a..b'"));
  g_assert_true (has_problem (config, "known-domains 'co.uk'"));
  g_assert_true (has_problem (config, "on-error 'sometimes'"));
  g_assert_true (has_problem (config, "colour: unknown key"));
  g_assert_true (has_problem (config, "[other]: unknown group"));
  g_assert_true (has_problem (config, "organisation-networks '999.1.1.1'"));
  g_assert_true (has_problem (config, "reject-once-hours"));
  g_assert_true (has_problem (config, "accept-confirmations"));
  g_assert_cmpint (config->on_error, ==, RG_ON_ERROR_WARN);
  g_assert_cmpint (config->log_local_parts, ==, RG_LOCAL_PARTS_PLAIN);
  g_assert_cmpint (config->warn_action, ==, RG_WARN_ACTION_TAG);
  g_assert_cmpuint (config->reject_once_hours, ==, 24);
  g_assert_false (config->accept_confirmations);
  g_assert_true (rg_milter_config_in_networks (config, "10.1.2.3"));
  g_assert_true (rg_milter_config_in_networks (config, "2001:db8::5"));
  g_assert_false (rg_milter_config_in_networks (config, "127.0.0.1"));
  g_assert_true (rg_milter_config_is_organisation_domain (config, "EXAMPLE.org"));
  g_assert_true (rg_milter_config_is_organisation_domain (config, "hr.example.org"));
  g_assert_false (rg_milter_config_is_organisation_domain (config, "badexample.org"));
}

static void
test_config_not_a_key_file (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RgMilterConfig) config = rg_milter_config_load_data ("no group\n", 9, "x.conf",
                                                                  &error);

  g_assert_null (config);
  g_assert_nonnull (error);
}

/* A checker that knows army.mil well (learned), and blocks .tk. */
static rg_checker *
make_checker (const RgMilterConfig *config)
{
  rg_config *core = rg_config_new ();
  rg_checker *checker = NULL;

  rg_milter_config_apply (config, core);
  g_assert_cmpint (rg_config_add_evidence (core, "army.mil", 214, RG_SOURCE_COLLECTED), ==,
                   RG_OK);
  g_assert_cmpint (rg_checker_new (core, &checker), ==, RG_OK);
  rg_config_free (core);
  return checker;
}

static gboolean
remembered_ops (const char *sender, const char *recipient, gpointer data)
{
  return g_strcmp0 (sender, "sender@example.org") == 0
         && g_strcmp0 (recipient, "ops@army.ml") == 0;
}

static RgMilterMessage *
outgoing_to (const char *recipient)
{
  RgMilterMessage *message = rg_milter_message_new ();

  rg_milter_message_set_outgoing (message, TRUE);
  rg_milter_message_set_sender (message, "<Sender@Example.ORG>");
  rg_milter_message_add_recipient (message, recipient);
  return message;
}

static void
test_decide_reject_once (void)
{
  g_autoptr (RgMilterConfig) config = config_from ("[milter]\norganisation-domains=example.org\n");
  rg_checker *checker = make_checker (config);
  g_autoptr (RgMilterMessage) message = outgoing_to ("<ops@army.ml>");
  RgMilterVerdict verdict;

  g_assert_cmpstr (rg_milter_message_get_sender (message), ==, "sender@example.org");
  rg_milter_message_decide (message, checker, config, NULL, NULL, &verdict);
  g_assert_cmpint (verdict.action, ==, RG_MILTER_REJECT);
  g_assert_cmpstr (verdict.rcode, ==, "550");
  g_assert_cmpstr (verdict.xcode, ==, "5.1.0");
  g_assert_nonnull (strstr (verdict.text, "Did you mean ops@army.mil?"));
  g_assert_nonnull (strstr (verdict.text, "within 24 hours"));
  g_assert_cmpuint (verdict.remember->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (verdict.remember, 0), ==, "ops@army.ml");
  g_assert_null (verdict.learn);
  g_assert_true (verdict.log);
  g_assert_cmpstr (verdict.log_action, ==, "reject-once");
  rg_milter_verdict_clear (&verdict);

  /* Sent again: remembered, so it passes and is learned. */
  rg_milter_message_decide (message, checker, config, remembered_ops, NULL, &verdict);
  g_assert_cmpint (verdict.action, ==, RG_MILTER_ACCEPT);
  g_assert_cmpstr (verdict.log_action, ==, "resent");
  g_assert_cmpint (verdict.decision, ==, RG_DECISION_SENT_ANYWAY);
  g_assert_cmpuint (verdict.learn->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (verdict.learn, 0), ==, "army.ml");
  rg_milter_verdict_clear (&verdict);
  rg_checker_free (checker);
}

static void
test_decide_block_and_actions (void)
{
  const struct {
    const char *config;
    RgMilterAction action;
    const char *log_action;
  } rows[] = {
    { "[policy]\nblock-domains=ml\n", RG_MILTER_REJECT, "blocked" },
    { "[milter]\nwarn-action=hold\n", RG_MILTER_HOLD, "hold" },
    { "[milter]\nwarn-action=tag\n", RG_MILTER_ACCEPT, "tag" },
    { "[milter]\nwarn-action=accept\n", RG_MILTER_ACCEPT, "accept" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr (RgMilterConfig) config = config_from (rows[i].config);
      rg_checker *checker = make_checker (config);
      g_autoptr (RgMilterMessage) message = outgoing_to ("ops@army.ml");
      RgMilterVerdict verdict;

      /* A block is never lifted by a resend. */
      rg_milter_message_decide (message, checker, config, remembered_ops, NULL, &verdict);
      g_assert_cmpint (verdict.action, ==, rows[i].action);
      g_assert_cmpstr (verdict.log_action, ==, rows[i].log_action);
      if (rows[i].action == RG_MILTER_REJECT)
        g_assert_cmpstr (verdict.xcode, ==, "5.7.1");
      if (g_strcmp0 (rows[i].log_action, "tag") == 0)
        g_assert_cmpstr (verdict.tag, ==, "warn ops@army.ml; suggested ops@army.mil");
      rg_milter_verdict_clear (&verdict);
      rg_checker_free (checker);
    }
}

static void
test_decide_confirmed_header (void)
{
  g_autoptr (RgMilterConfig) on = config_from ("[milter]\naccept-confirmations=true\n");
  g_autoptr (RgMilterConfig) off = config_from ("");
  rg_checker *checker = make_checker (on);
  g_autoptr (RgMilterMessage) message = outgoing_to ("ops@army.ml");
  RgMilterVerdict verdict;

  rg_milter_message_add_header (message, "Subject", "ops@army.ml");
  rg_milter_message_add_header (message, "x-recipient-guard-confirmed",
                                "Ops <OPS@army.ml>,\r\n\tother@example.net");
  rg_milter_message_add_header (message, "X-Recipient-Guard-Confirmed", "");
  g_assert_cmpuint (rg_milter_message_get_n_confirmed_headers (message), ==, 2);
  g_assert_true (rg_milter_message_is_confirmed (message, "ops@army.ml"));
  g_assert_true (rg_milter_message_is_confirmed (message, "other@example.net"));

  rg_milter_message_decide (message, checker, on, NULL, NULL, &verdict);
  g_assert_cmpint (verdict.action, ==, RG_MILTER_ACCEPT);
  g_assert_cmpstr (verdict.log_action, ==, "confirmed-header");
  rg_milter_verdict_clear (&verdict);

  rg_milter_message_decide (message, checker, off, NULL, NULL, &verdict);
  g_assert_cmpint (verdict.action, ==, RG_MILTER_REJECT);
  rg_milter_verdict_clear (&verdict);
  rg_checker_free (checker);
}

static void
test_decide_not_outgoing_and_failures (void)
{
  const struct {
    const char *config;
    RgMilterAction action;
    const char *code;
  } rows[] = {
    { "[policy]\non-error=allow\n", RG_MILTER_ACCEPT, NULL },
    { "[policy]\non-error=warn\n", RG_MILTER_TEMPFAIL, "4.7.1" },
    { "[policy]\non-error=block\n", RG_MILTER_REJECT, "5.7.1" },
  };
  g_autoptr (RgMilterMessage) incoming = outgoing_to ("ops@army.ml");
  g_autoptr (RgMilterConfig) config = config_from ("");
  RgMilterVerdict verdict;

  rg_milter_message_set_outgoing (incoming, FALSE);
  rg_milter_message_decide (incoming, NULL, config, NULL, NULL, &verdict);
  g_assert_cmpint (verdict.action, ==, RG_MILTER_ACCEPT);
  g_assert_false (verdict.log);
  g_assert_null (verdict.learn);
  rg_milter_verdict_clear (&verdict);

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr (RgMilterConfig) c = config_from (rows[i].config);
      g_autoptr (RgMilterMessage) message = outgoing_to ("ops@army.ml");

      /* No checker: the check cannot be made. */
      rg_milter_message_decide (message, NULL, c, NULL, NULL, &verdict);
      g_assert_cmpint (verdict.action, ==, rows[i].action);
      g_assert_cmpstr (verdict.xcode, ==, rows[i].code);
      g_assert_cmpint (verdict.decision, ==, RG_DECISION_CHECK_FAILED);
      rg_milter_verdict_clear (&verdict);
    }
}

static void
test_reply_text (void)
{
  g_autofree char *a = rg_milter_dup_reply_text ("100% “sure” — ok\r\nx\xff", 100);
  g_autofree char *b = rg_milter_dup_reply_text ("%%%%", 5);

  g_assert_cmpstr (a, ==, "100%% \"sure\" - ok??x?");
  g_assert_cmpstr (b, ==, "%%%%");
}

static void
test_learn_lines (void)
{
  const struct {
    const char *line;
    const char *domain;
  } rows[] = {
    { "Dec  4 10:00:00 mx postfix/smtp[1]: 4BC1: to=<ops@Army.MIL>, relay=mx[192.0.2.1]:25, "
      "delay=1, dsn=2.0.0, status=sent (250 ok)", "army.mil" },
    { "4BC1: to=<ops@army.mil.>, orig_to=<o@x.example>, relay=local, status=sent (delivered)",
      "army.mil" },
    { "4BC1: to=<\"a@b\"@quoted.example>, status=sent (250 ok)", "quoted.example" },
    { "4BC1: to=<ops@army.mil>, relay=none, status=bounced (no)", NULL },
    { "4BC1: to=<ops@army.mil>, status=deferred (x)", NULL },
    { "4BC1: orig_to=<ops@army.mil>, status=sent (x)", NULL },
    { "4BC1: to=<postmaster>, status=sent (x)", NULL },
    { "4BC1: to=<a@>, status=sent (x)", NULL },
    { "4BC1: to=<a@b c>, status=sent (x)", NULL },
    { "4BC1: to=<a@b.example", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *domain = rg_milter_learn_parse_line (rows[i].line,
                                                            strlen (rows[i].line));

      g_assert_cmpstr (domain, ==, rows[i].domain);
    }
}

static void
test_store (void)
{
  g_autofree char *dir = g_dir_make_tmp ("rg-milter-store-XXXXXX", NULL);
  g_autofree char *state = g_build_filename (dir, "state", NULL);
  g_autoptr (GError) error = NULL;
  const char *domains[] = { "army.mil", "example.com" };
  const uint32_t counts[] = { 5, 1 };
  guint n_new = 0;
  gint64 n_domains = 0, n_uses = 0;

  {
    g_autoptr (RgMilterStore) store = rg_milter_store_open (state, &error);

    g_assert_no_error (error);
    g_assert_true (rg_milter_store_add_domains (store, domains, counts, 2, &n_new, &error));
    g_assert_cmpuint (n_new, ==, 2);
    g_assert_true (rg_milter_store_add_domains (store, domains, NULL, 2, &n_new, &error));
    g_assert_cmpuint (n_new, ==, 0);
    g_assert_cmpuint (rg_milter_store_get_count (store, "army.mil"), ==, 6);
    g_assert_true (rg_milter_store_remember (store, "s@x", "ops@army.ml", 1000, &error));
    g_assert_true (rg_milter_store_is_remembered (store, "s@x", "ops@army.ml", 999));
    g_assert_false (rg_milter_store_is_remembered (store, "s@x", "ops@army.ml", 1000));
    g_assert_false (rg_milter_store_is_remembered (store, "t@x", "ops@army.ml", 1));
    g_assert_cmpint (rg_milter_store_purge (store, 2000), ==, 1);
  }
  {
    /* Opened again: what was committed is there. */
    g_autoptr (RgMilterStore) store = rg_milter_store_open (state, &error);

    g_assert_true (rg_milter_store_get_totals (store, &n_domains, &n_uses, &error));
    g_assert_cmpint (n_domains, ==, 2);
    g_assert_cmpint (n_uses, ==, 8);
  }
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);

    g_assert_cmpint (system (cmd), ==, 0);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/milter/config/defaults", test_config_defaults);
  g_test_add_func ("/milter/config/values", test_config_values);
  g_test_add_func ("/milter/config/not-a-key-file", test_config_not_a_key_file);
  g_test_add_func ("/milter/decide/reject-once", test_decide_reject_once);
  g_test_add_func ("/milter/decide/block-and-actions", test_decide_block_and_actions);
  g_test_add_func ("/milter/decide/confirmed-header", test_decide_confirmed_header);
  g_test_add_func ("/milter/decide/not-outgoing-and-failures",
                   test_decide_not_outgoing_and_failures);
  g_test_add_func ("/milter/reply-text", test_reply_text);
  g_test_add_func ("/milter/learn-lines", test_learn_lines);
  g_test_add_func ("/milter/store", test_store);
  return g_test_run ();
}
