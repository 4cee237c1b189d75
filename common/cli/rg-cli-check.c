/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-cli-check.c - "rcptguard check": check recipient addresses.
 *
 *   rcptguard check [OPTIONS] ADDRESS-LIST...
 *   rcptguard check [OPTIONS] --stdin
 *
 * Each ADDRESS-LIST argument, or each line of standard input, is one address list (a To
 * header's value, or a single address) and is checked on its own: a list the core rejects
 * is reported with where it came from, and the others are still checked and printed.
 */
#include "config.h"

#include "rg-cli-check.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gi18n.h>

#include "rcptguard.h"
#include "rg-autoptr.h"
#include "rg-cli-error.h"
#include "rg-cli-format.h"
#include "rg-cli-known.h"
#include "rg-cli-line-reader.h"
#include "rg-cli-settings.h"
#include "rg-cli-writer.h"
#include "rg-decision-log.h"
#include "rg-finding-text.h"
#include "rg-guard.h"

/* Lists at hand are checked together, in one call of the guard: the call hands them to a
 * worker thread (the time budget), and waking a thread costs tens of microseconds, ten times
 * the check of an address.  Each list keeps its own answer; these bounds keep a call far
 * within the budget (about 10 ms for 64 KiB of addresses) and under RG_MAX_RECIPIENTS. */
#define RG_CLI_BATCH_MAX_LISTS 1024u
#define RG_CLI_BATCH_MAX_OCTETS (64u * 1024u)

typedef struct {
  /* The checks run through RgGuard, as at Evolution's Send: the same time budget, the same
   * validation of the core's report, the same on-error policy. */
  RgGuard *guard;
  GSettings *settings;      /* NULL without settings: then no list is locked */
  RgOnError on_error;
  RgCliFormat format;
  RgCliWriter *writer;
  GString *scratch;         /* the lines of one finding */
  GPtrArray *batch_lists;   /* the lists read and not yet checked (owned copies) */
  GPtrArray *batch_wheres;  /* where each came from, for messages */
  gsize batch_octets;
  RgCliExit verdicts;       /* from the verdicts (and on-error answers) so far */
  RgCliExit errors;         /* from the errors reported so far */
  /* With the settings: failed checks are recorded (client "cli"), as at Send. */
  RgDecisionLog *log;
  const char *from;
} CheckRun;

/* Reports a failed write on standard output; nothing more can be printed after it. */
static void
report_write_error (CheckRun *run)
{
  rg_cli_error (_("standard output"), "%s", rg_cli_writer_get_error (run->writer)->message);
  run->errors = rg_cli_exit_worst (run->errors, RG_CLI_EXIT_INTERNAL);
}

/* The exit status of a list whose check failed, by the on-error policy, as Send would: allow
 * sends (0), warn asks (1, as for a warning), block does not send (2, as for a block). */
static RgCliExit
exit_from_on_error (RgOnError on_error)
{
  switch (on_error)
    {
    case RG_ON_ERROR_ALLOW: return RG_CLI_EXIT_OK;
    case RG_ON_ERROR_BLOCK: return RG_CLI_EXIT_BLOCK;
    case RG_ON_ERROR_WARN:
    default: return RG_CLI_EXIT_WARN;
    }
}

static const char *
on_error_consequence (RgOnError on_error)
{
  switch (on_error)
    {
    /* Translators: what becomes of addresses that could not be checked, by the setting
     * on-error; "on-error", allow, warn and block are the setting and its values: keep
     * them as they are. */
    case RG_ON_ERROR_ALLOW: return _("on-error is allow: passed unchecked");
    case RG_ON_ERROR_BLOCK: return _("on-error is block: counted as a block");
    case RG_ON_ERROR_WARN:
    default: return _("on-error is warn: counted as a warning");
    }
}

/* What went wrong in @error, a failed check, as the tail of an error line in the user's
 * language.  A report that made no sense keeps the guard's English detail: it is a bug to
 * report, not something the user can act on. */
static char *
describe_check_error (const GError *error)
{
  /* A limit is named with its number: "the limit" alone leaves the user guessing. */
  if (g_error_matches (error, RG_GUARD_ERROR, RG_E_TOO_MANY))
    /* Translators: %u is the limit, 50000. */
    return g_strdup_printf (_("more recipients than the limit of %u in one check"),
                            RG_MAX_RECIPIENTS);
  if (g_error_matches (error, RG_GUARD_ERROR, RG_E_TOO_LONG))
    /* Translators: %u is the limit, 4194304 (4 MiB). */
    return g_strdup_printf (_("an address list longer than the limit of %u octets"),
                            RG_MAX_LIST_OCTETS);
  if (error->domain == RG_GUARD_ERROR && error->code < 0)
    return rg_cli_describe_status ((rg_status) error->code);
  if (g_error_matches (error, RG_GUARD_ERROR, RG_GUARD_ERROR_TIMEOUT))
    /* Translators: %g is the time limit of a check in seconds, e.g. "2". */
    return g_strdup_printf (_("the check did not finish within %g s"),
                            RG_GUARD_CHECK_BUDGET_MS / 1000.0);
  return rg_cli_sentence_tail (error->message);
}

/* The check of a list failed as a whole.  Input the core refuses is bad input (65), as it
 * always was; anything else is the check itself failing (the core, its time budget, a report
 * that made no sense), and the on-error policy decides, as at Send.  Nothing is printed on
 * standard output for the list: its recipients are unknown. */
static void
report_check_error (CheckRun     *run,
                    const char   *where,
                    const GError *error)
{
  g_autofree char *what = describe_check_error (error);

  if (rg_guard_error_is_input (error))
    {
      rg_cli_error (where, "%s", what);
      run->errors = rg_cli_exit_worst (run->errors, RG_CLI_EXIT_BAD_INPUT);
      return;
    }
  /* Translators: the first %s says why, the second what follows from on-error, e.g.
   * "recipients could not be checked: the check did not finish within 2 s (on-error is warn:
   * counted as a warning)". */
  rg_cli_error (where, _("recipients could not be checked: %s (%s)"), what,
                on_error_consequence (run->on_error));
  if (run->log != NULL)
    rg_decision_log_record (run->log, RG_DECISION_CHECK_FAILED, run->from, NULL, NULL, 0,
                            error->message, rg_guard_get_on_error_locked (run->guard), NULL, NULL);
  run->verdicts = rg_cli_exit_worst (run->verdicts, exit_from_on_error (run->on_error));
}

/* The journal copy of a record, for the administrator; without a journal there is none:
 * the command has already said on standard error what failed. */
static GLogWriterOutput
write_journal_only (GLogLevelFlags   level,
                    const GLogField *fields,
                    gsize            n_fields,
                    gpointer         user_data)
{
  g_log_writer_journald (level, fields, n_fields, user_data);
  return G_LOG_WRITER_HANDLED;
}

/* Prints the findings of @report and counts its verdict.
 *
 * Returns: %FALSE when standard output failed: the caller stops. */
static gboolean
print_report (CheckRun        *run,
              const rg_report *report)
{
  size_t n_findings = rg_report_get_n_findings (report);

  for (size_t i = 0; i < n_findings; i++)
    {
      const rg_finding *finding = rg_report_get_finding (report, i);

      g_string_truncate (run->scratch, 0);
      rg_cli_format_finding (run->format, finding,
                             rg_finding_is_policy_locked (finding, run->settings), run->scratch);
      if (!rg_cli_writer_write (run->writer, run->scratch->str, run->scratch->len))
        {
          report_write_error (run);
          return FALSE;
        }
    }

  run->verdicts = rg_cli_exit_worst (run->verdicts,
                                     rg_cli_exit_from_verdict (rg_report_get_verdict (report)));
  return TRUE;
}

/* Checks @n lists of the batch, from @first, in one call; on bad input, each on its own. */
static gboolean
check_lists (CheckRun *run,
             guint     first,
             guint     n)
{
  const char *const *lists = (const char *const *) run->batch_lists->pdata + first;
  g_autoptr(rg_report) report = NULL;
  g_autoptr(GError) error = NULL;

  report = rg_guard_check (run->guard, RG_SCOPE_ALL, lists, n, &error);
  if (report != NULL)
    return print_report (run, report);

  if (rg_guard_error_is_input (error) && n > 1)
    {
      /* One of them (or all together: more than RG_MAX_RECIPIENTS) was refused: each on its
       * own, so that only the lists at fault are named, and the others are printed. */
      for (guint i = first; i < first + n; i++)
        if (!check_lists (run, i, 1))
          return FALSE;
      return TRUE;
    }

  /* The check itself failed: a fault of the checker, not of a list.  Every list of the call
   * gets the on-error answer, the safe one, and none is checked again: a checker that hangs
   * would hang once per list. */
  for (guint i = first; i < first + n; i++)
    report_check_error (run, g_ptr_array_index (run->batch_wheres, i), error);
  return TRUE;
}

/* Checks the lists collected so far and prints their findings, in order.
 *
 * Returns: %FALSE when standard output failed: the caller stops. */
static gboolean
check_batch (CheckRun *run)
{
  gboolean ok = TRUE;

  if (run->batch_lists->len > 0)
    ok = check_lists (run, 0, run->batch_lists->len);
  g_ptr_array_set_size (run->batch_lists, 0);
  g_ptr_array_set_size (run->batch_wheres, 0);
  run->batch_octets = 0;
  return ok;
}

/* Adds one address list to the batch, checking the batch first when it is full.  @where
 * names the list in messages; both are copied.
 *
 * Returns: %FALSE when standard output failed: the caller stops. */
static gboolean
add_list (CheckRun   *run,
          const char *where,
          const char *list,
          gsize       len)
{
  if (run->batch_lists->len > 0
      && (run->batch_lists->len >= RG_CLI_BATCH_MAX_LISTS
          || run->batch_octets + len > RG_CLI_BATCH_MAX_OCTETS)
      && !check_batch (run))
    return FALSE;

  g_ptr_array_add (run->batch_lists, g_strndup (list, len));
  g_ptr_array_add (run->batch_wheres, g_strdup (where));
  run->batch_octets += len;
  return TRUE;
}

/* Before the reader waits for input: what has been read is checked and printed, so that a
 * program feeding lines one at a time sees each answer before it sends the next line. */
static void
check_before_read (gpointer user_data)
{
  CheckRun *run = user_data;

  /* A failure is kept by the writer and reported after the reader returns. */
  if (check_batch (run))
    rg_cli_writer_flush (run->writer);
}

/* "line 3", where an error is, in the user's language. */
static char *
dup_line_where (RgCliLineReader *reader)
{
  g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                             rg_cli_line_reader_get_line_number (reader));

  /* Translators: where an error is: a line of the standard input; %s is its number. */
  return g_strdup_printf (_("line %s"), number);
}

/* One address list per line of standard input; empty lines are skipped. */
static gboolean
check_stdin (CheckRun *run)
{
  g_autoptr(RgCliLineReader) reader = rg_cli_line_reader_new (STDIN_FILENO,
                                                              RG_MAX_LIST_OCTETS);

  rg_cli_line_reader_set_before_read (reader, check_before_read, run);

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *where = NULL;
      char *line = NULL;
      gsize len = 0;
      RgCliLineStatus status = rg_cli_line_reader_next (reader, &line, &len, &error);

      if (rg_cli_writer_get_error (run->writer) != NULL)
        {
          report_write_error (run);
          return FALSE;
        }
      if (status == RG_CLI_LINE_OK && len > 0 && memchr (line, '\0', len) == NULL)
        {
          where = dup_line_where (reader);
          if (!add_list (run, where, line, len))
            return FALSE;
          continue;
        }

      /* Anything else is said after the lines before it. */
      if (!check_batch (run))
        return FALSE;
      if (status == RG_CLI_LINE_EOF)
        return TRUE;
      if (status == RG_CLI_LINE_ERROR)
        {
          rg_cli_error (_("standard input"), "%s", error->message);
          run->errors = rg_cli_exit_worst (run->errors, RG_CLI_EXIT_INTERNAL);
          return TRUE;
        }

      where = dup_line_where (reader);
      if (status == RG_CLI_LINE_TOO_LONG)
        {
          g_autofree char *what = rg_cli_describe_status (RG_E_TOO_LONG);

          /* Translators: %s is an error such as "longer than the limit", %u the limit. */
          rg_cli_error (where, _("%s (%u octets)"), what, RG_MAX_LIST_OCTETS);
          run->errors = rg_cli_exit_worst (run->errors, RG_CLI_EXIT_BAD_INPUT);
        }
      else if (len > 0)
        {
          rg_cli_error (where, "%s", _("contains a NUL byte"));
          run->errors = rg_cli_exit_worst (run->errors, RG_CLI_EXIT_BAD_INPUT);
        }
    }
}

/* One address list per argument. */
static gboolean
check_arguments (CheckRun    *run,
                 char *const *lists)
{
  for (guint i = 0; lists[i] != NULL; i++)
    {
      g_autofree char *quoted = rg_cli_quote (lists[i], (gsize) -1);
      /* Translators: where an error is: an argument of the command, %u its number, %s its
       * value in quotes, e.g. "argument 2 'ops@'". */
      g_autofree char *where = g_strdup_printf (_("argument %u %s"), i + 1, quoted);

      if (!add_list (run, where, lists[i], strlen (lists[i])))
        return FALSE;
    }
  return check_batch (run);
}

/* The description says "2 s". */
G_STATIC_ASSERT (RG_GUARD_CHECK_BUDGET_MS == 2000);

/* Translators: the help of "rcptguard check", after its options.  Keep the option names
 * (--stdin, --known, ...), the setting names (on-error, enabled), the values of settings
 * and formats (allow, warn, block, contact, collected, identity, admin, json, tsv, text,
 * ok, notice), the JSON keys and the exit statuses' numbers as they are; lines of 90
 * columns at most. */
static const char *const check_description = N_(
  "Each ADDRESS-LIST is one list of recipients as in a To: header, e.g.\n"
  "'Ops <ops@army.mil>, hr@example.com', or a single address.  With --stdin, each line of\n"
  "standard input is one list; empty lines are skipped.\n"
  "\n"
  "Known domains are those you write to: a recipient's domain that is one slip away from a\n"
  "known domain (a typo, a lookalike, a swapped top-level domain such as .mil and .ml) is\n"
  "warned about.  Large public mail providers (gmail.com, ...) are always known.\n"
  "A --known FILE has one domain or address per line, optionally followed by white space\n"
  "and a decimal use count (how often you write to it; more often is a better suggestion),\n"
  "then by where that knowledge comes from: contact (the default), collected (sent to once\n"
  "and collected automatically: weak), identity (your own address) or admin; a domain\n"
  "known only weakly is warned about next to a much stronger twin (army.ml next to\n"
  "army.mil).  --known-domain is a contact, --from an identity.\n"
  "'#' at the start of a line or after white space starts a comment.\n"
  "\n"
  "Without --no-settings, Recipient Guard's settings (GSettings/dconf: trusted, known, warned\n"
  "and blocked domains, lookalike checks, notices of new domains; see 'rcptguard policy')\n"
  "apply, and the domains of your evolution-data-server address books and mail identities\n"
  "are known, as at Evolution's Send button.  The setting 'enabled' concerns the mail client:\n"
  "this command always checks.  What cannot be read is said in one line on standard error\n"
  "and the check goes on without it: a schema that is not installed (built-in defaults), no\n"
  "session bus or evolution-data-server (no address books).  A settings backend other than\n"
  "dconf is said as well: the administrator's settings and locks do not apply then.  A list\n"
  "entry in the settings that is not a domain is named and ignored, and the exit status is\n"
  "65.  Scripts that must not depend on the desktop pass --no-settings.\n"
  "\n"
  "When the check of a list itself fails (the checker fails, takes longer than 2 s, or\n"
  "answers nonsense), one line on standard error says \"recipients could not be checked\",\n"
  "nothing is printed for that list, and the setting 'on-error' decides, as at Send: allow\n"
  "passes the list unchecked (0), warn counts it as a warning (1), block as a block (2).\n"
  "Without settings (--no-settings, no schema) it is warn.\n"
  "\n"
  "Output, one recipient at a time:\n"
  "  json  JSON Lines: {\"input\", \"address\", \"domain\", \"verdict\", \"score\",\n"
  "        \"reasons\": [{\"code\", \"message\"}], \"suggestion\" (or null)}\n"
  "  tsv   INPUT<TAB>VERDICT<TAB>SUGGESTION (- when there is none)\n"
  "  text  for people (the default when standard output is a terminal; json otherwise)\n"
  "Verdicts: ok, notice, warn, block.\n"
  "\n"
  "Exit status:\n"
  "  0   nothing to warn about (every recipient ok or notice; lists not checked, on-error\n"
  "      allow)\n"
  "  1   at least one warning (or a list not checked, on-error warn)\n"
  "  2   at least one block (or a list not checked, on-error block)\n"
  "  64  usage error\n"
  "  65  bad input: an address list, a line or a known domain was rejected (the other\n"
  "      lists are still checked and printed)\n"
  "  70  internal error (out of memory or a library failure outside the check, reading\n"
  "      standard input, writing the output)\n"
  "A higher number wins when several apply, except that usage errors stop before any\n"
  "check.\n");

/**
 * rg_cli_check_run:
 * @argc: the number of arguments, "check" included
 * @argv: the arguments, starting with "check"; GOptionContext may reorder them
 *
 * Returns: the exit status.
 */
int
rg_cli_check_run (int    argc,
                  char **argv)
{
  g_auto(GStrv) known_domains = NULL;
  g_auto(GStrv) known_files = NULL;
  g_auto(GStrv) lists = NULL;
  g_autofree char *from = NULL;
  g_autofree char *format_name = NULL;
  gboolean no_settings = FALSE;
  gboolean read_stdin = FALSE;
  /* Values are taken as FILENAME: raw bytes, so that a UTF-8 address works in any locale and
   * a value that is not UTF-8 reaches the core and is reported as bad input (65), not as a
   * usage error. */
  const GOptionEntry entries[] = {
    { "known-domain", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME_ARRAY, &known_domains,
      /* Translators: the options of "rcptguard check" in its help; the placeholders in
       * capitals (DOMAIN, FILE, ADDRESS, ADDRESS-LIST) may be translated, text|json|tsv
       * may not. */
      N_("A domain you correspond with (repeatable)"), N_("DOMAIN") },
    { "known", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME_ARRAY, &known_files,
      N_("Known domains or addresses, one per line (repeatable)"), N_("FILE") },
    { "from", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &from,
      N_("The sender; its domain counts as known, as your own"), N_("ADDRESS") },
    { "no-settings", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &no_settings,
      N_("Read no settings or address books (see below)"), NULL },
    { "stdin", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &read_stdin,
      N_("Read address lists from standard input, one per line"), NULL },
    { "format", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &format_name,
      N_("Output format (text on a terminal, json otherwise)"), "text|json|tsv" },
    { G_OPTION_REMAINING, 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME_ARRAY, &lists,
      NULL, N_("ADDRESS-LIST…") },
    { NULL },
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(rg_config) config = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(RgGuard) guard = NULL;
  g_autoptr(RgDecisionLog) log = NULL;
  g_autoptr(GPtrArray) batch_lists = NULL;
  g_autoptr(GPtrArray) batch_wheres = NULL;
  g_autoptr(RgCliWriter) writer = NULL;
  g_autoptr(GString) scratch = NULL;
  RgCliFormat format;
  RgCliExit config_exit = RG_CLI_EXIT_OK;
  CheckRun run = { 0 };

  g_set_prgname ("rcptguard check");
  /* The usage line ends with the description of G_OPTION_REMAINING: "ADDRESS-LIST…". */
  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Check the domains of recipient addresses for slips: typos, "
                                  "lookalikes,\nswapped top-level domains (.mil and .ml)."));
  g_option_context_set_description (context, _(check_description));
  g_option_context_add_main_entries (context, entries, NULL);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_autofree char *what = rg_cli_sentence_tail (error->message);

      rg_cli_usage_error ("check", "%s", what);
      return RG_CLI_EXIT_USAGE;
    }

  if (format_name == NULL)
    format = isatty (STDOUT_FILENO) ? RG_CLI_FORMAT_TEXT : RG_CLI_FORMAT_JSON;
  else if (!rg_cli_format_from_string (format_name, &format))
    {
      g_autofree char *quoted = rg_cli_quote (format_name, (gsize) -1);

      /* Translators: %s is the value given, in quotes; text, json and tsv stay as they are. */
      rg_cli_usage_error ("check", _("unknown --format %s: use text, json or tsv"), quoted);
      return RG_CLI_EXIT_USAGE;
    }

  if (read_stdin && lists != NULL && lists[0] != NULL)
    {
      rg_cli_usage_error ("check", "%s", _("address lists and --stdin cannot be combined"));
      return RG_CLI_EXIT_USAGE;
    }
  if (!read_stdin && (lists == NULL || lists[0] == NULL))
    {
      rg_cli_usage_error ("check", "%s", _("no address list: give one or more, or --stdin"));
      return RG_CLI_EXIT_USAGE;
    }

  config = rg_config_new ();
  if (config == NULL)
    {
      g_autofree char *what = rg_cli_describe_status (RG_E_NOMEM);

      rg_cli_error (NULL, "%s", what);
      return RG_CLI_EXIT_INTERNAL;
    }

  if (!no_settings)
    {
      settings = rg_cli_settings_open ("check");
      if (settings != NULL)
        {
          rg_cli_settings_warn_backend ("check");
          config_exit = rg_cli_settings_apply (settings, "check", config);
        }
      rg_cli_settings_add_address_books (config);
    }

  /* A bad known domain is reported and skipped; the recipients are still checked against
   * the others, and the exit status says 65. */
  for (guint i = 0; known_domains != NULL && known_domains[i] != NULL; i++)
    config_exit = rg_cli_exit_worst (config_exit,
                                     rg_cli_known_add_value (config, "--known-domain",
                                                             known_domains[i],
                                                             RG_SOURCE_CONTACT));
  for (guint i = 0; known_files != NULL && known_files[i] != NULL; i++)
    config_exit = rg_cli_exit_worst (config_exit,
                                     rg_cli_known_add_file (config, known_files[i]));
  if (from != NULL)
    config_exit = rg_cli_exit_worst (config_exit,
                                     rg_cli_known_add_value (config, "--from", from,
                                                             RG_SOURCE_IDENTITY));
  if (config_exit == RG_CLI_EXIT_INTERNAL)
    return RG_CLI_EXIT_INTERNAL;

  /* A checker that cannot be built makes each check fail, which on-error decides: the same
   * answer as at Send. */
  guard = rg_guard_new_for_config (config, settings);
  g_clear_pointer (&config, rg_config_free);

  writer = rg_cli_writer_new (STDOUT_FILENO);
  scratch = g_string_new (NULL);
  run.guard = guard;
  run.settings = settings;
  /* The decisions of a script are its own; a check that failed is recorded all the same,
   * where the settings (log-decisions) are read. */
  if (settings != NULL)
    {
      log = rg_decision_log_new (settings, "cli");
      rg_decision_log_set_journal_writer (log, write_journal_only, NULL, NULL);
    }
  run.log = log;
  run.from = from;
  /* Once for the run: one answer for every list. */
  run.on_error = rg_guard_get_on_error (guard);
  run.batch_lists = batch_lists = g_ptr_array_new_with_free_func (g_free);
  run.batch_wheres = batch_wheres = g_ptr_array_new_with_free_func (g_free);
  run.format = format;
  run.writer = writer;
  run.scratch = scratch;
  run.verdicts = RG_CLI_EXIT_OK;
  run.errors = config_exit;

  if (read_stdin ? check_stdin (&run) : check_arguments (&run, lists))
    {
      if (!rg_cli_writer_flush (writer))
        report_write_error (&run);
    }

  return rg_cli_exit_worst (run.verdicts, run.errors);
}
