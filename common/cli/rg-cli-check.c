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
#include "rg-cli-check.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "rcptguard.h"
#include "rg-autoptr.h"
#include "rg-cli-error.h"
#include "rg-cli-format.h"
#include "rg-cli-known.h"
#include "rg-cli-line-reader.h"
#include "rg-cli-settings.h"
#include "rg-cli-writer.h"

typedef struct {
  const rg_checker *checker;
  RgCliFormat format;
  RgCliWriter *writer;
  GString *scratch;         /* the lines of one finding */
  RgCliExit verdicts;       /* from the verdicts seen so far */
  RgCliExit errors;         /* from the errors reported so far */
} CheckRun;

/* Reports a failed write on standard output; nothing more can be printed after it. */
static void
report_write_error (CheckRun *run)
{
  rg_cli_error ("standard output", "%s", rg_cli_writer_get_error (run->writer)->message);
  run->errors = rg_cli_exit_worst (run->errors, RG_CLI_EXIT_INTERNAL);
}

/*
 * Checks one address list and prints its findings.  @where names the list in messages.
 *
 * Returns: %FALSE when standard output failed: the caller stops.
 */
static gboolean
check_list (CheckRun   *run,
            const char *where,
            const char *list)
{
  g_autoptr(rg_report) report = NULL;
  rg_status status;
  size_t n_findings;

  status = rg_checker_check (run->checker, &list, 1, &report);
  if (status != RG_OK)
    {
      g_autofree char *what = rg_cli_describe_status (status);

      rg_cli_error (where, "%s", what);
      run->errors = rg_cli_exit_worst (run->errors, rg_cli_exit_from_status (status));
      return TRUE;
    }

  n_findings = rg_report_get_n_findings (report);
  for (size_t i = 0; i < n_findings; i++)
    {
      const rg_finding *finding = rg_report_get_finding (report, i);

      if (finding == NULL)
        continue;
      g_string_truncate (run->scratch, 0);
      rg_cli_format_finding (run->format, finding, run->scratch);
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

static void
flush_before_read (gpointer user_data)
{
  RgCliWriter *writer = user_data;

  /* A failure is kept by the writer and reported by the next write or the final flush. */
  rg_cli_writer_flush (writer);
}

/* One address list per line of standard input; empty lines are skipped. */
static gboolean
check_stdin (CheckRun *run)
{
  g_autoptr(RgCliLineReader) reader = rg_cli_line_reader_new (STDIN_FILENO,
                                                              RG_MAX_LIST_OCTETS);

  rg_cli_line_reader_set_before_read (reader, flush_before_read, run->writer);

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
      if (status == RG_CLI_LINE_EOF)
        return TRUE;
      if (status == RG_CLI_LINE_ERROR)
        {
          rg_cli_error ("standard input", "%s", error->message);
          run->errors = rg_cli_exit_worst (run->errors, RG_CLI_EXIT_INTERNAL);
          return TRUE;
        }

      where = g_strdup_printf ("line %" G_GUINT64_FORMAT,
                               rg_cli_line_reader_get_line_number (reader));
      if (status == RG_CLI_LINE_TOO_LONG)
        {
          g_autofree char *what = rg_cli_describe_status (RG_E_TOO_LONG);

          rg_cli_error (where, "%s (%u octets)", what, RG_MAX_LIST_OCTETS);
          run->errors = rg_cli_exit_worst (run->errors, RG_CLI_EXIT_BAD_INPUT);
        }
      else if (memchr (line, '\0', len) != NULL)
        {
          rg_cli_error (where, "contains a NUL byte");
          run->errors = rg_cli_exit_worst (run->errors, RG_CLI_EXIT_BAD_INPUT);
        }
      else if (len > 0 && !check_list (run, where, line))
        {
          return FALSE;
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
      g_autofree char *where = g_strdup_printf ("argument %u %s", i + 1, quoted);

      if (!check_list (run, where, lists[i]))
        return FALSE;
    }
  return TRUE;
}

static void
usage_error (const char *format,
             ...) G_GNUC_PRINTF (1, 2);

static void
usage_error (const char *format,
             ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  rg_cli_error ("check", "%s (see 'rcptguard check --help')", message);
}

static const char check_description[] =
  "Each ADDRESS-LIST is one list of recipients as in a To: header, e.g.\n"
  "'Ops <ops@army.mil>, hr@example.com', or a single address.  With --stdin, each line of\n"
  "standard input is one list; empty lines are skipped.\n"
  "\n"
  "Known domains are those you write to: a recipient's domain that is one slip away from a\n"
  "known domain (a typo, a lookalike, a swapped top-level domain such as .mil and .ml) is\n"
  "warned about.  Large public mail providers (gmail.com, ...) are always known.\n"
  "A --known FILE has one domain or address per line, optionally followed by white space\n"
  "and a decimal use count (how often you write to it; more often is a better suggestion).\n"
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
  "Output, one recipient at a time:\n"
  "  json  JSON Lines: {\"input\", \"address\", \"domain\", \"verdict\", \"score\",\n"
  "        \"reasons\": [{\"code\", \"message\"}], \"suggestion\" (or null)}\n"
  "  tsv   INPUT<TAB>VERDICT<TAB>SUGGESTION (- when there is none)\n"
  "  text  for people (the default when standard output is a terminal; json otherwise)\n"
  "Verdicts: ok, notice, warn, block.\n"
  "\n"
  "Exit status:\n"
  "  0   nothing to warn about (every recipient ok or notice)\n"
  "  1   at least one warning\n"
  "  2   at least one block\n"
  "  64  usage error\n"
  "  65  bad input: an address list, a line or a known domain was rejected (the other\n"
  "      lists are still checked and printed)\n"
  "  70  internal error (out of memory, a library failure, a write error)\n"
  "A higher number wins when several apply, except that usage errors stop before any\n"
  "check.\n";

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
      "A domain you correspond with (repeatable)", "DOMAIN" },
    { "known", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME_ARRAY, &known_files,
      "Known domains or addresses, one per line (repeatable)", "FILE" },
    { "from", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &from,
      "The sender; its domain counts as known", "ADDRESS" },
    { "no-settings", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &no_settings,
      "Read no settings or address books (see below)", NULL },
    { "stdin", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &read_stdin,
      "Read address lists from standard input, one per line", NULL },
    { "format", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &format_name,
      "Output format (text on a terminal, json otherwise)", "text|json|tsv" },
    { G_OPTION_REMAINING, 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME_ARRAY, &lists,
      NULL, "ADDRESS-LIST…" },
    { NULL },
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(rg_config) config = NULL;
  g_autoptr(rg_checker) checker = NULL;
  g_autoptr(RgCliWriter) writer = NULL;
  g_autoptr(GString) scratch = NULL;
  RgCliFormat format;
  RgCliExit config_exit = RG_CLI_EXIT_OK;
  CheckRun run = { 0 };
  rg_status status;

  g_set_prgname ("rcptguard check");
  /* The usage line ends with the description of G_OPTION_REMAINING: "ADDRESS-LIST…". */
  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                "Check the domains of recipient addresses for slips: typos, "
                                "lookalikes,\nswapped top-level domains (.mil and .ml).");
  g_option_context_set_description (context, check_description);
  g_option_context_add_main_entries (context, entries, NULL);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_autofree char *what = rg_cli_sentence_tail (error->message);

      usage_error ("%s", what);
      return RG_CLI_EXIT_USAGE;
    }

  if (format_name == NULL)
    format = isatty (STDOUT_FILENO) ? RG_CLI_FORMAT_TEXT : RG_CLI_FORMAT_JSON;
  else if (!rg_cli_format_from_string (format_name, &format))
    {
      g_autofree char *quoted = rg_cli_quote (format_name, (gsize) -1);

      usage_error ("unknown --format %s: use text, json or tsv", quoted);
      return RG_CLI_EXIT_USAGE;
    }

  if (read_stdin && lists != NULL && lists[0] != NULL)
    {
      usage_error ("address lists and --stdin cannot be combined");
      return RG_CLI_EXIT_USAGE;
    }
  if (!read_stdin && (lists == NULL || lists[0] == NULL))
    {
      usage_error ("no address list: give one or more, or --stdin");
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
      g_autoptr(GSettings) settings = rg_cli_settings_open ("check");

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
                                                             known_domains[i]));
  for (guint i = 0; known_files != NULL && known_files[i] != NULL; i++)
    config_exit = rg_cli_exit_worst (config_exit,
                                     rg_cli_known_add_file (config, known_files[i]));
  if (from != NULL)
    config_exit = rg_cli_exit_worst (config_exit,
                                     rg_cli_known_add_value (config, "--from", from));
  if (config_exit == RG_CLI_EXIT_INTERNAL)
    return RG_CLI_EXIT_INTERNAL;

  status = rg_checker_new (config, &checker);
  if (status != RG_OK)
    {
      g_autofree char *what = rg_cli_describe_status (status);

      rg_cli_error (NULL, "cannot build the checker: %s", what);
      return RG_CLI_EXIT_INTERNAL;
    }
  g_clear_pointer (&config, rg_config_free);

  writer = rg_cli_writer_new (STDOUT_FILENO);
  scratch = g_string_new (NULL);
  run.checker = checker;
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
