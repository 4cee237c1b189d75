/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-cli-doctor.c - "rcptguard doctor": is this desktop protected?
 *
 *   rcptguard doctor [--format text|json]
 *
 * One command an administrator or a help desk runs on a desktop, as the user: it checks every
 * part Recipient Guard needs there and says, per part, ok, WARN (protection works, less than
 * it should: exit status 1), FAIL (protection is off: exit status 2) or skip (a mail client
 * that is not installed), each problem with its fix on one line.  It changes nothing: it
 * reads, loads the Evolution module in a child process, and asks the native host one check.
 *
 * This file is the command: where the parts are, which mail clients are installed, the
 * checks in their order, the report.  The checks are in rg-cli-doctor-<part>.c.
 *
 * Where the parts are is where this build installs them: meson passes the paths
 * (common/cli/meson.build).  Three environment variables replace them, for tests and for a
 * look at another installation; each also counts its mail client as installed, and --help
 * documents them:
 *   RCPTGUARD_DOCTOR_MODULE_DIR   the folder of module-rcptguard.so
 *   RCPTGUARD_DOCTOR_HOSTS_DIRS   the manifest folders, in Thunderbird's order, ':'-separated
 *   RCPTGUARD_DOCTOR_POLICIES     the policies.json files, in Thunderbird's order
 * Options such as --root were not wanted: the doctor looks at the desktop it runs on.
 */
#include "config.h"

#include "rg-cli-doctor.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "rg-cli-doctor-check.h"
#include "rg-cli-doctor-evolution.h"
#include "rg-cli-doctor-host.h"
#include "rg-cli-doctor-log.h"
#include "rg-cli-doctor-policies.h"
#include "rg-cli-doctor-settings.h"
#include "rg-cli-error.h"
#include "rg-cli-writer.h"

#if !defined(RG_DOCTOR_EVOLUTION_MODULE_DIR) || !defined(RG_DOCTOR_EVOLUTION_LIB_DIR) \
  || !defined(RG_DOCTOR_EVOLUTION_MODULE) || !defined(RG_DOCTOR_HOSTS_DIR) \
  || !defined(RG_DOCTOR_NATIVE_HOST) || !defined(RG_DOCTOR_XPI) || !defined(RG_DOCTOR_SCHEMA_DIR)
# error "the installation paths RG_DOCTOR_* must be defined by the build (common/cli/meson.build)"
#endif

/* Thunderbird's system-wide policy file on Linux: SysConfD ("/etc/" and the application's
 * name) + policies/policies.json (rg-cli-doctor-policies.c says where this is from). */
#define RG_DOCTOR_SYSTEM_POLICIES "/etc/thunderbird/policies/policies.json"
/* Debian's and Ubuntu's Thunderbird package (MOZ_LIBDIR in /usr/bin/thunderbird). */
#define RG_DOCTOR_THUNDERBIRD_DIR "/usr/lib/thunderbird"

typedef enum {
  DOCTOR_FORMAT_TEXT,
  DOCTOR_FORMAT_JSON,
} DoctorFormat;

/* What the checks share, found once. */
typedef struct {
  GSettings *settings;        /* NULL without the schema */
  gboolean evolution;         /* installed (or its module folder given) */
  gboolean thunderbird;       /* installed (or its folders given) */
  char *module_dir;
  char **hosts_dirs;          /* NULL when Thunderbird is not installed */
  RgDoctorPolicies *policies; /* NULL when Thunderbird is not installed */
} Doctor;

static void
doctor_clear (Doctor *self)
{
  g_clear_object (&self->settings);
  g_clear_pointer (&self->module_dir, g_free);
  g_clear_pointer (&self->hosts_dirs, g_strfreev);
  g_clear_pointer (&self->policies, rg_doctor_policies_free);
}

/* A ':'-separated list from the environment, empty items left out; NULL when unset. */
static char **
dup_env_list (const char *name)
{
  const char *value = g_getenv (name);
  g_auto(GStrv) items = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;

  if (value == NULL)
    return NULL;
  items = g_strsplit (value, ":", -1);
  builder = g_strv_builder_new ();
  for (gsize i = 0; items[i] != NULL; i++)
    {
      if (items[i][0] != '\0')
        g_strv_builder_add (builder, items[i]);
    }
  return g_strv_builder_end (builder);
}

/*
 * Thunderbird's program folder: where the "thunderbird" on PATH really is, when that is the
 * program itself or a link to it (a tarball in /opt), else Debian's /usr/lib/thunderbird (its
 * /usr/bin/thunderbird is a shell script).  A folder counts when it has application.ini, as
 * every Thunderbird has.  NULL when there is none.
 */
static char *
find_thunderbird_dir (void)
{
  g_autofree char *program = g_find_program_in_path ("thunderbird");

  if (program != NULL)
    {
      g_autofree char *real = realpath (program, NULL);
      g_autofree char *dir = real != NULL ? g_path_get_dirname (real) : NULL;
      g_autofree char *ini = dir != NULL ? g_build_filename (dir, "application.ini", NULL)
                                         : NULL;

      if (ini != NULL && g_file_test (ini, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&dir);
    }
  if (g_file_test (RG_DOCTOR_THUNDERBIRD_DIR "/application.ini", G_FILE_TEST_IS_REGULAR))
    return g_strdup (RG_DOCTOR_THUNDERBIRD_DIR);
  return NULL;
}

/* Which mail clients are here, and where their parts are: this build's installation, or
 * the variables'.  Evolution is installed when its program is on PATH; Thunderbird when its
 * program folder is found. */
static void
doctor_find_clients (Doctor *self)
{
  g_autofree char *evolution = g_find_program_in_path ("evolution");
  g_autofree char *thunderbird_dir = find_thunderbird_dir ();
  g_auto(GStrv) policy_paths = dup_env_list ("RCPTGUARD_DOCTOR_POLICIES");

  self->module_dir = g_strdup (g_getenv ("RCPTGUARD_DOCTOR_MODULE_DIR"));
  self->evolution = self->module_dir != NULL || evolution != NULL;
  if (self->module_dir == NULL)
    self->module_dir = g_strdup (RG_DOCTOR_EVOLUTION_MODULE_DIR);

  self->hosts_dirs = dup_env_list ("RCPTGUARD_DOCTOR_HOSTS_DIRS");
  self->thunderbird = thunderbird_dir != NULL || self->hosts_dirs != NULL
                      || policy_paths != NULL;
  if (!self->thunderbird)
    return;
  if (self->hosts_dirs == NULL)
    {
      /* The user's folder first: Thunderbird reads it first (rg-cli-doctor-host.c). */
      g_autofree char *user = g_build_filename (g_get_home_dir (), ".mozilla",
                                                "native-messaging-hosts", NULL);
      const char *const dirs[] = { user, RG_DOCTOR_HOSTS_DIR, NULL };

      self->hosts_dirs = g_strdupv ((char **) dirs);
    }
  if (policy_paths == NULL)
    {
      g_autofree char *distribution = g_build_filename (thunderbird_dir != NULL
                                                          ? thunderbird_dir
                                                          : RG_DOCTOR_THUNDERBIRD_DIR,
                                                        "distribution", "policies.json", NULL);
      const char *const paths[] = { RG_DOCTOR_SYSTEM_POLICIES, distribution, NULL };

      policy_paths = g_strdupv ((char **) paths);
    }
  self->policies = rg_doctor_policies_load ((const char *const *) policy_paths);
}

/* The checks, in the order of the report: what the others depend on first. */

static void
check_schema (Doctor        *self,
              RgDoctorCheck *check)
{
  self->settings = rg_doctor_check_schema (RG_DOCTOR_SCHEMA_DIR, check);
}

static void
check_backend (Doctor        *self,
               RgDoctorCheck *check)
{
  rg_doctor_check_backend (check);
}

static void
check_checking (Doctor        *self,
                RgDoctorCheck *check)
{
  rg_doctor_check_checking (self->settings, self->evolution, self->thunderbird, self->policies,
                            check);
}

static void
check_locks (Doctor        *self,
             RgDoctorCheck *check)
{
  rg_doctor_check_locks (self->settings, self->policies, check);
}

static void
check_lists (Doctor        *self,
             RgDoctorCheck *check)
{
  rg_doctor_check_lists (self->settings, self->policies, check);
}

static void
check_clients (Doctor        *self,
               RgDoctorCheck *check)
{
  rg_doctor_check_add_node (check, "evolution", json_node_init_boolean (json_node_alloc (),
                                                                        self->evolution));
  rg_doctor_check_add_node (check, "thunderbird", json_node_init_boolean (json_node_alloc (),
                                                                          self->thunderbird));
  if (self->evolution && self->thunderbird)
    RG_DOCTOR_SAY_TEXT (check, RG_DOCTOR_OK, N_("Evolution and Thunderbird are installed"));
  else if (self->evolution)
    RG_DOCTOR_SAY_TEXT (check, RG_DOCTOR_OK, N_("Evolution is installed (Thunderbird is not)"));
  else if (self->thunderbird)
    RG_DOCTOR_SAY_TEXT (check, RG_DOCTOR_OK, N_("Thunderbird is installed (Evolution is not)"));
  else
    {
      RG_DOCTOR_SAY_TEXT (check, RG_DOCTOR_WARN,
                          N_("neither Evolution nor Thunderbird is installed: no mail client "
                             "here is protected"));
      RG_DOCTOR_FIX_TEXT (check, N_("run rcptguard doctor on the desktop where mail is "
                                    "written"));
    }
}

static void
check_evolution_module (Doctor        *self,
                        RgDoctorCheck *check)
{
  if (!self->evolution)
    RG_DOCTOR_SAY_TEXT (check, RG_DOCTOR_SKIP,
                        N_("Evolution is not installed (no evolution program on PATH)"));
  else
    rg_doctor_check_evolution_module (self->module_dir, RG_DOCTOR_EVOLUTION_MODULE,
                                      RG_DOCTOR_EVOLUTION_LIB_DIR, check);
}

static void
check_native_host (Doctor        *self,
                   RgDoctorCheck *check)
{
  if (!self->thunderbird)
    RG_DOCTOR_SAY_TEXT (check, RG_DOCTOR_SKIP, N_("Thunderbird is not installed"));
  else
    rg_doctor_check_native_host ((const char *const *) self->hosts_dirs,
                                 RG_DOCTOR_NATIVE_HOST, check);
}

static void
check_thunderbird_policies (Doctor        *self,
                            RgDoctorCheck *check)
{
  if (!self->thunderbird)
    RG_DOCTOR_SAY_TEXT (check, RG_DOCTOR_SKIP, N_("Thunderbird is not installed"));
  else
    rg_doctor_check_policies (self->policies, RG_DOCTOR_XPI, check);
}

static void
check_decision_log (Doctor        *self,
                    RgDoctorCheck *check)
{
  rg_doctor_check_decision_log (self->settings, check);
}

static void
check_address_books (Doctor        *self,
                     RgDoctorCheck *check)
{
  if (!self->evolution)
    RG_DOCTOR_SAY_TEXT (check, RG_DOCTOR_SKIP,
                        N_("Evolution is not installed (the add-on reads Thunderbird's own "
                           "address books)"));
  else
    rg_doctor_check_address_books (check);
}

static const struct
{
  const char *id; /* as in JSON: fixed English words */
  void (*run) (Doctor *self, RgDoctorCheck *check);
} doctor_checks[] = {
  { "schema", check_schema },
  { "backend", check_backend },
  { "checking", check_checking },
  { "locks", check_locks },
  { "lists", check_lists },
  { "clients", check_clients },
  { "evolution-module", check_evolution_module },
  { "native-host", check_native_host },
  { "thunderbird-policies", check_thunderbird_policies },
  { "decision-log", check_decision_log },
  { "address-books", check_address_books },
};

/* The command */

/* Translators: the help of "rcptguard doctor".  Keep the check names, option values, status
 * words in JSON, variable names and numbers as they are; lines of 80 columns at most. */
static const char *const doctor_description = N_(
  "Checks, as the user, each part Recipient Guard needs on this desktop, one line\n"
  "each:\n"
  "  schema, backend       the settings schema; GSettings on dconf (locks enforced)\n"
  "  checking              checking is on in Evolution and Thunderbird\n"
  "  locks, lists          what the administrator locked; list entries that are\n"
  "                        not domains\n"
  "  clients               which mail clients are installed\n"
  "  evolution-module      Evolution's module is there and loads\n"
  "  native-host           Thunderbird's native host: its manifest, and it answers\n"
  "                        a check\n"
  "  thunderbird-policies  the policies.json Thunderbird reads installs the add-on\n"
  "  decision-log          the decision log is writable and private\n"
  "  address-books         evolution-data-server's address books can be read\n"
  "Each problem comes with its fix on the next line.  A mail client that is not\n"
  "installed is skipped.\n"
  "\n"
  "Output:\n"
  "  text  for people (the default)\n"
  "  json  one object on one line, the same in every language: {\"status\": \"ok\" |\n"
  "        \"degraded\" | \"off\", \"checks\": [{\"id\", \"status\": \"ok\" | \"warn\" |\n"
  "        \"fail\" | \"skip\", \"message\", \"fix\", ...}]}\n"
  "\n"
  "For tests, and to look at another installation, these variables replace where\n"
  "the parts are looked for (each also counts its mail client as installed):\n"
  "  RCPTGUARD_DOCTOR_MODULE_DIR  the folder of module-rcptguard.so\n"
  "  RCPTGUARD_DOCTOR_HOSTS_DIRS  native-messaging manifest folders, ':'-separated\n"
  "  RCPTGUARD_DOCTOR_POLICIES    policies.json files, ':'-separated\n"
  "\n"
  "Exit status:\n"
  "  0   all is well\n"
  "  1   something is degraded (a warning)\n"
  "  2   protection is off (a check failed)\n"
  "  64  usage error\n"
  "  70  output failed\n");

/**
 * rg_cli_doctor_run:
 * @argc: the number of arguments, "doctor" included
 * @argv: the arguments, starting with "doctor"
 *
 * Returns: the exit status.
 */
int
rg_cli_doctor_run (int    argc,
                   char **argv)
{
  g_autofree char *format_name = NULL;
  g_autofree char *probe = NULL;
  g_auto(GStrv) rest = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &format_name,
      N_("Output format (default: text)"), "text|json" },
    /* Internal: the child process that loads the Evolution module (rg-cli-doctor-evolution.c,
     * rg_doctor_probe_module ()). */
    { "probe-module", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &probe, NULL, NULL },
    { G_OPTION_REMAINING, 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING_ARRAY, &rest,
      NULL, NULL },
    { NULL },
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                 rg_doctor_check_free);
  g_autoptr(RgCliWriter) writer = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  DoctorFormat format = DOCTOR_FORMAT_TEXT;
  Doctor doctor = { 0 };
  int status;

  g_set_prgname ("rcptguard doctor");
  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Check that Recipient Guard protects this desktop, and say "
                                  "how to fix\nwhat does not work."));
  g_option_context_set_description (context, _(doctor_description));
  g_option_context_add_main_entries (context, entries, NULL);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_autofree char *what = rg_cli_sentence_tail (error->message);

      rg_cli_usage_error ("doctor", "%s", what);
      return RG_CLI_EXIT_USAGE;
    }
  if (probe != NULL)
    rg_doctor_probe_module (probe);
  if (rest != NULL && rest[0] != NULL)
    {
      g_autofree char *quoted = rg_cli_quote (rest[0], (gsize) -1);

      /* Translators: %s is the argument, quoted. */
      rg_cli_usage_error ("doctor", _("unexpected argument %s"), quoted);
      return RG_CLI_EXIT_USAGE;
    }
  if (format_name == NULL || strcmp (format_name, "text") == 0)
    format = DOCTOR_FORMAT_TEXT;
  else if (strcmp (format_name, "json") == 0)
    format = DOCTOR_FORMAT_JSON;
  else
    {
      g_autofree char *quoted = rg_cli_quote (format_name, (gsize) -1);

      /* Translators: %s is what was given, quoted; text and json are values: keep them. */
      rg_cli_usage_error ("doctor", _("unknown --format %s: use text or json"), quoted);
      return RG_CLI_EXIT_USAGE;
    }

  /* A host that is gone while it is written to is a finding (EPIPE), not the doctor's end. */
  signal (SIGPIPE, SIG_IGN);

  doctor_find_clients (&doctor);
  for (gsize i = 0; i < G_N_ELEMENTS (doctor_checks); i++)
    {
      RgDoctorCheck *check = rg_doctor_check_new (doctor_checks[i].id);

      doctor_checks[i].run (&doctor, check);
      g_ptr_array_add (results, check);
    }
  doctor_clear (&doctor);

  if (format == DOCTOR_FORMAT_JSON)
    rg_doctor_format_json (results, out);
  else
    rg_doctor_format_text (results, out);
  status = rg_doctor_overall_to_exit (rg_doctor_checks_get_worst (results));

  writer = rg_cli_writer_new (STDOUT_FILENO);
  if (!rg_cli_writer_write (writer, out->str, out->len) || !rg_cli_writer_flush (writer))
    {
      rg_cli_error ("standard output", "%s", rg_cli_writer_get_error (writer)->message);
      return RG_CLI_EXIT_INTERNAL;
    }
  return status;
}
