/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-cli-doctor-evolution.c - Evolution's part, for "rcptguard doctor": the module is there
 * and loads with Evolution's libraries, and evolution-data-server's address books, which it
 * measures slips against, can be read.
 */
#include "config.h"

#include "rg-cli-doctor-evolution.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "rg-cli-settings.h"

/* Loading the module pulls in GTK, WebKit and Evolution's libraries: seconds on a cold disk,
 * never this long unless something hangs. */
#define RG_DOCTOR_PROBE_MS 20000
/* How much of what the probe printed is kept for the report: the loader's one line. */
#define RG_DOCTOR_PROBE_MAX_OUTPUT 4096
/* The probe's exit statuses (rg_doctor_probe_module ()), and what run_probe () says when it
 * had none. */
#define RG_DOCTOR_PROBE_NOT_LOADED 3
#define RG_DOCTOR_PROBE_NO_ENTRY 4
#define RG_DOCTOR_PROBE_KILLED (-1)
#define RG_DOCTOR_PROBE_TIMED_OUT (-2)

/*
 * The child's side of the module check (the hidden option --probe-module): loads @path as
 * Evolution would, every symbol resolved at once (RTLD_NOW), and looks for the entry points
 * Evolution calls.  It runs in a process of its own, so that whatever the module's libraries
 * do when loaded (GTK, WebKit, Evolution's own) happens there and not in the doctor, and a
 * crash is a finding, not the doctor's end.  It leaves with _exit (): nothing of the loaded
 * libraries runs at exit.
 */
void
rg_doctor_probe_module (const char *path)
{
  void *handle = dlopen (path, RTLD_NOW | RTLD_LOCAL);

  if (handle == NULL)
    {
      const char *why = dlerror ();

      fprintf (stdout, "%s\n", why != NULL ? why : "dlopen failed");
      fflush (stdout);
      _exit (RG_DOCTOR_PROBE_NOT_LOADED);
    }
  if (dlsym (handle, "e_module_load") == NULL || dlsym (handle, "e_module_unload") == NULL)
    _exit (RG_DOCTOR_PROBE_NO_ENTRY);
  _exit (0);
}

typedef struct {
  gboolean done;
  GBytes *output;
} Communicated;

static void
on_communicated (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Communicated *communicated = user_data;

  g_subprocess_communicate_finish (G_SUBPROCESS (object), result, &communicated->output,
                                   NULL, NULL);
  communicated->done = TRUE;
}

/* The last line the probe printed: the loader's reason. */
static char *
dup_last_line (GBytes *output)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (output, &len);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint n;

  if (data == NULL || len == 0)
    return NULL;
  len = MIN (len, RG_DOCTOR_PROBE_MAX_OUTPUT);
  text = g_utf8_make_valid (data + (g_bytes_get_size (output) - len), (gssize) len);
  g_strstrip (text);
  lines = g_strsplit (text, "\n", -1);
  n = g_strv_length (lines);
  return n > 0 && lines[n - 1][0] != '\0' ? g_strdup (lines[n - 1]) : NULL;
}

/* Runs the probe in a child process; returns its exit status, RG_DOCTOR_PROBE_KILLED (with
 * @detail) or RG_DOCTOR_PROBE_TIMED_OUT.  @detail receives the loader's last line. */
static int
run_probe (const char  *path,
           const char  *lib_dir,
           char       **detail)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GError) error = NULL;
  Communicated communicated = { FALSE, NULL };
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *library_path = NULL;
  g_autofree char *option = g_strconcat ("--probe-module=", path, NULL);
  const char *previous = g_getenv ("LD_LIBRARY_PATH");
  const char *argv[] = { self_path != NULL ? self_path : "/proc/self/exe", "doctor", option,
                         NULL };
  gint64 deadline = g_get_monotonic_time () + (gint64) RG_DOCTOR_PROBE_MS * 1000;
  int status = RG_DOCTOR_PROBE_KILLED;

  /* Evolution finds its private libraries (libevolution-shell, ...) by its own run path; the
   * module asks for them by name, so the probe is given that folder as Evolution has it.
   * The loader's messages in English: they go to JSON, which is the same in every language. */
  library_path = previous != NULL && previous[0] != '\0'
                   ? g_strconcat (lib_dir, ":", previous, NULL)
                   : g_strdup (lib_dir);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_setenv (launcher, "LD_LIBRARY_PATH", library_path, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (process == NULL)
    {
      *detail = g_strdup (error->message);
      return RG_DOCTOR_PROBE_KILLED;
    }

  g_main_context_push_thread_default (context);
  g_subprocess_communicate_async (process, NULL, NULL, on_communicated, &communicated);
  if (!rg_doctor_iterate_until (context, &communicated.done, deadline))
    {
      g_subprocess_force_exit (process);
      while (!communicated.done)
        g_main_context_iteration (context, TRUE);
      status = RG_DOCTOR_PROBE_TIMED_OUT;
    }
  else if (g_subprocess_get_if_exited (process))
    {
      status = g_subprocess_get_exit_status (process);
      if (communicated.output != NULL)
        *detail = dup_last_line (communicated.output);
    }
  else
    {
      const char *name = sigabbrev_np (g_subprocess_get_term_sig (process));

      *detail = g_strdup_printf ("killed by signal %s", name != NULL ? name : "?");
    }
  g_clear_pointer (&communicated.output, g_bytes_unref);
  g_main_context_pop_thread_default (context);
  return status;
}

/**
 * rg_doctor_check_evolution_module:
 * @module_dir: Evolution's module folder
 * @module_name: the module's file name
 * @lib_dir: Evolution's private library folder
 */
void
rg_doctor_check_evolution_module (const char    *module_dir,
                                  const char    *module_name,
                                  const char    *lib_dir,
                                  RgDoctorCheck *check)
{
  g_autofree char *path = g_build_filename (module_dir, module_name, NULL);
  g_autofree char *detail = NULL;
  int status;

  rg_doctor_check_add_string (check, "path", path);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      RG_DOCTOR_SAY (check, RG_DOCTOR_FAIL,
                     /* Translators: %s is a file. */
                     N_("%s does not exist: Evolution runs without Recipient Guard"), path);
      RG_DOCTOR_FIX (check,
                     /* Translators: the first %s is a file's name, the second a folder. */
                     N_("install %s into %s (meson install, or reinstall Recipient Guard's "
                        "Evolution part)"),
                     module_name, module_dir);
      return;
    }

  status = run_probe (path, lib_dir, &detail);
  if (status == 0)
    {
      RG_DOCTOR_SAY (check, RG_DOCTOR_OK,
                     /* Translators: %s is a file; e_module_load is a name. */
                     N_("%s loads with Evolution's libraries and has e_module_load"), path);
      return;
    }
  if (status == RG_DOCTOR_PROBE_TIMED_OUT)
    RG_DOCTOR_SAY (check, RG_DOCTOR_FAIL,
                   /* Translators: %s is a file, %u a number of seconds. */
                   N_("loading %s did not finish within %u s: Evolution would hang at start"),
                   path, (guint) (RG_DOCTOR_PROBE_MS / 1000));
  else if (status == RG_DOCTOR_PROBE_NO_ENTRY)
    RG_DOCTOR_SAY (check, RG_DOCTOR_FAIL,
                   /* Translators: %s is a file; e_module_load is a name. */
                   N_("%s is not an Evolution module (no e_module_load): Evolution skips it"),
                   path);
  else
    {
      RG_DOCTOR_SAY (check, RG_DOCTOR_FAIL,
                     /* Translators: %s is a file. */
                     N_("%s cannot be loaded: Evolution skips it"), path);
      rg_doctor_check_set_detail (check, detail);
    }
  RG_DOCTOR_FIX_TEXT (check, N_("reinstall Recipient Guard built for the Evolution installed "
                                "here (the module's libraries must match it)"));
}

/* Whether GDBus can find a session bus: the address, or the user's bus socket that it falls
 * back to.  Without either it would try to start one for an X display, which a session over
 * ssh does not have. */
static gboolean
has_session_bus (void)
{
  g_autofree char *socket = g_build_filename (g_get_user_runtime_dir (), "bus", NULL);

  return g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL
         || g_file_test (socket, G_FILE_TEST_EXISTS);
}

/* evolution-data-server's address books, through its registry, as the Evolution module
 * reads them (RgKnownDomains): the domains of the contacts are what slips are measured
 * against. */
void
rg_doctor_check_address_books (RgDoctorCheck *check)
{
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RgKnownDomains) known = NULL;

  if (!has_session_bus ())
    {
      RG_DOCTOR_SAY_TEXT (check, RG_DOCTOR_WARN,
                          N_("not read: there is no session bus here (a session over ssh?), so "
                             "evolution-data-server cannot be asked"));
      RG_DOCTOR_FIX_TEXT (check, N_("run rcptguard doctor as the user in their desktop session "
                                    "(a terminal there)"));
      return;
    }
  known = rg_cli_settings_load_address_books (&messages, &error);
  if (known == NULL)
    {
      RG_DOCTOR_SAY_TEXT (check, RG_DOCTOR_WARN,
                          N_("evolution-data-server's address books could not be read: fewer "
                             "domains are known, so fewer slips are caught"));
      rg_doctor_check_set_detail (check, error->message);
      RG_DOCTOR_FIX_TEXT (check, N_("log out and in again (evolution-data-server starts with "
                                    "the session), then run rcptguard doctor again"));
      return;
    }
  rg_doctor_check_add_node (check, "domains",
                            json_node_init_int (json_node_alloc (),
                                                rg_known_domains_get_n_domains (known)));
  if (messages->len > 0)
    {
      g_autofree char *joined = NULL;

      RG_DOCTOR_SAY (check, RG_DOCTOR_WARN,
                     /* Translators: %u is a number of address books. */
                     N_("some address books were skipped: %u"), messages->len);
      g_ptr_array_add (messages, NULL);
      joined = g_strjoinv ("; ", (char **) messages->pdata);
      rg_doctor_check_set_detail (check, joined);
      RG_DOCTOR_FIX_TEXT (check, N_("open the address books in Evolution: it says what is "
                                    "wrong with them"));
      return;
    }
  RG_DOCTOR_SAY (check, RG_DOCTOR_OK,
                 /* Translators: %u is a number of domains. */
                 N_("read through evolution-data-server: contacts at %u domains"),
                 rg_known_domains_get_n_domains (known));
}
