/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-cli-log.c - "rcptguard log": the decisions recorded at Send, and a summary.
 *
 *   rcptguard log [--format text|json] [--since DATE|DURATION] [--summary] [--file PATH]
 *
 * Reads the decision log (decisions.jsonl and its rotated files, oldest first) as the mail
 * client wrote it.  The files are opened together under the log's shared lock, so a rotation
 * while this runs neither repeats nor skips a record.  A line that is not a record (an edited
 * file, a disk that lost a block) is named on standard error and skipped; the rest is shown,
 * and the exit status says so (65), as "check" does for bad input.
 *
 * "rcptguard check" records only its failed checks (client "cli"): its other answers go to
 * a script, which decides what to do with them; the log is for a person's choice at Send.
 */
#include "config.h"

#include "rg-cli-log.h"

#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "rg-cli-error.h"
#include "rg-cli-line-reader.h"
#include "rg-cli-writer.h"
#include "rg-decision-journal.h"
#include "rg-decision-log.h"
#include "rg-jsonl-file.h"

/* A text line shows this many hex digits of a pseudonym: enough to tell addresses apart at a
 * glance (48 bits), and the line stays short; the JSON form has all of it. */
#define RG_CLI_PSEUDONYM_DIGITS 12
/* --since 5000w is about a century; a larger number is surely a mistake (or an overflow). */
#define RG_CLI_MAX_SINCE_SECONDS (G_GINT64_CONSTANT (100) * 366 * 24 * 3600)

typedef enum {
  LOG_FORMAT_TEXT,
  LOG_FORMAT_JSON,
} LogFormat;

typedef struct
{
  guint counts[RG_DECISION_CHECK_FAILED + 1];
  guint shown; /* records shown in full */
} LogSummary;

/*
 * --since: a duration back from now ("90s", "30m", "12h", "7d", "2w"), a date ("2026-11-28",
 * from midnight local time) or a date and time in RFC 3339 / ISO 8601 ("2026-11-28T09:00Z";
 * without a zone, local time).
 */
static GDateTime *
parse_since (const char *text)
{
  static const struct
  {
    char unit;
    gint64 seconds;
  } units[] = { { 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 }, { 'w', 604800 } };
  g_autoptr (GTimeZone) local = g_time_zone_new_local ();
  gsize len = strlen (text);
  guint64 number;
  char *end = NULL;

  if (len >= 2 && g_ascii_isdigit (text[0]))
    {
      number = g_ascii_strtoull (text, &end, 10);
      for (guint i = 0; end == text + len - 1 && i < G_N_ELEMENTS (units); i++)
        {
          g_autoptr (GDateTime) now = NULL;

          if (*end != units[i].unit)
            continue;
          if (number > (guint64) (RG_CLI_MAX_SINCE_SECONDS / units[i].seconds))
            return NULL;
          now = g_date_time_new_now_utc ();
          return g_date_time_add_seconds (now, -(gdouble) ((gint64) number * units[i].seconds));
        }
    }

  if (len == 10 && g_regex_match_simple ("^\\d{4}-\\d{2}-\\d{2}$", text, 0, 0))
    {
      g_autofree char *midnight = g_strconcat (text, "T00:00:00", NULL);

      return g_date_time_new_from_iso8601 (midnight, local);
    }
  {
    g_autofree char *iso = g_strdup (text);

    /* "2026-11-28 09:00:00", as people write it, is RFC 3339's too (section 5.6, NOTE). */
    if (len > 10 && iso[10] == ' ')
      iso[10] = 'T';
    return g_date_time_new_from_iso8601 (iso, local);
  }
}

/* Appends @text with control characters replaced: the log is a file anyone with the user's
 * rights could have edited, and a terminal must not take its content for commands. */
static void
append_printable (GString    *out,
                  const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
        g_string_append (out, "\xef\xbf\xbd"); /* U+FFFD */
      else
        g_string_append_unichar (out, c);
    }
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* "ops@army.ml" (plain), "army.ml (hmac-sha256:3f2a9c0d1e2f…)" (hmac) or "army.ml". */
static void
append_address (GString    *out,
                JsonObject *object)
{
  const char *domain = member_string (object, "domain");
  const char *local = member_string (object, "local");
  gboolean pseudonym = local != NULL && g_str_has_prefix (local, "hmac-sha256:");

  if (local != NULL && !pseudonym)
    {
      append_printable (out, local);
      g_string_append_c (out, '@');
    }
  append_printable (out, domain != NULL ? domain : "?");
  if (pseudonym)
    {
      g_autofree char *digits = g_strndup (local + strlen ("hmac-sha256:"),
                                           RG_CLI_PSEUDONYM_DIGITS);

      g_string_append (out, " (hmac-sha256:");
      append_printable (out, digits);
      g_string_append (out, "…)");
    }
}

/*
 *   2026-11-28T11:44:17.123Z  sent-anyway  evolution  from example.org  policy locked
 *     army.ml (hmac-sha256:3f2a9c0d1e2f…)  warn 90  tld-swap  kept, suggested army.mil
 *   2026-11-28T11:50:02.510Z  corrected  evolution  from example.org
 *     army.ml (hmac-sha256:3f2a9c0d1e2f…)  warn 90  tld-swap  used-suggestion -> army.mil
 */
static void
format_text (JsonObject *record,
             GString    *out)
{
  JsonNode *sender = json_object_get_member (record, "sender_domain");
  JsonArray *recipients = json_object_get_array_member (record, "recipients");
  const char *error = member_string (record, "error");
  gint64 omitted = 0;

  append_printable (out, member_string (record, "time"));
  g_string_append (out, "  ");
  append_printable (out, member_string (record, "decision"));
  if (member_string (record, "client") != NULL)
    {
      g_string_append (out, "  ");
      append_printable (out, member_string (record, "client"));
    }
  if (sender != NULL && member_string (record, "sender_domain") != NULL)
    {
      g_string_append (out, "  from ");
      append_printable (out, member_string (record, "sender_domain"));
    }
  if (json_object_get_boolean_member_with_default (record, "policy_locked", FALSE))
    g_string_append (out, "  policy locked");
  g_string_append_c (out, '\n');

  for (guint i = 0; i < json_array_get_length (recipients); i++)
    {
      JsonNode *node = json_array_get_element (recipients, i);
      JsonObject *recipient;
      JsonArray *reasons;
      JsonNode *suggestion;
      const char *outcome;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      recipient = json_node_get_object (node);
      g_string_append (out, "  ");
      append_address (out, recipient);
      g_string_append (out, "  ");
      append_printable (out, member_string (recipient, "verdict") != NULL
                               ? member_string (recipient, "verdict") : "?");
      g_string_append_printf (out, " %" G_GINT64_FORMAT,
                              json_object_get_int_member_with_default (recipient, "score", 0));
      reasons = json_object_has_member (recipient, "reasons")
                  && JSON_NODE_HOLDS_ARRAY (json_object_get_member (recipient, "reasons"))
                  ? json_object_get_array_member (recipient, "reasons") : NULL;
      for (guint j = 0; reasons != NULL && j < json_array_get_length (reasons); j++)
        {
          JsonNode *reason = json_array_get_element (reasons, j);

          g_string_append (out, j == 0 ? "  " : ",");
          if (JSON_NODE_HOLDS_VALUE (reason)
              && json_node_get_value_type (reason) == G_TYPE_STRING)
            append_printable (out, json_node_get_string (reason));
        }
      outcome = member_string (recipient, "outcome");
      suggestion = json_object_get_member (recipient, "suggestion");
      if (outcome != NULL)
        {
          g_string_append (out, "  ");
          append_printable (out, outcome);
        }
      if (suggestion != NULL && JSON_NODE_HOLDS_OBJECT (suggestion))
        {
          JsonObject *suggested = json_node_get_object (suggestion);
          const char *local = member_string (recipient, "local");

          /* The arrow says where the mail went; a suggestion not taken (kept, removed,
           * trusted) or not yet known (edited, blocked, a version 1 record) is only that. */
          if (g_strcmp0 (outcome, "used-suggestion") == 0)
            g_string_append (out, " -> ");
          else
            g_string_append (out, outcome != NULL ? ", suggested " : "  suggested ");
          /* The same pseudonym twice says nothing: the suggestion changes the domain. */
          if (local != NULL && g_str_has_prefix (local, "hmac-sha256:")
              && g_strcmp0 (local, member_string (suggested, "local")) == 0)
            append_printable (out, member_string (suggested, "domain") != NULL
                                     ? member_string (suggested, "domain") : "?");
          else
            append_address (out, suggested);
        }
      g_string_append_c (out, '\n');
    }
  omitted = json_object_get_int_member_with_default (record, "recipients_omitted", 0);
  if (omitted > 0)
    g_string_append_printf (out, "  and %" G_GINT64_FORMAT " more flagged recipient%s\n",
                            omitted, omitted == 1 ? "" : "s");
  if (error != NULL)
    {
      g_string_append (out, "  error: ");
      append_printable (out, error);
      g_string_append_c (out, '\n');
    }
}

/* "12 warnings: 9 corrected, 2 sent anyway, 1 edited", then ", 1 blocked" and "; 2 checks
 * failed" where there are any.  A warning is a Send that showed the dialog or was refused. */
static void
format_summary_text (const LogSummary *summary,
                     GString          *out)
{
  guint warnings = summary->counts[RG_DECISION_CORRECTED]
                   + summary->counts[RG_DECISION_SENT_ANYWAY]
                   + summary->counts[RG_DECISION_EDITED]
                   + summary->counts[RG_DECISION_BLOCKED];
  guint failed = summary->counts[RG_DECISION_CHECK_FAILED];
  guint corrected = summary->counts[RG_DECISION_CORRECTED];
  guint sent_anyway = summary->counts[RG_DECISION_SENT_ANYWAY];
  guint edited = summary->counts[RG_DECISION_EDITED];
  guint blocked = summary->counts[RG_DECISION_BLOCKED];
  g_autofree char *warnings_text = NULL;
  g_autofree char *corrected_text = NULL;
  g_autofree char *sent_anyway_text = NULL;
  g_autofree char *edited_text = NULL;

  /* Translators: the summary of "rcptguard log", e.g. "12 warnings: 9 corrected, 2 sent
   * anyway, 1 edited, 1 blocked; 2 checks failed", put together from the pieces below.  A
   * warning is a Send that showed the dialog or was refused; corrected, sent anyway, edited
   * and blocked say what became of those warnings. */
  warnings_text = g_strdup_printf (ngettext ("%u warning", "%u warnings", warnings), warnings);
  corrected_text = g_strdup_printf (ngettext ("%u corrected", "%u corrected", corrected),
                                    corrected);
  sent_anyway_text = g_strdup_printf (ngettext ("%u sent anyway", "%u sent anyway",
                                                sent_anyway), sent_anyway);
  edited_text = g_strdup_printf (ngettext ("%u edited", "%u edited", edited), edited);
  /* Translators: the first %s is "12 warnings", the others are "9 corrected", "2 sent
   * anyway" and "1 edited". */
  g_string_append_printf (out, _("%s: %s, %s, %s"), warnings_text, corrected_text,
                          sent_anyway_text, edited_text);
  if (blocked > 0)
    {
      /* Translators: added to the summary of "rcptguard log" after "1 edited". */
      g_string_append_printf (out, ngettext (", %u blocked", ", %u blocked", blocked), blocked);
    }
  if (failed > 0)
    {
      /* Translators: added at the end of the summary of "rcptguard log": checks that
       * failed, which are not warnings. */
      g_string_append_printf (out, ngettext ("; %u check failed", "; %u checks failed", failed),
                              failed);
    }
  g_string_append_c (out, '\n');
}

static void
format_summary_json (const LogSummary *summary,
                     GString          *out)
{
  g_string_append_printf (out,
                          "{\"warnings\":%u,\"corrected\":%u,\"sent_anyway\":%u,"
                          "\"edited\":%u,\"blocked\":%u,\"check_failed\":%u}\n",
                          summary->counts[RG_DECISION_CORRECTED]
                            + summary->counts[RG_DECISION_SENT_ANYWAY]
                            + summary->counts[RG_DECISION_EDITED]
                            + summary->counts[RG_DECISION_BLOCKED],
                          summary->counts[RG_DECISION_CORRECTED],
                          summary->counts[RG_DECISION_SENT_ANYWAY],
                          summary->counts[RG_DECISION_EDITED],
                          summary->counts[RG_DECISION_BLOCKED],
                          summary->counts[RG_DECISION_CHECK_FAILED]);
}

/* The record on @line, with its time in @when, checked for what this command relies on;
 * NULL with @why otherwise. */
static JsonObject *
parse_record (const char  *line,
              gsize        len,
              GDateTime  **when,
              RgDecision  *decision,
              const char **why)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) error = NULL;
  JsonNode *root;
  JsonObject *record;
  JsonNode *recipients;
  const char *text;

  /* Translators: the reasons below end "not a decision record (%s); skipped". */
  if (memchr (line, '\0', len) != NULL
      || !json_parser_load_from_data (parser, line, (gssize) len, &error))
    {
      *why = _("not JSON");
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      *why = _("not a JSON object");
      return NULL;
    }
  record = json_node_get_object (root);
  text = member_string (record, "time");
  if (text != NULL)
    *when = g_date_time_new_from_iso8601 (text, NULL);
  if (*when == NULL)
    {
      /* Translators: "time" is a key of the record: keep it as it is. */
      *why = _("no valid \"time\"");
      return NULL;
    }
  if (!rg_decision_from_string (member_string (record, "decision"), decision))
    {
      g_clear_pointer (when, g_date_time_unref);
      /* Translators: "decision" is a key of the record: keep it as it is. */
      *why = _("no known \"decision\"");
      return NULL;
    }
  recipients = json_object_get_member (record, "recipients");
  if (recipients == NULL || !JSON_NODE_HOLDS_ARRAY (recipients))
    {
      g_clear_pointer (when, g_date_time_unref);
      /* Translators: "recipients" is a key of the record: keep it as it is. */
      *why = _("no \"recipients\" list");
      return NULL;
    }
  return json_object_ref (record);
}

/* Translators: the help of "rcptguard log", after its options.  Keep the setting names
 * (log-decisions, log-local-parts), the decisions (corrected, sent-anyway, edited, blocked,
 * check-failed), paths, commands, option names, example dates and durations, the formats,
 * the JSON keys and the exit statuses' numbers as they are; lines of 90 columns at most.
 * %s is the id of the journal's messages. */
static const char *const log_description = N_(
  "Shows the decisions recorded at Send (the setting log-decisions, on by default):\n"
  "one record per Send that showed the dialog or was refused, and per failed check, with\n"
  "the decision (corrected, sent-anyway, edited, blocked, check-failed), the time (UTC),\n"
  "the mail client, the sender's domain and each flagged recipient's domain, verdict,\n"
  "score, reasons and suggestion.  Local parts are shown as the log holds them\n"
  "(log-local-parts): left out, as the first digits of their HMAC, or plain.\n"
  "\n"
  "The log is $XDG_STATE_HOME/rcptguard/decisions.jsonl (~/.local/state/...), and its\n"
  "rotated files decisions.jsonl.1 (newer) to .4 (oldest), read oldest first.  The same\n"
  "records are in the journal: journalctl MESSAGE_ID=%s.\n"
  "\n"
  "--since takes a duration back from now (90s, 30m, 12h, 7d, 2w), a date (2026-11-28,\n"
  "from midnight local time), or a date and time (2026-11-28T09:00:00Z; local time\n"
  "without a zone).\n"
  "\n"
  "Output:\n"
  "  text  the records for people, then the summary (the default)\n"
  "  json  the records as JSON Lines, as the log holds them; with --summary one object:\n"
  "        {\"warnings\", \"corrected\", \"sent_anyway\", \"edited\", \"blocked\",\n"
  "         \"check_failed\"}\n"
  "A warning is a Send that showed the dialog or was refused; a failed check is not one.\n"
  "\n"
  "Exit status:\n"
  "  0   shown (also when nothing is recorded yet)\n"
  "  64  usage error\n"
  "  65  shown, and a line that is not a record was skipped (named on standard error)\n"
  "  70  a file of the log cannot be read, or output failed\n");

/* Shows the records of one file of the log; returns OK or BAD_INPUT. */
static RgCliExit
show_part (const RgJsonlPart *part,
           GDateTime         *since,
           LogFormat          format,
           gboolean           summary_only,
           LogSummary        *summary,
           RgCliWriter       *writer,
           GString           *out,
           gboolean          *failed)
{
  g_autoptr (RgCliLineReader) reader = rg_cli_line_reader_new (part->fd,
                                                               RG_DECISION_RECORD_MAX_BYTES);
  RgCliExit status = RG_CLI_EXIT_OK;

  for (;;)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GDateTime) when = NULL;
      g_autoptr (JsonObject) record = NULL;
      g_autofree char *where = NULL;
      RgDecision decision;
      const char *why = NULL;
      char *line;
      gsize len;
      RgCliLineStatus line_status = rg_cli_line_reader_next (reader, &line, &len, &error);

      if (line_status == RG_CLI_LINE_EOF)
        break;
      if (line_status == RG_CLI_LINE_ERROR)
        {
          rg_cli_error (part->path, "%s", error->message);
          *failed = TRUE;
          break;
        }
      where = g_strdup_printf ("%s:%" G_GUINT64_FORMAT, part->path,
                               rg_cli_line_reader_get_line_number (reader));
      if (line_status == RG_CLI_LINE_TOO_LONG)
        why = _("longer than a record can be");
      else if (len == 0)
        continue;
      else
        record = parse_record (line, len, &when, &decision, &why);
      if (record == NULL)
        {
          /* Translators: about a line of the decision log; %s says what is wrong with it. */
          rg_cli_error (where, _("not a decision record (%s); skipped"), why);
          status = RG_CLI_EXIT_BAD_INPUT;
          continue;
        }

      if (since != NULL && g_date_time_compare (when, since) < 0)
        continue;
      summary->counts[decision]++;
      if (summary_only)
        continue;
      summary->shown++;
      if (format == LOG_FORMAT_JSON)
        {
          g_string_append_len (out, line, len);
          g_string_append_c (out, '\n');
        }
      else
        format_text (record, out);
      if (!rg_cli_writer_write (writer, out->str, out->len))
        {
          *failed = TRUE;
          break;
        }
      g_string_truncate (out, 0);
    }
  return status;
}

/**
 * rg_cli_log_run:
 * @argc: the number of arguments, "log" included
 * @argv: the arguments, starting with "log"
 *
 * Returns: the exit status.
 */
int
rg_cli_log_run (int    argc,
                char **argv)
{
  g_autofree char *format_name = NULL;
  g_autofree char *since_text = NULL;
  g_autofree char *file = NULL;
  gboolean summary_only = FALSE;
  g_auto (GStrv) rest = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &format_name,
      /* Translators: the options of "rcptguard log" in its help; the placeholders in
       * capitals (DATE, DURATION, PATH) may be translated, text|json may not. */
      N_("Output format (default: text)"), "text|json" },
    { "since", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &since_text,
      N_("Only decisions from then on"), N_("DATE|DURATION") },
    { "summary", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &summary_only,
      N_("Only the counts of each decision"), NULL },
    { "file", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &file,
      N_("Read this log instead of the user's (with its rotated files)"), N_("PATH") },
    { G_OPTION_REMAINING, 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING_ARRAY, &rest,
      NULL, NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autofree char *description = NULL;
  g_autoptr (GString) description_text = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) since = NULL;
  g_autoptr (GPtrArray) parts = NULL;
  g_autoptr (RgCliWriter) writer = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  LogSummary summary = { { 0 } };
  LogFormat format = LOG_FORMAT_TEXT;
  RgCliExit status = RG_CLI_EXIT_OK;
  gboolean failed = FALSE;

  g_set_prgname ("rcptguard log");
  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Show the decisions recorded at Send: who was warned, and "
                                  "what they chose."));
  /* Not printf: a translated variable is no format literal the compiler can check. */
  description_text = g_string_new (_(log_description));
  g_string_replace (description_text, "%s", RG_DECISION_MESSAGE_ID, 1);
  description = g_string_free (g_steal_pointer (&description_text), FALSE);
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, NULL);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_autofree char *what = rg_cli_sentence_tail (error->message);

      rg_cli_usage_error ("log", "%s", what);
      return RG_CLI_EXIT_USAGE;
    }
  if (rest != NULL && rest[0] != NULL)
    {
      g_autofree char *quoted = rg_cli_quote (rest[0], (gsize) -1);

      /* Translators: %s is the argument, in quotes. */
      rg_cli_usage_error ("log", _("unexpected argument %s"), quoted);
      return RG_CLI_EXIT_USAGE;
    }
  if (format_name == NULL || strcmp (format_name, "text") == 0)
    format = LOG_FORMAT_TEXT;
  else if (strcmp (format_name, "json") == 0)
    format = LOG_FORMAT_JSON;
  else
    {
      g_autofree char *quoted = rg_cli_quote (format_name, (gsize) -1);

      /* Translators: %s is the value given, in quotes; text and json stay as they are. */
      rg_cli_usage_error ("log", _("unknown --format %s: use text or json"), quoted);
      return RG_CLI_EXIT_USAGE;
    }
  if (since_text != NULL)
    {
      since = parse_since (since_text);
      if (since == NULL)
        {
          g_autofree char *quoted = rg_cli_quote (since_text, (gsize) -1);

          /* Translators: %s is the value given, in quotes; keep the examples as they are. */
          rg_cli_usage_error ("log", _("--since %s is neither a date (2026-11-28, "
                                       "2026-11-28T09:00:00Z) nor a duration (90s, 30m, 12h, "
                                       "7d, 2w)"), quoted);
          return RG_CLI_EXIT_USAGE;
        }
    }
  if (file == NULL)
    file = rg_decision_log_dup_default_path ();

  parts = rg_jsonl_file_open_parts (file, &error);
  if (parts == NULL)
    {
      rg_cli_error (NULL, "%s", error->message);
      return RG_CLI_EXIT_INTERNAL;
    }
  if (parts->len == 0)
    /* Translators: %s is the file of the decision log. */
    rg_cli_error ("log", _("nothing recorded in %s"), file);

  writer = rg_cli_writer_new (STDOUT_FILENO);
  for (guint i = 0; i < parts->len && !failed; i++)
    status = rg_cli_exit_worst (status,
                                show_part (g_ptr_array_index (parts, i), since, format,
                                           summary_only, &summary, writer, out, &failed));

  /* People get the summary after the records; JSON only when asked, as one object. */
  if (!failed)
    {
      if (format == LOG_FORMAT_TEXT)
        {
          if (summary.shown > 0)
            g_string_append_c (out, '\n');
          format_summary_text (&summary, out);
        }
      else if (summary_only)
        format_summary_json (&summary, out);
      if (!rg_cli_writer_write (writer, out->str, out->len) || !rg_cli_writer_flush (writer))
        failed = TRUE;
    }
  if (failed && rg_cli_writer_get_error (writer) != NULL)
    rg_cli_error (_("standard output"), "%s", rg_cli_writer_get_error (writer)->message);
  if (failed)
    return RG_CLI_EXIT_INTERNAL;
  return status;
}
