/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-cli-settings.c - the user's settings and address books, for the commands that read them.
 *
 * The command reads what the Evolution module reads, through the same code (rg-settings.c,
 * RgKnownDomains), so that "rcptguard check" answers as the Send button would.  Whatever
 * cannot be read is said in one line on standard error and the command goes on with the
 * rest: a missing schema or address book leaves the built-in defaults, which still catch
 * slips, and scripts that must not depend on the desktop pass --no-settings.
 */
#include "config.h"

#include "rg-cli-settings.h"

#include <string.h>

#include <glib/gi18n.h>

#include "rg-known-domains.h"
#include "rg-settings.h"

/* The log domain of the GLib layer (G_LOG_DOMAIN in common/glib). */
#define RG_LOG_DOMAIN "rcptguard"

/**
 * rg_cli_settings_open:
 * @where: the command, for messages
 *
 * Returns: (transfer full) (nullable): the settings, or %NULL after one line on standard
 * error when the schema is not installed.
 */
GSettings *
rg_cli_settings_open (const char *where)
{
  g_autoptr(GError) error = NULL;
  GSettings *settings = rg_settings_new (&error);

  if (settings == NULL)
    /* Translators: %s is the id of the settings schema; GSETTINGS_SCHEMA_DIR is an
     * environment variable. */
    rg_cli_error (where, _("the settings schema %s is not installed (GSETTINGS_SCHEMA_DIR "
                           "may point to it): no settings were read"), RG_SETTINGS_SCHEMA_ID);
  return settings;
}

/**
 * rg_cli_settings_warn_backend:
 * @where: the command, for messages
 *
 * Says on standard error when GSettings does not use dconf: GLib falls back to a memory
 * backend without a word when the dconf module is missing, and then the administrator's
 * defaults are not read and their locks are not enforced.
 */
void
rg_cli_settings_warn_backend (const char *where)
{
  if (rg_settings_backend_is_dconf ())
    return;
  /* Translators: %s is the name of GSettings' backend, e.g. "memory"; dconf and
   * dconf-gsettings-backend (a package) are names. */
  rg_cli_error (where, _("settings are stored by %s, not dconf: the administrator's settings "
                         "and locks are not enforced (install dconf-gsettings-backend)"),
                rg_settings_get_backend_name ());
}

/**
 * rg_cli_settings_apply:
 * @settings: the settings
 * @where: the command, for messages
 * @config: the config to add the policy, known domains and flags to
 *
 * Returns: %RG_CLI_EXIT_BAD_INPUT when an entry of a list was refused (each said on standard
 * error, as "KEY: SENTENCE", the sentence Preferences shows for it; the others still apply),
 * %RG_CLI_EXIT_OK otherwise.
 */
RgCliExit
rg_cli_settings_apply (GSettings  *settings,
                       const char *where,
                       rg_config  *config)
{
  g_auto(GStrv) refused = rg_settings_apply (settings, config);
  g_autoptr(GPtrArray) refusals = NULL;

  if (refused == NULL)
    return RG_CLI_EXIT_OK;
  refusals = rg_settings_list_refusals (settings);
  for (guint i = 0; i < refusals->len; i++)
    {
      const RgSettingsRefusal *refusal = g_ptr_array_index (refusals, i);

      rg_cli_error (where, "%s: %s", refusal->key, refusal->message);
    }
  return RG_CLI_EXIT_BAD_INPUT;
}

/* Keeps the GLib layer's messages (a book skipped, a registry not reached) for the end of
 * the load: see rg_cli_settings_load_address_books (). */
static void
collect_message (const char     *log_domain,
                 GLogLevelFlags  log_level,
                 const char     *message,
                 gpointer        user_data)
{
  GPtrArray *messages = user_data;
  const char *prefix = "known domains: ";

  if (g_str_has_prefix (message, prefix))
    message += strlen (prefix);
  g_ptr_array_add (messages, g_strdup (message));
}

/**
 * rg_cli_settings_load_address_books:
 * @messages: (out) (transfer full): what was skipped on the way (a book that could not be
 *   opened), one sentence each, as the GLib layer said it; an array of strings
 * @error: why nothing could be read (no session bus, no evolution-data-server)
 *
 * Reads the user's evolution-data-server address books and mail identities, as the Evolution
 * module does.  The GLib layer logs what it skips for Evolution's log; a command gathers it
 * instead, to say it in its own form.
 *
 * Returns: (transfer full) (nullable): the loaded domains, or %NULL with @error set.
 */
RgKnownDomains *
rg_cli_settings_load_address_books (GPtrArray **messages,
                                    GError    **error)
{
  g_autoptr(RgKnownDomains) known = rg_known_domains_new ();
  guint handler;
  gboolean loaded;

  *messages = g_ptr_array_new_with_free_func (g_free);
  handler = g_log_set_handler (RG_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO,
                               collect_message, *messages);
  loaded = rg_known_domains_load_sync (known, NULL, error);
  g_log_remove_handler (RG_LOG_DOMAIN, handler);
  return loaded ? g_steal_pointer (&known) : NULL;
}

/**
 * rg_cli_settings_add_address_books:
 * @config: the config to add to
 *
 * Adds the domains of the contacts in the user's evolution-data-server address books and of
 * their mail identities, as Evolution knows them.  Without a session bus or
 * evolution-data-server, one line on standard error, and nothing is added: the check goes on
 * with the rest.
 */
void
rg_cli_settings_add_address_books (rg_config *config)
{
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  /* When nothing could be read at all one line says so, rather than two saying the same. */
  g_autoptr(RgKnownDomains) known = rg_cli_settings_load_address_books (&messages, &error);

  if (known == NULL)
    {
      /* Translators: %s says why the address books could not be read. */
      rg_cli_error (_("address books"), _("not read (%s); checking without them"),
                    error->message);
      return;
    }
  for (guint i = 0; i < messages->len; i++)
    rg_cli_error (_("address books"), "%s", (const char *) g_ptr_array_index (messages, i));
  /* A contact's domain the core refuses is junk in an address book, not the user's input:
   * it is skipped without a word, as in Evolution. */
  rg_known_domains_add_to_config (known, config);
}
