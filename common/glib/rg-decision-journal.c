/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-decision-journal.c - a decision record as a structured journal entry.
 *
 * The fields are taken from the record itself, so the journal says exactly what the file says
 * (local parts included or not, as the record has them).  MESSAGE, the one line people read
 * in "journalctl" and on standard error, names only domains, whatever log-local-parts says:
 * it is the field most often copied into tickets and chats.
 */
#define G_LOG_DOMAIN "rcptguard"

#include "rg-decision-journal.h"

#include <string.h>

/* MESSAGE names at most this many recipients, then "and N more"; the full list is in
 * RCPTGUARD_RECIPIENTS. */
#define RG_JOURNAL_MESSAGE_MAX_RECIPIENTS 10

typedef struct
{
  GArray *fields;    /* of GLogField */
  GPtrArray *values; /* the strings the fields point to */
} Entry;

static void
entry_add (Entry      *entry,
           const char *key,
           char       *value)
{
  GLogField field = { key, value, -1 };

  g_ptr_array_add (entry->values, value);
  g_array_append_val (entry->fields, field);
}

static const char *
decision_phrase (RgDecision decision)
{
  switch (decision)
    {
    case RG_DECISION_CORRECTED: return "corrected before sending";
    case RG_DECISION_SENT_ANYWAY: return "sent anyway";
    case RG_DECISION_EDITED: return "back to the message, not sent";
    case RG_DECISION_BLOCKED: return "not sent, blocked by policy";
    case RG_DECISION_CHECK_FAILED: return "the recipients could not be checked";
    default: return "unknown decision";
    }
}

/* Appends @text with control characters written as \uXXXX: MESSAGE is one line for people,
 * and where there is no journal it goes to standard error, where a newline in an error
 * message (or in a domain that could not be parsed) would forge a line of its own. */
static void
append_escaped (GString    *out,
                const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_unichar (out, c);
    }
}

/* "army.ml (warn: tld-swap; suggested army.mil; kept)" */
static void
append_recipient (GString    *out,
                  JsonObject *recipient)
{
  JsonArray *reasons = json_object_get_array_member (recipient, "reasons");
  JsonNode *suggestion = json_object_get_member (recipient, "suggestion");

  append_escaped (out, json_object_get_string_member (recipient, "domain"));
  g_string_append (out, " (");
  g_string_append (out, json_object_get_string_member (recipient, "verdict"));
  for (guint i = 0; reasons != NULL && i < json_array_get_length (reasons); i++)
    {
      g_string_append (out, i == 0 ? ": " : ", ");
      g_string_append (out, json_array_get_string_element (reasons, i));
    }
  if (suggestion != NULL && JSON_NODE_HOLDS_OBJECT (suggestion)
      && json_object_has_member (json_node_get_object (suggestion), "domain"))
    {
      g_string_append (out, "; suggested ");
      append_escaped (out, json_object_get_string_member (json_node_get_object (suggestion),
                                                          "domain"));
    }
  if (json_object_has_member (recipient, "outcome"))
    {
      g_string_append (out, "; ");
      g_string_append (out, json_object_get_string_member (recipient, "outcome"));
    }
  g_string_append_c (out, ')');
}

static char *
build_message (JsonObject *object,
               RgDecision  decision)
{
  GString *out = g_string_new ("Recipient Guard: ");
  JsonArray *recipients = json_object_get_array_member (object, "recipients");
  guint n = json_array_get_length (recipients);
  gint64 omitted = json_object_get_int_member_with_default (object, "recipients_omitted", 0);

  g_string_append (out, decision_phrase (decision));
  if (json_object_has_member (object, "error"))
    {
      g_string_append (out, ": ");
      append_escaped (out, json_object_get_string_member (object, "error"));
    }
  for (guint i = 0; i < n && i < RG_JOURNAL_MESSAGE_MAX_RECIPIENTS; i++)
    {
      g_string_append (out, i == 0 ? "; flagged: " : ", ");
      append_recipient (out, json_array_get_object_element (recipients, i));
    }
  if (n > RG_JOURNAL_MESSAGE_MAX_RECIPIENTS || omitted > 0)
    g_string_append_printf (out, " and %" G_GINT64_FORMAT " more",
                            (gint64) (n - MIN (n, RG_JOURNAL_MESSAGE_MAX_RECIPIENTS)) + omitted);
  return g_string_free (out, FALSE);
}

GLogWriterOutput
rg_decision_journal_write (const RgDecisionRecord *record,
                           GLogWriterFunc          writer,
                           gpointer                user_data)
{
  JsonObject *object = rg_decision_record_get_object (record);
  RgDecision decision = rg_decision_record_get_decision (record);
  JsonArray *recipients = json_object_get_array_member (object, "recipients");
  g_autoptr (JsonNode) recipients_node = json_node_new (JSON_NODE_ARRAY);
  gint64 omitted = json_object_get_int_member_with_default (object, "recipients_omitted", 0);
  GLogLevelFlags level = decision == RG_DECISION_CHECK_FAILED ? G_LOG_LEVEL_WARNING
                                                              : G_LOG_LEVEL_MESSAGE;
  Entry entry = {
    g_array_new (FALSE, FALSE, sizeof (GLogField)),
    g_ptr_array_new_with_free_func (g_free),
  };
  GLogWriterOutput output;

  /* The journal's own PRIORITY for the level (notice for a decision, warning for a check
   * that failed), and the domain for GLib's writers, which filter and prefix by it. */
  entry_add (&entry, "MESSAGE_ID", g_strdup (RG_DECISION_MESSAGE_ID));
  entry_add (&entry, "PRIORITY", g_strdup (level == G_LOG_LEVEL_WARNING ? "4" : "5"));
  entry_add (&entry, "GLIB_DOMAIN", g_strdup ("rcptguard"));
  entry_add (&entry, "SYSLOG_IDENTIFIER", g_strdup ("rcptguard"));
  entry_add (&entry, "MESSAGE", build_message (object, decision));
  entry_add (&entry, "RCPTGUARD_DECISION", g_strdup (rg_decision_to_string (decision)));
  entry_add (&entry, "RCPTGUARD_TIME",
             g_strdup (json_object_get_string_member (object, "time")));
  entry_add (&entry, "RCPTGUARD_CLIENT",
             g_strdup (json_object_get_string_member (object, "client")));
  if (!json_object_get_null_member (object, "sender_domain"))
    entry_add (&entry, "RCPTGUARD_SENDER_DOMAIN",
               g_strdup (json_object_get_string_member (object, "sender_domain")));
  entry_add (&entry, "RCPTGUARD_POLICY_LOCKED",
             g_strdup (json_object_get_boolean_member (object, "policy_locked") ? "true"
                                                                                : "false"));
  entry_add (&entry, "RCPTGUARD_LOCAL_PARTS",
             g_strdup (json_object_get_string_member (object, "local_parts")));
  if (!json_object_get_null_member (object, "verdict"))
    entry_add (&entry, "RCPTGUARD_VERDICT",
               g_strdup (json_object_get_string_member (object, "verdict")));
  entry_add (&entry, "RCPTGUARD_RECIPIENT_COUNT",
             g_strdup_printf ("%" G_GINT64_FORMAT,
                              (gint64) json_array_get_length (recipients) + omitted));
  json_node_set_array (recipients_node, recipients);
  entry_add (&entry, "RCPTGUARD_RECIPIENTS", json_to_string (recipients_node, FALSE));
  /* One field per flagged recipient, repeated: "journalctl RCPTGUARD_RECIPIENT_DOMAIN=army.ml"
   * finds every decision about army.ml. */
  for (guint i = 0; i < json_array_get_length (recipients); i++)
    {
      JsonObject *recipient = json_array_get_object_element (recipients, i);

      entry_add (&entry, "RCPTGUARD_RECIPIENT_DOMAIN",
                 g_strdup (json_object_get_string_member (recipient, "domain")));
    }
  if (json_object_has_member (object, "error"))
    entry_add (&entry, "RCPTGUARD_ERROR",
               g_strdup (json_object_get_string_member (object, "error")));

  output = writer (level, (const GLogField *) entry.fields->data, entry.fields->len, user_data);
  g_array_unref (entry.fields);
  g_ptr_array_unref (entry.values);
  return output;
}

GLogWriterOutput
rg_decision_journal_writer_default (GLogLevelFlags   log_level,
                                    const GLogField *fields,
                                    gsize            n_fields,
                                    gpointer         user_data)
{
  /* Straight to the journal's socket, not through g_log_writer_default (), which writes to
   * the journal only when standard error is connected to it: a mail client started from a
   * menu or a terminal has its standard error elsewhere, and the administrator still needs
   * the entry.  Without a journal (no socket) the sending fails at once. */
  if (g_log_writer_journald (log_level, fields, n_fields, user_data) == G_LOG_WRITER_HANDLED)
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
}
