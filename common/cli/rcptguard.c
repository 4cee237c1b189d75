/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rcptguard.c - the rcptguard command: options common to all commands, and the dispatch to
 * the commands ("check", "policy", "log", "doctor"), each in its own rg-cli-<command>.c.
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <glib/gi18n.h>

#include "rg-cli-check.h"
#include "rg-cli-doctor.h"
#include "rg-cli-error.h"
#include "rg-cli-log.h"
#include "rg-cli-policy.h"

#ifndef RG_CLI_VERSION
# error "RG_CLI_VERSION must be defined by the build"
#endif
#ifndef RG_CLI_LOCALEDIR
# error "RG_CLI_LOCALEDIR must be defined by the build"
#endif

typedef struct {
  const char *name;
  const char *summary;
  int (*run) (int argc, char **argv);
} RgCliCommand;

/* To add a command: a file rg-cli-<name>.c with rg_cli_<name>_run (), and a row here. */
static const RgCliCommand commands[] = {
  { "check", N_("Check recipient addresses for mistyped or lookalike domains"),
    rg_cli_check_run },
  { "policy", N_("Show the settings in force, where they come from, and their locks"),
    rg_cli_policy_run },
  { "log", N_("Show the decisions recorded at Send, and a summary"), rg_cli_log_run },
  { "doctor", N_("Check that Recipient Guard protects this desktop, and how to fix it"),
    rg_cli_doctor_run },
};

static const RgCliCommand *
find_command (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (strcmp (commands[i].name, name) == 0)
        return &commands[i];
    }
  return NULL;
}

static char *
describe_commands (void)
{
  /* Translators: the heading of the list of commands in "rcptguard --help"; the names of the
   * commands (check, policy, log, doctor) stay as they are. */
  GString *text = g_string_new (_("Commands:"));

  g_string_append_c (text, '\n');
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (text, "  %-8s %s\n", commands[i].name, _(commands[i].summary));
  g_string_append_c (text, '\n');
  /* Translators: the end of "rcptguard --help".  Keep 'rcptguard COMMAND --help' as it is
   * (COMMAND may be translated) and the exit statuses' numbers; lines of 80 columns at most. */
  g_string_append (text, _("Run 'rcptguard COMMAND --help' for the options of a command.\n"
                           "Exit status: 0 nothing to warn about, 1 a warning, 2 a block, 64 "
                           "usage,\n"
                           "65 bad input, 70 internal error.\n"));
  return g_string_free (text, FALSE);
}

static int
print_version (void)
{
  /* A version that cannot be written is an error like any other output. */
  if (fputs ("rcptguard " RG_CLI_VERSION "\n", stdout) == EOF || fflush (stdout) != 0)
    {
      rg_cli_error ("standard output", "%s", g_strerror (errno));
      return RG_CLI_EXIT_INTERNAL;
    }
  return RG_CLI_EXIT_OK;
}

int
main (int    argc,
      char **argv)
{
  gboolean version = FALSE;
  const GOptionEntry entries[] = {
    { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &version,
      N_("Print the version and exit"), NULL },
    { NULL },
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  const RgCliCommand *command;

  /* The locale is for the messages, the explanations of "check --format text" and GLib's
   * option parser: the core does not depend on it.  Translations come as UTF-8, as the core's
   * text does, and all output is written as it is. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, RG_CLI_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("rcptguard");

  /* Translators: the arguments in the usage line of "rcptguard --help"; COMMAND and ARG may
   * be translated. */
  context = g_option_context_new (_("COMMAND [ARG…]"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Recipient Guard: warn when an e-mail recipient's domain "
                                  "looks like a slip."));
  description = describe_commands ();
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, NULL);
  /* Stop at the command: its options are its own. */
  g_option_context_set_strict_posix (context, TRUE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_autofree char *what = rg_cli_sentence_tail (error->message);

      /* Translators: a usage error of rcptguard; %s says what is wrong. */
      rg_cli_error (NULL, _("%s (see 'rcptguard --help')"), what);
      return RG_CLI_EXIT_USAGE;
    }

  if (version)
    return print_version ();

  if (argc < 2)
    {
      rg_cli_error (NULL, "%s", _("missing command (see 'rcptguard --help')"));
      return RG_CLI_EXIT_USAGE;
    }

  command = find_command (argv[1]);
  if (command == NULL)
    {
      g_autofree char *quoted = rg_cli_quote (argv[1], (gsize) -1);

      rg_cli_error (quoted, "%s", _("unknown command (see 'rcptguard --help')"));
      return RG_CLI_EXIT_USAGE;
    }

  return command->run (argc - 1, argv + 1);
}
