/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rcptguard-milter - Recipient Guard on the organisation's Postfix.
 *
 *   rcptguard-milter [--config FILE] [--socket SPEC] [--state-dir DIR]
 *   rcptguard-milter learn [--state-dir DIR] [FILE...]
 *
 * Runs in the foreground (systemd Type=simple).  SIGHUP reads the config file again, SIGTERM
 * (and SIGINT) stop.  libmilter takes SIGHUP as "stop" in a sigwait () thread of its own, so
 * smfi_main () runs in a second thread and the main thread keeps the three signals unblocked:
 * Linux delivers a signal sent to the process to its main thread first when that thread does
 * not block it, so ours are always handled here (reload, or smfi_stop ()).
 */
#define G_LOG_DOMAIN "rcptguard-milter"

#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>

#include "rg-milter-callbacks.h"
#include "rg-milter-learn.h"
#include "rg-milter-store.h"

typedef struct {
  GMainLoop *loop;
  RgMilterChecker *checker;
  int status;
  gboolean stopping;
} Main;

static char *
dup_default_socket (void)
{
  const char *dir = g_getenv ("RUNTIME_DIRECTORY");

  if (dir != NULL && *dir != '\0' && strchr (dir, ':') == NULL)
    return g_strdup_printf ("unix:%s/milter.sock", dir);
  return g_strdup ("unix:" RG_MILTER_DEFAULT_RUNTIME_DIR "/milter.sock");
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (((Main *) data)->loop);
  return G_SOURCE_REMOVE;
}

static gpointer
run_milter (gpointer data)
{
  Main *main_data = data;
  int rc = smfi_main ();

  if (rc != MI_SUCCESS)
    {
      g_critical ("libmilter stopped with an error");
      main_data->status = 69;
    }
  g_idle_add (quit_loop, main_data);
  return NULL;
}

static gboolean
on_reload (gpointer data)
{
  Main *main_data = data;

  g_message ("SIGHUP: reading the configuration again");
  rg_milter_checker_reload (main_data->checker);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_stop (gpointer data)
{
  Main *main_data = data;

  if (!main_data->stopping)
    g_message ("Stopping");
  main_data->stopping = TRUE;
  smfi_stop ();
  return G_SOURCE_CONTINUE;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *config_path = NULL;
  g_autofree char *socket_spec = NULL;
  g_autofree char *state_dir = NULL;
  gboolean version = FALSE;
  GOptionEntry entries[] = {
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &config_path,
      "The configuration file (default: " RG_MILTER_DEFAULT_CONFIG ")", "FILE" },
    { "socket", 0, 0, G_OPTION_ARG_STRING, &socket_spec,
      "Where Postfix connects: unix:PATH or inet:PORT@ADDRESS (default: "
      "unix:$RUNTIME_DIRECTORY/milter.sock, else unix:" RG_MILTER_DEFAULT_RUNTIME_DIR
      "/milter.sock)", "SPEC" },
    { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, &state_dir,
      "Where learned.sqlite and the log's key are (default: $STATE_DIRECTORY, else "
      RG_MILTER_DEFAULT_STATE_DIR ")", "DIR" },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RgMilterStore) store = NULL;
  RgMilterLog *log = NULL;
  Main main_data = { 0 };
  GThread *thread;

  setlocale (LC_ALL, "");
  if (argc > 1 && strcmp (argv[1], "learn") == 0)
    return rg_milter_learn_main (argc - 1, argv + 1);

  context = g_option_context_new ("- Recipient Guard for Postfix (milter)");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "Checks the envelope recipients of the organisation's outgoing mail and rejects, holds\n"
    "or tags the slips.  Runs in the foreground; SIGHUP reads the configuration again.\n"
    "\n"
    "  rcptguard-milter learn [--state-dir DIR] [FILE...]\n"
    "      learns recipient domains from Postfix's log (see rcptguard-milter learn --help)\n");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("rcptguard-milter: %s\n", error->message);
      return 64;
    }
  if (version)
    {
      g_print ("rcptguard-milter %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (config_path == NULL)
    config_path = g_strdup (RG_MILTER_DEFAULT_CONFIG);
  if (socket_spec == NULL)
    socket_spec = dup_default_socket ();
  if (state_dir == NULL)
    state_dir = g_strdup (rg_milter_store_default_dir ());

  store = rg_milter_store_open (state_dir, &error);
  if (store == NULL)
    {
      g_printerr ("rcptguard-milter: %s\n", error->message);
      return 74;
    }
  main_data.checker = rg_milter_checker_new (config_path, store, &error);
  if (main_data.checker == NULL)
    {
      g_printerr ("rcptguard-milter: %s\n", error->message);
      return 78;
    }
  log = rg_milter_log_new (state_dir);

  if (smfi_register (*rg_milter_callbacks_get_desc (main_data.checker, store, log))
      == MI_FAILURE
      || smfi_setconn (socket_spec) == MI_FAILURE)
    {
      g_printerr ("rcptguard-milter: libmilter refused the socket %s\n", socket_spec);
      return 64;
    }
  /* A unix socket for Postfix's group, not for everyone (the unit's Group= or
   * SupplementaryGroups=postfix). */
  umask (0007);
  if (smfi_opensocket (TRUE) == MI_FAILURE)
    {
      g_printerr ("rcptguard-milter: cannot listen on %s\n", socket_spec);
      return 71;
    }

  main_data.loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGHUP, on_reload, &main_data);
  g_unix_signal_add (SIGTERM, on_stop, &main_data);
  g_unix_signal_add (SIGINT, on_stop, &main_data);
  g_message ("Listening on %s; state in %s; configuration %s", socket_spec, state_dir,
             config_path);
  thread = g_thread_new ("rg-milter", run_milter, &main_data);
  g_main_loop_run (main_data.loop);
  g_thread_join (thread);

  g_main_loop_unref (main_data.loop);
  rg_milter_checker_free (main_data.checker);
  rg_milter_log_free (log);
  return main_data.status;
}
