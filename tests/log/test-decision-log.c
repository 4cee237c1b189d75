/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The decision log in one process: the record (default policy: no local part anywhere, in
 * the file or in the journal fields; hmac stable and distinct; none; plain), the journal entry
 * as a capturing writer receives it, log-decisions off, the file's permissions and rotation,
 * the size cap, and failures (an unwritable folder, a full device, a broken key) that are
 * reported once while the caller goes on.
 *
 * The settings live in a memory backend (the schema compiled in the build tree,
 * GSETTINGS_SCHEMA_DIR); every test logs into a fresh folder of its own.  Run through
 * tests/common/rg-session (meson does), so that $XDG_STATE_HOME is a throwaway one too.
 */
#define G_LOG_DOMAIN "rcptguard-test"
#define G_SETTINGS_ENABLE_BACKEND

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gsettingsbackend.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "rg-autoptr.h"
#include "rg-decision-journal.h"
#include "rg-decision-log.h"
#include "rg-settings.h"
#include "rg-test-locale.h"
#include "rg-test-files.h"
#include "rg-test-settings.h"

/* Every local part and display name in these tests holds this, so that a leak is found by
 * one search, in any case. */
#define MARK "zq7"

typedef struct
{
  char *folder;
  GSettings *settings;
  RgDecisionLog *log;
  GPtrArray *entries; /* of GPtrArray of "KEY=VALUE" */
  GPtrArray *levels;  /* the GLogLevelFlags of each entry, as pointers */
  rg_checker *checker;
} Fixture;

/* The capturing writer: each entry's fields as "KEY=VALUE" strings. */
static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  Fixture *fixture = user_data;
  GPtrArray *entry = g_ptr_array_new_with_free_func (g_free);

  for (gsize i = 0; i < n_fields; i++)
    {
      gsize len = fields[i].length < 0 ? strlen (fields[i].value) : (gsize) fields[i].length;

      g_ptr_array_add (entry, g_strdup_printf ("%s=%.*s", fields[i].key, (int) len,
                                               (const char *) fields[i].value));
    }
  g_ptr_array_add (fixture->entries, entry);
  g_ptr_array_add (fixture->levels, GUINT_TO_POINTER (log_level));
  return G_LOG_WRITER_HANDLED;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (rg_config) config = rg_config_new ();
  g_autofree char *tmp = g_dir_make_tmp ("rg-log-XXXXXX", &error);

  g_assert_no_error (error);
  fixture->folder = g_build_filename (tmp, "state", "rcptguard", NULL);
  fixture->settings = rg_test_settings_new (NULL);
  fixture->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  fixture->levels = g_ptr_array_new ();
  fixture->log = rg_decision_log_new (fixture->settings, "evolution");
  rg_decision_log_set_folder (fixture->log, fixture->folder);
  rg_decision_log_set_journal_writer (fixture->log, capture_writer, fixture, NULL);

  g_assert_cmpint (rg_config_add_known (config, "army.mil", 214), ==, RG_OK);
  g_assert_cmpint (rg_config_add_known (config, "gmail.com", 3), ==, RG_OK);
  g_assert_cmpint (rg_checker_new (config, &fixture->checker), ==, RG_OK);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *state = g_path_get_dirname (fixture->folder);
  g_autofree char *tmp = g_path_get_dirname (state);

  g_clear_object (&fixture->log);
  g_clear_object (&fixture->settings);
  g_clear_pointer (&fixture->entries, g_ptr_array_unref);
  g_clear_pointer (&fixture->levels, g_ptr_array_unref);
  g_clear_pointer (&fixture->checker, rg_checker_free);
  rg_test_remove_tree (tmp);
  g_free (fixture->folder);
}

static rg_report *
check (Fixture    *fixture,
       const char *list)
{
  rg_report *report = NULL;

  g_assert_cmpint (rg_checker_check (fixture->checker, &list, 1, &report), ==, RG_OK);
  return report;
}

/* The writer thread has written every record made so far. */
static void
wait_written (RgDecisionLog *log)
{
  g_assert_true (rg_decision_log_flush (log, 10 * G_USEC_PER_SEC));
}

static char *
log_path (Fixture    *fixture,
          const char *name)
{
  return g_build_filename (fixture->folder, name, NULL);
}

/* The lines of decisions.jsonl (or @name), each checked to be a JSON object ending in "\n". */
static GPtrArray *
read_records (Fixture    *fixture,
              const char *name)
{
  g_autofree char *path = log_path (fixture, name);
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_auto (GStrv) lines = NULL;
  gsize len;

  wait_written (fixture->log);
  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  g_assert_true (len == 0 || contents[len - 1] == '\n');
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i + 1] != NULL; i++)
    {
      JsonNode *node = json_from_string (lines[i], &error);

      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      g_ptr_array_add (records, node);
    }
  return records;
}

static JsonObject *
record_at (GPtrArray *records,
           guint      i)
{
  g_assert_cmpuint (i, <, records->len);
  return json_node_get_object (g_ptr_array_index (records, i));
}

/* The value of field @key in @entry; the @nth of them when it is repeated; NULL if none. */
static const char *
field (GPtrArray  *entry,
       const char *key,
       guint       nth)
{
  gsize key_len = strlen (key);

  for (guint i = 0; i < entry->len; i++)
    {
      const char *kv = g_ptr_array_index (entry, i);

      if (strncmp (kv, key, key_len) == 0 && kv[key_len] == '=' && nth-- == 0)
        return kv + key_len + 1;
    }
  return NULL;
}

static void
assert_no_mark (const char *what,
                const char *text)
{
  g_autofree char *lower = g_ascii_strdown (text, -1);

  if (strstr (lower, MARK) != NULL)
    g_error ("a local part or display name is in %s: %s", what, text);
}

static gboolean
is_pseudonym (const char *text)
{
  if (!g_str_has_prefix (text, "hmac-sha256:") || strlen (text) != 12 + 64)
    return FALSE;
  for (const char *p = text + 12; *p != '\0'; p++)
    {
      if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
        return FALSE;
    }
  return TRUE;
}

static const char *
suggestion_member (JsonObject *recipient,
                   const char *name)
{
  JsonObject *suggestion = json_object_get_object_member (recipient, "suggestion");

  g_assert_nonnull (suggestion);
  return json_object_get_string_member_with_default (suggestion, name, NULL);
}

/* ---------------------------------------------------------------------------------------- */

/* The default policy: records in the file and the journal, no local part or display name
 * anywhere, every flagged recipient with its facts, permissions 0700/0600. */
static void
test_default_policy (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr (rg_report) report = check (fixture, "Zq7 Ops <zq7ops@army.ml>, "
                                        "zq7friend@gmial.com, zq7fine@gmail.com");
  g_autoptr (GPtrArray) records = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *path = log_path (fixture, "decisions.jsonl");
  g_autofree char *key = log_path (fixture, "hmac-key");
  g_autofree char *lock = log_path (fixture, "decisions.jsonl.lock");
  JsonObject *record;
  JsonArray *recipients;
  JsonObject *army, *gmial;
  GPtrArray *entry;

  g_assert_true (g_settings_get_boolean (fixture->settings, "log-decisions"));
  g_assert_cmpint (g_settings_get_enum (fixture->settings, "log-local-parts"), ==,
                   RG_LOCAL_PARTS_HMAC);

  rg_decision_log_record (fixture->log, RG_DECISION_SENT_ANYWAY, "Zq7Sender@Example.ORG",
                          report, NULL, 0, NULL, TRUE, NULL, NULL);
  wait_written (fixture->log);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  assert_no_mark ("the file", contents);
  records = read_records (fixture, "decisions.jsonl");
  g_assert_cmpuint (records->len, ==, 1);
  record = record_at (records, 0);
  g_assert_cmpint (json_object_get_int_member (record, "v"), ==, 2);
  g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$",
                                       json_object_get_string_member (record, "time"), 0, 0));
  g_assert_cmpstr (json_object_get_string_member (record, "decision"), ==, "sent-anyway");
  g_assert_cmpstr (json_object_get_string_member (record, "client"), ==, "evolution");
  g_assert_cmpstr (json_object_get_string_member (record, "sender_domain"), ==, "example.org");
  g_assert_true (json_object_get_boolean_member (record, "policy_locked"));
  g_assert_cmpstr (json_object_get_string_member (record, "local_parts"), ==, "hmac");
  g_assert_cmpstr (json_object_get_string_member (record, "verdict"), ==, "warn");
  g_assert_false (json_object_has_member (record, "recipients_omitted"));
  g_assert_false (json_object_has_member (record, "error"));

  /* gmail.com is known: only the two flagged recipients. */
  recipients = json_object_get_array_member (record, "recipients");
  g_assert_cmpuint (json_array_get_length (recipients), ==, 2);
  army = json_array_get_object_element (recipients, 0);
  gmial = json_array_get_object_element (recipients, 1);
  g_assert_cmpstr (json_object_get_string_member (army, "domain"), ==, "army.ml");
  g_assert_cmpstr (json_object_get_string_member (army, "verdict"), ==, "warn");
  g_assert_cmpint (json_object_get_int_member (army, "score"), >=, 70);
  g_assert_cmpstr (json_array_get_string_element (
                     json_object_get_array_member (army, "reasons"), 0), ==, "tld-swap");
  g_assert_cmpstr (suggestion_member (army, "domain"), ==, "army.mil");
  g_assert_true (is_pseudonym (json_object_get_string_member (army, "local")));
  /* The suggestion changes the domain only: the same local part, the same pseudonym. */
  g_assert_cmpstr (suggestion_member (army, "local"), ==,
                   json_object_get_string_member (army, "local"));
  g_assert_cmpstr (json_object_get_string_member (gmial, "domain"), ==, "gmial.com");
  g_assert_cmpstr (suggestion_member (gmial, "domain"), ==, "gmail.com");
  g_assert_cmpstr (json_object_get_string_member (gmial, "local"), !=,
                   json_object_get_string_member (army, "local"));
  /* Sent anyway: both went as they were, whatever was suggested. */
  g_assert_cmpstr (json_object_get_string_member (army, "outcome"), ==, "kept");
  g_assert_cmpstr (json_object_get_string_member (gmial, "outcome"), ==, "kept");

  /* The journal entry: the same facts, no local part in any field. */
  g_assert_cmpuint (fixture->entries->len, ==, 1);
  entry = g_ptr_array_index (fixture->entries, 0);
  for (guint i = 0; i < entry->len; i++)
    assert_no_mark ("a journal field", g_ptr_array_index (entry, i));

  /* Private: the folder 0700, the files 0600. */
  rg_test_assert_mode (fixture->folder, 0700);
  rg_test_assert_mode (path, 0600);
  rg_test_assert_mode (key, 0600);
  rg_test_assert_mode (lock, 0600);
}

/* The journal entry's fields, as a capturing writer receives them. */
static void
test_journal_fields (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr (rg_report) report = check (fixture, "zq7ops@army.ml, zq7friend@gmial.com");
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (JsonNode) listed = NULL;
  g_autoptr (JsonNode) from_file = json_node_new (JSON_NODE_ARRAY);
  g_autoptr (GError) error = NULL;
  /* The user took the suggestion for army.ml and kept gmial.com. */
  const RgOutcome outcomes[] = { RG_OUTCOME_USED_SUGGESTION, RG_OUTCOME_KEPT };
  GPtrArray *entry;
  JsonObject *record;
  JsonArray *recipients;
  const char *message;

  rg_decision_log_record (fixture->log, RG_DECISION_CORRECTED, "me@example.org", report,
                          outcomes, G_N_ELEMENTS (outcomes), NULL, FALSE, NULL, NULL);
  wait_written (fixture->log);
  rg_decision_log_record (fixture->log, RG_DECISION_CHECK_FAILED, "me@example.org", NULL,
                          NULL, 0, "could not check zq7x@army.ml: out of memory", TRUE, NULL, NULL);
  wait_written (fixture->log);
  records = read_records (fixture, "decisions.jsonl");
  g_assert_cmpuint (records->len, ==, 2);
  g_assert_cmpuint (fixture->entries->len, ==, 2);

  entry = g_ptr_array_index (fixture->entries, 0);
  record = record_at (records, 0);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_ptr_array_index (fixture->levels, 0)), ==,
                    G_LOG_LEVEL_MESSAGE);
  g_assert_cmpstr (field (entry, "MESSAGE_ID", 0), ==, RG_DECISION_MESSAGE_ID);
  g_assert_cmpstr (field (entry, "MESSAGE_ID", 0), ==, "a95d97d4cccf4972904fe0f16b3a29d8");
  g_assert_cmpstr (field (entry, "PRIORITY", 0), ==, "5");
  g_assert_cmpstr (field (entry, "SYSLOG_IDENTIFIER", 0), ==, "rcptguard");
  g_assert_cmpstr (field (entry, "GLIB_DOMAIN", 0), ==, "rcptguard");
  g_assert_cmpstr (field (entry, "RCPTGUARD_DECISION", 0), ==, "corrected");
  g_assert_cmpstr (field (entry, "RCPTGUARD_CLIENT", 0), ==, "evolution");
  g_assert_cmpstr (field (entry, "RCPTGUARD_TIME", 0), ==,
                   json_object_get_string_member (record, "time"));
  g_assert_cmpstr (field (entry, "RCPTGUARD_SENDER_DOMAIN", 0), ==, "example.org");
  g_assert_cmpstr (field (entry, "RCPTGUARD_POLICY_LOCKED", 0), ==, "false");
  g_assert_cmpstr (field (entry, "RCPTGUARD_LOCAL_PARTS", 0), ==, "hmac");
  g_assert_cmpstr (field (entry, "RCPTGUARD_VERDICT", 0), ==, "warn");
  g_assert_cmpstr (field (entry, "RCPTGUARD_RECIPIENT_COUNT", 0), ==, "2");
  g_assert_cmpstr (field (entry, "RCPTGUARD_RECIPIENT_DOMAIN", 0), ==, "army.ml");
  g_assert_cmpstr (field (entry, "RCPTGUARD_RECIPIENT_DOMAIN", 1), ==, "gmial.com");
  g_assert_null (field (entry, "RCPTGUARD_RECIPIENT_DOMAIN", 2));
  g_assert_null (field (entry, "RCPTGUARD_ERROR", 0));
  /* RCPTGUARD_RECIPIENTS is the file's "recipients", member for member. */
  listed = json_from_string (field (entry, "RCPTGUARD_RECIPIENTS", 0), &error);
  g_assert_no_error (error);
  json_node_set_array (from_file, json_object_get_array_member (record, "recipients"));
  g_assert_true (json_node_equal (listed, from_file));
  recipients = json_object_get_array_member (record, "recipients");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (recipients, 0),
                                                  "outcome"), ==, "used-suggestion");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (recipients, 1),
                                                  "outcome"), ==, "kept");
  message = field (entry, "MESSAGE", 0);
  g_assert_true (g_str_has_prefix (message, "Recipient Guard: corrected before sending"));
  g_assert_nonnull (strstr (message,
                            "army.ml (warn: tld-swap; suggested army.mil; used-suggestion)"));
  g_assert_nonnull (strstr (message, "; suggested gmail.com; kept)"));

  /* A failed check: a warning, the error with its local part hidden, no verdict. */
  entry = g_ptr_array_index (fixture->entries, 1);
  record = record_at (records, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_ptr_array_index (fixture->levels, 1)), ==,
                    G_LOG_LEVEL_WARNING);
  g_assert_cmpstr (field (entry, "MESSAGE_ID", 0), ==, RG_DECISION_MESSAGE_ID);
  g_assert_cmpstr (field (entry, "PRIORITY", 0), ==, "4");
  g_assert_cmpstr (field (entry, "RCPTGUARD_DECISION", 0), ==, "check-failed");
  g_assert_cmpstr (field (entry, "RCPTGUARD_POLICY_LOCKED", 0), ==, "true");
  g_assert_cmpstr (field (entry, "RCPTGUARD_ERROR", 0), ==,
                   "could not check …@army.ml: out of memory");
  g_assert_cmpstr (json_object_get_string_member (record, "error"), ==,
                   "could not check …@army.ml: out of memory");
  g_assert_null (field (entry, "RCPTGUARD_VERDICT", 0));
  g_assert_true (json_object_get_null_member (record, "verdict"));
  g_assert_cmpstr (field (entry, "RCPTGUARD_RECIPIENTS", 0), ==, "[]");
  g_assert_cmpstr (field (entry, "RCPTGUARD_RECIPIENT_COUNT", 0), ==, "0");
  g_assert_true (g_str_has_prefix (field (entry, "MESSAGE", 0),
                                   "Recipient Guard: the recipients could not be checked"));

  /* MESSAGE is one line whatever the error says: a newline cannot forge a second one. */
  rg_decision_log_record (fixture->log, RG_DECISION_CHECK_FAILED, "me@example.org", NULL,
                          NULL, 0, "bad\nRecipient Guard: sent anyway\r", FALSE, NULL, NULL);
  wait_written (fixture->log);
  g_assert_cmpuint (fixture->entries->len, ==, 3);
  message = field (g_ptr_array_index (fixture->entries, 2), "MESSAGE", 0);
  g_assert_null (strpbrk (message, "\r\n"));
  g_assert_nonnull (strstr (message, "bad\\u000aRecipient Guard: sent anyway\\u000d"));
}

/* No outcome where none is known: a message that did not leave (whatever the caller says),
 * and outcomes that do not match the flagged recipients one for one (they would be given to
 * the wrong ones). */
static void
test_outcomes_absent (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr (rg_report) report = check (fixture, "zq7ops@army.ml, zq7friend@gmial.com");
  const RgOutcome one[] = { RG_OUTCOME_REMOVED };
  g_autoptr (GPtrArray) records = NULL;

  const RgOutcome two[] = { RG_OUTCOME_REMOVED, RG_OUTCOME_REMOVED };

  rg_decision_log_record (fixture->log, RG_DECISION_BLOCKED, "me@example.org", report,
                          two, G_N_ELEMENTS (two), NULL, FALSE, NULL, NULL);
  wait_written (fixture->log);
  rg_decision_log_record (fixture->log, RG_DECISION_CORRECTED, "me@example.org", report,
                          one, G_N_ELEMENTS (one), NULL, FALSE, NULL, NULL);
  wait_written (fixture->log);
  records = read_records (fixture, "decisions.jsonl");
  g_assert_cmpuint (records->len, ==, 2);
  for (guint i = 0; i < records->len; i++)
    {
      JsonArray *recipients = json_object_get_array_member (record_at (records, i),
                                                            "recipients");

      g_assert_cmpuint (json_array_get_length (recipients), ==, 2);
      for (guint j = 0; j < json_array_get_length (recipients); j++)
        g_assert_false (json_object_has_member (json_array_get_object_element (recipients, j),
                                                "outcome"));
    }
  g_assert_cmpstr (rg_outcome_to_string (RG_OUTCOME_TRUSTED), ==, "trusted");
  g_assert_null (rg_outcome_to_string (RG_OUTCOME_NONE));
}

/* hmac: one pseudonym per address (in any case, across log objects: the key is kept), another
 * for another address. */
static void
test_hmac_stable (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr (rg_report) report = check (fixture, "zq7ops@army.ml, ZQ7Ops@army.ml, "
                                        "zq7other@army.ml");
  g_autoptr (RgDecisionLog) second = rg_decision_log_new (fixture->settings, "evolution");
  g_autoptr (GPtrArray) records = NULL;
  JsonArray *first_recipients, *second_recipients;
  const char *ops;

  rg_decision_log_record (fixture->log, RG_DECISION_EDITED, NULL, report, NULL, 0, NULL, FALSE,
                          NULL, NULL);
  wait_written (fixture->log);
  rg_decision_log_set_folder (second, fixture->folder);
  rg_decision_log_set_journal_writer (second, NULL, NULL, NULL);
  rg_decision_log_record (second, RG_DECISION_EDITED, NULL, report, NULL, 0, NULL, FALSE,
                          NULL, NULL);
  wait_written (second);

  records = read_records (fixture, "decisions.jsonl");
  g_assert_cmpuint (records->len, ==, 2);
  g_assert_true (json_object_get_null_member (record_at (records, 0), "sender_domain"));
  first_recipients = json_object_get_array_member (record_at (records, 0), "recipients");
  second_recipients = json_object_get_array_member (record_at (records, 1), "recipients");
  g_assert_cmpuint (json_array_get_length (first_recipients), ==, 3);
  ops = json_object_get_string_member (json_array_get_object_element (first_recipients, 0),
                                       "local");
  g_assert_true (is_pseudonym (ops));
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (first_recipients, 1), "local"), ==, ops);
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (first_recipients, 2), "local"), !=, ops);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (json_object_get_string_member (
                       json_array_get_object_element (first_recipients, i), "local"), ==,
                     json_object_get_string_member (
                       json_array_get_object_element (second_recipients, i), "local"));
}

/* none: no local part at all, not even hashed. */
static void
test_none (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr (rg_report) report = check (fixture, "zq7ops@army.ml, zq7friend@gmial.com");
  g_autoptr (GPtrArray) records = NULL;
  g_autofree char *path = log_path (fixture, "decisions.jsonl");
  g_autofree char *key = log_path (fixture, "hmac-key");
  g_autofree char *contents = NULL;
  JsonArray *recipients;

  g_assert_true (g_settings_set_string (fixture->settings, "log-local-parts", "none"));
  rg_decision_log_record (fixture->log, RG_DECISION_BLOCKED, "me@example.org", report,
                          NULL, 0, NULL, TRUE, NULL, NULL);
  wait_written (fixture->log);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  assert_no_mark ("the file", contents);
  g_assert_null (strstr (contents, "hmac-sha256"));
  g_assert_null (strstr (contents, "\"local\""));
  /* No key is made for a log that does not need one. */
  g_assert_false (g_file_test (key, G_FILE_TEST_EXISTS));
  records = read_records (fixture, "decisions.jsonl");
  g_assert_cmpstr (json_object_get_string_member (record_at (records, 0), "local_parts"), ==,
                   "none");
  recipients = json_object_get_array_member (record_at (records, 0), "recipients");
  g_assert_cmpuint (json_array_get_length (recipients), ==, 2);
  g_assert_cmpstr (suggestion_member (json_array_get_object_element (recipients, 0), "domain"),
                   ==, "army.mil");
  g_assert_null (suggestion_member (json_array_get_object_element (recipients, 0), "local"));
  for (guint i = 0; i < fixture->entries->len; i++)
    {
      GPtrArray *entry = g_ptr_array_index (fixture->entries, i);

      for (guint j = 0; j < entry->len; j++)
        {
          assert_no_mark ("a journal field", g_ptr_array_index (entry, j));
          g_assert_null (strstr (g_ptr_array_index (entry, j), "hmac-sha256"));
        }
    }
}

/* plain, when an administrator asks for it: the local parts as typed. */
static void
test_plain (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr (rg_report) report = check (fixture, "Zq7 Ops <Zq7Ops@army.ml>");
  g_autoptr (GPtrArray) records = NULL;
  g_autofree char *path = log_path (fixture, "decisions.jsonl");
  g_autofree char *contents = NULL;
  JsonObject *recipient;
  GPtrArray *entry;

  g_assert_true (g_settings_set_string (fixture->settings, "log-local-parts", "plain"));
  rg_decision_log_record (fixture->log, RG_DECISION_SENT_ANYWAY, "me@example.org", report,
                          NULL, 0, NULL, FALSE, NULL, NULL);
  wait_written (fixture->log);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, "Zq7 Ops"));
  records = read_records (fixture, "decisions.jsonl");
  g_assert_cmpstr (json_object_get_string_member (record_at (records, 0), "local_parts"), ==,
                   "plain");
  recipient = json_array_get_object_element (
    json_object_get_array_member (record_at (records, 0), "recipients"), 0);
  g_assert_cmpstr (json_object_get_string_member (recipient, "local"), ==, "Zq7Ops");
  g_assert_cmpstr (suggestion_member (recipient, "local"), ==, "Zq7Ops");
  g_assert_cmpstr (suggestion_member (recipient, "domain"), ==, "army.mil");
  /* Never the display name, even so; and MESSAGE names domains only. */
  entry = g_ptr_array_index (fixture->entries, 0);
  g_assert_null (strstr (json_object_get_string_member (recipient, "local"), " "));
  assert_no_mark ("MESSAGE", field (entry, "MESSAGE", 0));
  g_assert_nonnull (strstr (field (entry, "RCPTGUARD_RECIPIENTS", 0), "\"Zq7Ops\""));
}

/* log-decisions false: no file, no folder, no journal entry. */
static void
test_disabled (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr (rg_report) report = check (fixture, "zq7ops@army.ml");

  g_assert_true (g_settings_set_boolean (fixture->settings, "log-decisions", FALSE));
  rg_decision_log_record (fixture->log, RG_DECISION_SENT_ANYWAY, "me@example.org", report,
                          NULL, 0, NULL, FALSE, NULL, NULL);
  wait_written (fixture->log);
  rg_decision_log_record (fixture->log, RG_DECISION_CHECK_FAILED, "me@example.org", NULL,
                          NULL, 0, "failed", FALSE, NULL, NULL);
  wait_written (fixture->log);
  g_assert_cmpuint (fixture->entries->len, ==, 0);
  g_assert_false (g_file_test (fixture->folder, G_FILE_TEST_EXISTS));
}

/* A message with more flagged recipients than a line holds: a prefix listed, the rest
 * counted, the line within the bound. */
static void
test_size_cap (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr (GString) list = g_string_new (NULL);
  g_autoptr (rg_report) report = NULL;
  g_autoptr (GPtrArray) records = NULL;
  g_autofree char *path = log_path (fixture, "decisions.jsonl");
  g_autofree char *contents = NULL;
  gsize len;
  JsonObject *record;
  gint64 listed, omitted;

  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (list, "%szq7person%u@army.ml", i == 0 ? "" : ", ", i);
  report = check (fixture, list->str);
  rg_decision_log_record (fixture->log, RG_DECISION_EDITED, "me@example.org", report,
                          NULL, 0, NULL, FALSE, NULL, NULL);
  wait_written (fixture->log);
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpuint (len, <=, RG_DECISION_RECORD_MAX_BYTES);
  g_assert_cmpuint (len, >, RG_DECISION_RECORD_MAX_BYTES / 2);
  records = read_records (fixture, "decisions.jsonl");
  g_assert_cmpuint (records->len, ==, 1);
  record = record_at (records, 0);
  listed = json_array_get_length (json_object_get_array_member (record, "recipients"));
  omitted = json_object_get_int_member (record, "recipients_omitted");
  g_assert_cmpint (listed, >, 0);
  g_assert_cmpint (omitted, >, 0);
  g_assert_cmpint (listed + omitted, ==, 5000);
  g_assert_cmpstr (field (g_ptr_array_index (fixture->entries, 0), "RCPTGUARD_RECIPIENT_COUNT",
                          0), ==, "5000");
}

/* Rotation by size keeps the newest records, in order, in PATH.N ... PATH.1, PATH. */
static void
test_rotation (Fixture       *fixture,
               gconstpointer  data)
{
  const guint n = 60;
  const gint64 max_bytes = 2500;
  g_autoptr (GPtrArray) all = g_ptr_array_new ();
  const char *const names[] = { "decisions.jsonl.2", "decisions.jsonl.1", "decisions.jsonl" };
  g_autofree char *third = log_path (fixture, "decisions.jsonl.3");
  GPtrArray *keep[G_N_ELEMENTS (names)] = { NULL };
  guint first;

  g_assert_true (g_settings_set_string (fixture->settings, "log-local-parts", "plain"));
  rg_decision_log_set_rotation (fixture->log, max_bytes, 2);
  rg_decision_log_set_journal_writer (fixture->log, NULL, NULL, NULL);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *list = g_strdup_printf ("s%u@army.ml", i);
      g_autoptr (rg_report) report = check (fixture, list);

      rg_decision_log_record (fixture->log, RG_DECISION_SENT_ANYWAY, "me@example.org", report,
                              NULL, 0, NULL, FALSE, NULL, NULL);
      wait_written (fixture->log);
    }

  g_assert_false (g_file_test (third, G_FILE_TEST_EXISTS));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = log_path (fixture, names[i]);
      struct stat st;

      rg_test_assert_mode (path, 0600);
      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_assert_cmpint (st.st_size, <=, max_bytes);
      keep[i] = read_records (fixture, names[i]);
      g_assert_cmpuint (keep[i]->len, >, 0);
      for (guint j = 0; j < keep[i]->len; j++)
        g_ptr_array_add (all, g_ptr_array_index (keep[i], j));
    }
  /* The kept records are the last ones, without a gap. */
  first = n - all->len;
  g_assert_cmpuint (first, >, 0);
  for (guint i = 0; i < all->len; i++)
    {
      JsonObject *record = json_node_get_object (g_ptr_array_index (all, i));
      JsonObject *recipient = json_array_get_object_element (
        json_object_get_array_member (record, "recipients"), 0);
      g_autofree char *want = g_strdup_printf ("s%u", first + i);

      g_assert_cmpstr (json_object_get_string_member (recipient, "local"), ==, want);
    }
  for (guint i = 0; i < G_N_ELEMENTS (keep); i++)
    g_ptr_array_unref (keep[i]);
}

/* Record @n times; the caller set up what fails.  The calls return, quickly. */
static void
record_times (Fixture *fixture,
              guint    n)
{
  g_autoptr (rg_report) report = check (fixture, "zq7ops@army.ml");
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < n; i++)
    rg_decision_log_record (fixture->log, RG_DECISION_SENT_ANYWAY, "me@example.org", report,
                            NULL, 0, NULL, FALSE, NULL, NULL);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  wait_written (fixture->log);
}

/* A folder that cannot be made (its parent is a regular file: chmod would not stop root): the
 * file and the key are reported once each, the journal entries are still written, without
 * local parts (no key, so none rather than plain). */
static void
test_unwritable (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *state = g_path_get_dirname (fixture->folder);
  g_autofree char *blocker = g_build_filename (state, "not-a-folder", NULL);
  g_autofree char *folder = g_build_filename (blocker, "rcptguard", NULL);
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (state, 0700), ==, 0);
  g_file_set_contents (blocker, "", 0, &error);
  g_assert_no_error (error);
  rg_decision_log_set_folder (fixture->log, folder);

  g_test_expect_message ("rcptguard", G_LOG_LEVEL_MESSAGE,
                         "Decision log: cannot read *hmac-key: *; local parts "
                         "are left out*");
  g_test_expect_message ("rcptguard", G_LOG_LEVEL_MESSAGE,
                         "Decision log: cannot create the folder */not-a-folder/rcptguard: "
                         "*; *not recorded in the file*");
  record_times (fixture, 5);
  g_test_assert_expected_messages ();

  g_assert_cmpuint (fixture->entries->len, ==, 5);
  for (guint i = 0; i < fixture->entries->len; i++)
    {
      GPtrArray *entry = g_ptr_array_index (fixture->entries, i);

      g_assert_cmpstr (field (entry, "RCPTGUARD_LOCAL_PARTS", 0), ==, "none");
      g_assert_cmpstr (field (entry, "RCPTGUARD_RECIPIENT_DOMAIN", 0), ==, "army.ml");
    }
}

/* A file that cannot grow (a full disk: here RLIMIT_FSIZE at the file's size, so that every
 * write fails with EFBIG): reported once, nothing torn; when the file works again that is
 * said once too. */
static void
test_full_device (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = log_path (fixture, "decisions.jsonl");
  g_autoptr (GPtrArray) records = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  struct rlimit saved, full;

  record_times (fixture, 1);
  g_assert_true (g_file_get_contents (path, &before, NULL, NULL));
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  full = saved;
  full.rlim_cur = strlen (before) + 10; /* room for part of a line, not a whole one */
  signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &full), ==, 0);

  g_test_expect_message ("rcptguard", G_LOG_LEVEL_MESSAGE,
                         "Decision log: cannot write *decisions.jsonl: *; decisions are "
                         "not recorded*");
  record_times (fixture, 5);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (fixture->entries->len, ==, 6);
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, before);

  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  g_test_expect_message ("rcptguard", G_LOG_LEVEL_MESSAGE,
                         "Decision log: *decisions.jsonl can be written again");
  record_times (fixture, 2);
  g_test_assert_expected_messages ();
  records = read_records (fixture, "decisions.jsonl");
  g_assert_cmpuint (records->len, ==, 3);
}

/* A half line left by a writer that could not cut it back (its write fell short while
 * another held the lock): the next record starts a line of its own, never glued to it. */
static void
test_torn_tail (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = log_path (fixture, "decisions.jsonl");
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (JsonNode) node = NULL;

  record_times (fixture, 1);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_clear_pointer (&contents, g_free);
  {
    FILE *file = fopen (path, "a");

    g_assert_nonnull (file);
    fputs ("{\"v\":2,\"time\":", file);
    fclose (file);
  }
  record_times (fixture, 1);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4); /* whole, torn, whole, "" after the end */
  g_assert_cmpstr (lines[1], ==, "{\"v\":2,\"time\":");
  node = json_from_string (lines[2], &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "decision"), ==,
                   "sent-anyway");
  g_assert_cmpstr (lines[3], ==, "");
}

/* Links are never followed, for the log or its lock: nothing is written where they point.
 * Without a lock to be had the record is still appended, without rotating. */
static void
test_symlinks (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *path = log_path (fixture, "decisions.jsonl");
  g_autofree char *lock = log_path (fixture, "decisions.jsonl.lock");
  g_autofree char *target = log_path (fixture, "elsewhere");
  g_autofree char *lock_target = log_path (fixture, "lock-elsewhere");
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;

  g_assert_cmpint (g_mkdir_with_parents (fixture->folder, 0700), ==, 0);
  g_file_set_contents (target, "", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (symlink (target, path), ==, 0);
  g_test_expect_message ("rcptguard", G_LOG_LEVEL_MESSAGE,
                         "Decision log: cannot open *decisions.jsonl: it is a symbolic link*");
  record_times (fixture, 2);
  g_test_assert_expected_messages ();
  g_assert_true (g_file_get_contents (target, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "");
  g_assert_cmpuint (fixture->entries->len, ==, 2);

  /* The lock: a dangling link stays dangling, and the line goes to the log all the same. */
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_unlink (lock), ==, 0);
  g_assert_cmpint (symlink (lock_target, lock), ==, 0);
  g_test_expect_message ("rcptguard", G_LOG_LEVEL_MESSAGE,
                         "Decision log: *decisions.jsonl can be written again");
  record_times (fixture, 1);
  g_test_assert_expected_messages ();
  g_assert_false (g_file_test (lock_target, G_FILE_TEST_EXISTS));
  records = read_records (fixture, "decisions.jsonl");
  g_assert_cmpuint (records->len, ==, 1);
}

/* A FIFO in the log's place would block open () until someone read it: refused at once. */
static void
test_fifo (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *path = log_path (fixture, "decisions.jsonl");
  g_autofree char *lock = log_path (fixture, "decisions.jsonl.lock");
  g_autoptr (GPtrArray) records = NULL;

  g_assert_cmpint (g_mkdir_with_parents (fixture->folder, 0700), ==, 0);
  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  g_test_expect_message ("rcptguard", G_LOG_LEVEL_MESSAGE,
                         "Decision log: cannot open *decisions.jsonl: it is not a regular "
                         "file*");
  record_times (fixture, 2); /* asserts it took less than 2 s */
  g_test_assert_expected_messages ();

  /* A FIFO as the lock: no lock, no wait, the line appended. */
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_unlink (lock), ==, 0);
  g_assert_cmpint (mkfifo (lock, 0600), ==, 0);
  g_test_expect_message ("rcptguard", G_LOG_LEVEL_MESSAGE,
                         "Decision log: *decisions.jsonl can be written again");
  record_times (fixture, 1);
  g_test_assert_expected_messages ();
  records = read_records (fixture, "decisions.jsonl");
  g_assert_cmpuint (records->len, ==, 1);
}

/* A key file that is not a key (another size) is never replaced: local parts are left out,
 * and that is said once. */
static void
test_broken_key (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *key = log_path (fixture, "hmac-key");
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  JsonObject *record;

  g_assert_cmpint (g_mkdir_with_parents (fixture->folder, 0700), ==, 0);
  g_file_set_contents (key, "short", -1, &error);
  g_assert_no_error (error);

  g_test_expect_message ("rcptguard", G_LOG_LEVEL_MESSAGE,
                         "Decision log: *hmac-key is not a key of the decision log*");
  record_times (fixture, 3);
  g_test_assert_expected_messages ();

  records = read_records (fixture, "decisions.jsonl");
  g_assert_cmpuint (records->len, ==, 3);
  record = record_at (records, 0);
  g_assert_cmpstr (json_object_get_string_member (record, "local_parts"), ==, "none");
  g_assert_false (json_object_has_member (
    json_array_get_object_element (json_object_get_array_member (record, "recipients"), 0),
    "local"));
  g_assert_true (g_file_get_contents (key, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "short");
}

/* Without settings: the schema's defaults (on, hmac), and the default folder in
 * $XDG_STATE_HOME. */
static void
test_no_settings (void)
{
  g_autoptr (RgDecisionLog) log = rg_decision_log_new (NULL, "cli");
  g_autofree char *want = g_build_filename (g_get_user_state_dir (), "rcptguard",
                                            "decisions.jsonl", NULL);
  g_autofree char *path = rg_decision_log_dup_default_path ();

  g_assert_cmpstr (rg_decision_log_get_path (log), ==, want);
  g_assert_cmpstr (path, ==, want);
}

int
main (int    argc,
      char **argv)
{
  rg_test_init_locale ();
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/log/record/default-policy", test_default_policy);
  ADD ("/log/record/outcomes-absent", test_outcomes_absent);
  ADD ("/log/record/hmac-stable", test_hmac_stable);
  ADD ("/log/record/none", test_none);
  ADD ("/log/record/plain", test_plain);
  ADD ("/log/record/size-cap", test_size_cap);
  ADD ("/log/journal/fields", test_journal_fields);
  ADD ("/log/settings/disabled", test_disabled);
  ADD ("/log/file/rotation", test_rotation);
  ADD ("/log/failure/unwritable", test_unwritable);
  ADD ("/log/failure/full-device", test_full_device);
  ADD ("/log/failure/torn-tail", test_torn_tail);
  ADD ("/log/failure/symlinks", test_symlinks);
  ADD ("/log/failure/fifo", test_fifo);
  ADD ("/log/failure/broken-key", test_broken_key);
#undef ADD
  g_test_add_func ("/log/settings/none", test_no_settings);
  return g_test_run ();
}
