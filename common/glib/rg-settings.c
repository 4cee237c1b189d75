/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-settings.c - the settings of org.rcptguard.RecipientGuard turned into the core's config,
 * and what an administrator needs to know about them.
 *
 * This is the one place that knows how a key maps onto the core: the Evolution module (through
 * RgGuard), the command line and the preferences page all go through it, so that a domain
 * listed in the settings means the same thing everywhere.
 */
#define G_LOG_DOMAIN "rcptguard"
/* g_settings_backend_get_default () is in the backend API, which must be asked for. */
#define G_SETTINGS_ENABLE_BACKEND

#include "config.h"

#include "rg-settings.h"

#include <gio/gsettingsbackend.h>
#include <glib/gi18n-lib.h>
#include <string.h>

/* The type name of dconf's GSettingsBackend (dconf's gsettings/dconfsettingsbackend.c).  GLib
 * falls back to its keyfile or memory backend, silently, when the dconf module is not
 * installed. */
#define RG_DCONF_BACKEND_NAME "DConfSettingsBackend"

/* At most this many entries of a trusted, warn or block list are used.  The core matches a
 * recipient against each pattern in turn, so a list's length is paid at every Send; an
 * administrator's list holds dozens, and a thousand still costs well under a millisecond for
 * a hundred recipients.  Longer lists belong in known-domains, which is indexed. */
#define RG_SETTINGS_MAX_POLICY_ENTRIES 1000

#define KNOWN_DOMAINS_KEY "known-domains"

/**
 * rg_settings_new:
 * @error: return location for a #GError, or %NULL
 *
 * Looks the schema up first: g_settings_new () aborts the process when a schema is missing,
 * and a missing schema is an installation problem to report, not a crash.
 *
 * Returns: (transfer full) (nullable): the settings, or %NULL with @error set to
 * %G_IO_ERROR_NOT_FOUND when the schema is not installed.
 * Since: 0.1
 */
GSettings *
rg_settings_new (GError **error)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, RG_SETTINGS_SCHEMA_ID, TRUE);
  if (schema == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   /* Translators: %s is the id of the settings schema. */
                   _("The settings schema %s is not installed"), RG_SETTINGS_SCHEMA_ID);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

/* The four domain lists in the order rg_settings_apply () reads them.  @policy is unused for
 * known-domains, which is not a policy. */
typedef struct
{
  const char *key;
  gboolean known;
  rg_policy policy;
} RgListKey;

static const RgListKey list_keys[] = {
  { "trusted-domains", FALSE, RG_POLICY_TRUSTED },
  { "warn-domains", FALSE, RG_POLICY_WARN },
  { "block-domains", FALSE, RG_POLICY_BLOCK },
  { KNOWN_DOMAINS_KEY, TRUE, RG_POLICY_TRUSTED },
};

/* Called for each entry left out: why, as the core's status; %RG_E_TOO_MANY for an entry
 * past RG_SETTINGS_MAX_POLICY_ENTRIES. */
typedef void (*RefusedFunc) (const char *key, const char *entry, rg_status status,
                             gpointer user_data);

/*
 * The one walk over the lists: with a @config, adds each entry to it; without, only checks
 * each with the core's validation of list entries (rg_domain_entry_check ()), which refuses
 * exactly what adding would.  Either way, @refused hears of each entry left out.
 *
 * The domains of known-domains are the administrator's evidence (RG_SOURCE_ADMIN), listed once
 * and counted once: a partner organisation is as good a suggestion as a domain one contact
 * uses, and the address books' counts still rank above it; but the administrator's word is
 * certain evidence, never a rare twin of a busier domain.  rg_config_add_evidence () would
 * take "ops@example.com" for its domain; a list entry is a domain, so it is checked first.
 */
static void
walk_lists (GSettings  *settings,
            rg_config  *config,
            RefusedFunc refused,
            gpointer    user_data)
{
  for (gsize i = 0; i < G_N_ELEMENTS (list_keys); i++)
    {
      const RgListKey *list = &list_keys[i];
      g_auto (GStrv) entries = g_settings_get_strv (settings, list->key);

      for (guint j = 0; entries[j] != NULL; j++)
        {
          rg_status status;

          if (!list->known && j >= RG_SETTINGS_MAX_POLICY_ENTRIES)
            status = RG_E_TOO_MANY;
          else if (config == NULL)
            status = rg_domain_entry_check (list->known ? RG_DOMAIN_ENTRY_KNOWN
                                                        : RG_DOMAIN_ENTRY_PATTERN,
                                            entries[j]);
          else if (!list->known)
            status = rg_config_add_policy (config, list->policy, entries[j]);
          else
            {
              status = rg_domain_entry_check (RG_DOMAIN_ENTRY_KNOWN, entries[j]);
              if (status == RG_OK)
                status = rg_config_add_evidence (config, entries[j], 1, RG_SOURCE_ADMIN);
            }
          if (status != RG_OK)
            refused (list->key, entries[j], status, user_data);
        }
    }
}

/* Adds what the core refused to the array @user_data, as "KEY 'ENTRY': reason". */
static void
note_skipped (const char *key,
              const char *entry,
              rg_status   status,
              gpointer    user_data)
{
  const char *reason = status == RG_E_TOO_MANY
                       ? "over the limit of " G_STRINGIFY (RG_SETTINGS_MAX_POLICY_ENTRIES)
                         " entries"
                       : rg_strerror (status);

  g_ptr_array_add (user_data, g_strdup_printf ("%s '%s': %s", key, entry, reason));
}

/**
 * rg_settings_apply:
 * @settings: settings of the schema %RG_SETTINGS_SCHEMA_ID
 * @config: the config to add to
 *
 * Adds the policy lists, the known domains and the flags of @settings to @config.  The
 * built-in providers are always on: a fresh install must catch "gmial.com", and no key turns
 * that off.  The domains of known-domains are the administrator's evidence
 * (%RG_SOURCE_ADMIN).  A trusted domain counts as known, and as certain, as well: the core
 * does that with the trusted policy, which may also name a public suffix ("mil") that is no
 * known domain.  The keys "enabled", "allow-block-override", "on-error" and the log keys are
 * not part of a config: their users read them.
 *
 * An entry is left out when rg_settings_validate_domain () refuses it for its key, and an
 * entry of a policy list past its first 1,000; rg_settings_list_refusals () says the same
 * in words for people.
 *
 * Cost: linear in the length of the lists.
 *
 * Returns: (transfer full) (nullable): the entries left out, each as "KEY 'ENTRY': reason"
 * in English (for logs), NULL-terminated; %NULL when everything was taken.  Free with
 * g_strfreev ().
 * Since: 0.1
 */
char **
rg_settings_apply (GSettings *settings,
                   rg_config *config)
{
  g_autoptr (GPtrArray) skipped = g_ptr_array_new_with_free_func (g_free);
  unsigned flags;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (config != NULL, NULL);

  walk_lists (settings, config, note_skipped, skipped);

  flags = rg_config_get_flags (config) | RG_CONFIG_BUILTIN_PROVIDERS;
  if (g_settings_get_boolean (settings, "check-lookalikes"))
    flags |= RG_CONFIG_CHECK_LOOKALIKES;
  else
    flags &= ~(unsigned) RG_CONFIG_CHECK_LOOKALIKES;
  if (g_settings_get_boolean (settings, "notice-new-domains"))
    flags |= RG_CONFIG_NOTICE_NEW_DOMAINS;
  else
    flags &= ~(unsigned) RG_CONFIG_NOTICE_NEW_DOMAINS;
  rg_config_set_flags (config, flags);

  if (skipped->len == 0)
    return NULL;
  g_ptr_array_add (skipped, NULL);
  return (char **) g_ptr_array_steal (skipped, NULL);
}

/* The sentence for people of why @entry is not an entry of a list: @status is what the core
 * said of it, %RG_E_TOO_MANY for an entry past the limit of a list. */
static char *
dup_refusal_message (const char *entry,
                     rg_status   status)
{
  if (entry[0] == '\0')
    return g_strdup (_("Enter a domain such as example.com."));
  switch (status)
    {
    case RG_E_PUBLIC_SUFFIX:
      /* Translators: %s is what the user typed, e.g. "co.uk". */
      return g_strdup_printf (_("“%s” is an ending shared by many owners, not a domain: list "
                                "it under warned or blocked domains instead."), entry);
    case RG_E_TOO_LONG:
      /* Translators: %s is what the user typed. */
      return g_strdup_printf (_("“%s” is too long for a domain."), entry);
    case RG_E_TOO_MANY:
      /* Translators: %s is an entry of a list of domains, %d its maximum length (1000). */
      return g_strdup_printf (_("“%s” is left out: a list holds at most %d domains."), entry,
                              RG_SETTINGS_MAX_POLICY_ENTRIES);
    case RG_E_NOMEM:
    case RG_E_INTERNAL:
      /* Translators: %s is a technical reason in English. */
      return g_strdup_printf (_("The domain could not be checked (%s)."),
                              rg_strerror (status));
    default:
      /* Translators: %s is what the user typed. */
      return g_strdup_printf (_("“%s” is not a domain such as example.com."), entry);
    }
}

/**
 * rg_settings_refusal_free:
 * @refusal: (nullable): a refusal of rg_settings_list_refusals ()
 * Since: 0.2
 */
void
rg_settings_refusal_free (RgSettingsRefusal *refusal)
{
  if (refusal == NULL)
    return;
  g_free (refusal->entry);
  g_free (refusal->message);
  g_free (refusal);
}

static void
add_refusal (const char *key,
             const char *entry,
             rg_status   status,
             gpointer    user_data)
{
  RgSettingsRefusal *refusal = g_new0 (RgSettingsRefusal, 1);

  refusal->key = key;
  refusal->entry = g_strdup (entry);
  refusal->message = dup_refusal_message (entry, status);
  g_ptr_array_add (user_data, refusal);
}

/**
 * rg_settings_list_refusals:
 * @settings: settings of the schema %RG_SETTINGS_SCHEMA_ID
 *
 * The entries of the domain lists that rg_settings_apply () leaves out, in the order it meets
 * them, each with the translated sentence of rg_settings_validate_domain () (and, for an
 * entry past the limit of a list, one saying so): what a person who set them needs to read.
 *
 * Cost: linear in the length of the lists.
 *
 * Returns: (transfer full) (element-type RgSettingsRefusal): the refusals, empty when there
 * are none.
 * Since: 0.2
 */
GPtrArray *
rg_settings_list_refusals (GSettings *settings)
{
  GPtrArray *refusals;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  refusals = g_ptr_array_new_with_free_func ((GDestroyNotify) rg_settings_refusal_free);
  walk_lists (settings, NULL, add_refusal, refusals);
  return refusals;
}

/**
 * rg_settings_key_affects_config:
 * @key: a key of the schema
 *
 * Lets a holder of a checker rebuild it only when its config would differ: a change of
 * "enabled" or of the log keys needs no new index.
 *
 * Returns: whether rg_settings_apply () reads @key.
 * Since: 0.1
 */
gboolean
rg_settings_key_affects_config (const char *key)
{
  g_return_val_if_fail (key != NULL, FALSE);

  for (gsize i = 0; i < G_N_ELEMENTS (list_keys); i++)
    {
      if (strcmp (key, list_keys[i].key) == 0)
        return TRUE;
    }
  return strcmp (key, "check-lookalikes") == 0 || strcmp (key, "notice-new-domains") == 0;
}

/**
 * rg_settings_get_scope:
 * @settings: settings of the schema %RG_SETTINGS_SCHEMA_ID
 * @block_domains_locked: whether the administrator locked "block-domains" (in dconf: the key
 *   is not writable; in Thunderbird's policies.json: "block-domains:locked")
 *
 * A block list the administrator locked is policy: it applies whatever the user's "enabled"
 * says.  A block list of the user's own is a preference, and goes with the switch.
 *
 * Returns: what a mail client checks at Send.
 * Since: 0.1
 */
RgScope
rg_settings_get_scope (GSettings *settings,
                       gboolean   block_domains_locked)
{
  g_auto (GStrv) blocks = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), RG_SCOPE_ALL);

  if (g_settings_get_boolean (settings, "enabled"))
    return RG_SCOPE_ALL;
  if (!block_domains_locked)
    return RG_SCOPE_OFF;
  blocks = g_settings_get_strv (settings, "block-domains");
  return blocks[0] != NULL ? RG_SCOPE_BLOCKS : RG_SCOPE_OFF;
}

/**
 * rg_settings_get_desktop_scope:
 * @settings: settings of the schema %RG_SETTINGS_SCHEMA_ID
 *
 * rg_settings_get_scope () with the desktop's locks: "block-domains" is locked when dconf
 * says it is not writable.
 *
 * Returns: what Evolution checks at Send.
 * Since: 0.1
 */
RgScope
rg_settings_get_desktop_scope (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), RG_SCOPE_ALL);

  return rg_settings_get_scope (settings, !g_settings_is_writable (settings, "block-domains"));
}

const char *
rg_scope_to_string (RgScope scope)
{
  switch (scope)
    {
    case RG_SCOPE_OFF:
      return "off";
    case RG_SCOPE_BLOCKS:
      return "blocks";
    case RG_SCOPE_ALL:
      return "all";
    default:
      g_return_val_if_reached ("all");
    }
}

/**
 * rg_settings_get_origin:
 * @settings: settings of the schema %RG_SETTINGS_SCHEMA_ID
 * @key: one of its keys
 *
 * Where the value of @key comes from.  GSettings does not say, so it is inferred:
 *
 * - %RG_SETTING_ORIGIN_USER: the user has a value of their own and the key is not locked
 *   (dconf ignores a user's value of a locked key, which may linger from before the lock);
 * - %RG_SETTING_ORIGIN_ADMIN: the key is locked (the administrator decided its value, even
 *   when it equals the schema's default), or the default that GSettings reports differs from
 *   the schema's own: a system dconf database sets it;
 * - %RG_SETTING_ORIGIN_DEFAULT: otherwise.
 *
 * Two limits follow.  An unlocked key that a system database sets to the schema's own value
 * reads as "default": the value is the same either way.  A vendor .gschema.override changes
 * the schema's default itself, so its values read as "default" too: they are the defaults of
 * that installation.
 *
 * Returns: the origin.
 * Since: 0.1
 */
RgSettingOrigin
rg_settings_get_origin (GSettings  *settings,
                        const char *key)
{
  g_autoptr (GSettingsSchema) schema = NULL;
  g_autoptr (GSettingsSchemaKey) schema_key = NULL;
  g_autoptr (GVariant) schema_default = NULL;
  g_autoptr (GVariant) system_default = NULL;
  g_autoptr (GVariant) user = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), RG_SETTING_ORIGIN_DEFAULT);
  g_return_val_if_fail (key != NULL, RG_SETTING_ORIGIN_DEFAULT);

  if (!g_settings_is_writable (settings, key))
    return RG_SETTING_ORIGIN_ADMIN;
  user = g_settings_get_user_value (settings, key);
  if (user != NULL)
    return RG_SETTING_ORIGIN_USER;

  g_object_get (settings, "settings-schema", &schema, NULL);
  schema_key = g_settings_schema_get_key (schema, key);
  schema_default = g_settings_schema_key_get_default_value (schema_key);
  system_default = g_settings_get_default_value (settings, key);
  if (system_default != NULL && !g_variant_equal (system_default, schema_default))
    return RG_SETTING_ORIGIN_ADMIN;
  return RG_SETTING_ORIGIN_DEFAULT;
}

/**
 * rg_setting_origin_to_string:
 *
 * Returns: (transfer none): "default", "admin" or "user", for output that scripts read (not
 * translated); "unknown" for other values.
 * Since: 0.1
 */
const char *
rg_setting_origin_to_string (RgSettingOrigin origin)
{
  switch (origin)
    {
    case RG_SETTING_ORIGIN_DEFAULT: return "default";
    case RG_SETTING_ORIGIN_ADMIN: return "admin";
    case RG_SETTING_ORIGIN_USER: return "user";
    default: return "unknown";
    }
}

/**
 * rg_settings_get_backend_name:
 *
 * Creates GSettings' default backend if no settings exist yet; the choice is made once per
 * process (GSETTINGS_BACKEND, else the GIO module of highest priority, else memory).
 *
 * Returns: (transfer none): the type name of the backend, e.g. "DConfSettingsBackend",
 * "GMemorySettingsBackend" or "GKeyfileSettingsBackend"; valid for the life of the process.
 * Since: 0.1
 */
const char *
rg_settings_get_backend_name (void)
{
  g_autoptr (GSettingsBackend) backend = g_settings_backend_get_default ();

  /* Type names live as long as their type, and GIO keeps the default backend and its
   * module for the life of the process. */
  return G_OBJECT_TYPE_NAME (backend);
}

/**
 * rg_settings_backend_is_dconf:
 *
 * Returns: whether GSettings stores in dconf, the only backend that reads the system
 * databases of /etc/dconf/db and enforces their locks.
 * Since: 0.1
 */
gboolean
rg_settings_backend_is_dconf (void)
{
  return strcmp (rg_settings_get_backend_name (), RG_DCONF_BACKEND_NAME) == 0;
}

/**
 * rg_settings_dup_backend_problem:
 *
 * Returns: (transfer full) (nullable): when GSettings does not use dconf, a translated
 * sentence saying that the administrator's settings and locks do not apply and what to
 * install; %NULL when it uses dconf.
 * Since: 0.1
 */
char *
rg_settings_dup_backend_problem (void)
{
  if (rg_settings_backend_is_dconf ())
    return NULL;
  /* Translators: %s is the technical name of a settings backend, e.g.
   * "GMemorySettingsBackend"; dconf and dconf-gsettings-backend are names, keep them. */
  return g_strdup_printf (_("Settings are not stored in dconf but by %s: the administrator's "
                            "settings and locks do not apply. Install "
                            "dconf-gsettings-backend."),
                          rg_settings_get_backend_name ());
}

/**
 * rg_settings_validate_domain:
 * @key: "trusted-domains", "known-domains", "warn-domains" or "block-domains"
 * @text: what the user typed
 * @message: (out) (optional) (transfer full): on %FALSE, a translated sentence saying why
 *
 * Asks the core's one validation of list entries (rg_domain_entry_check ()), so that the
 * lists accept exactly what the check understands and rg_settings_apply () takes: a domain or
 * a public suffix ("ml", "co.uk") for the policy lists, with an optional leading "*." or ".";
 * a domain someone can own for known-domains.  The sentence is the one
 * rg_settings_list_refusals () gives for a stored entry.
 *
 * Returns: whether @text is accepted as an entry of @key.
 * Since: 0.1
 */
gboolean
rg_settings_validate_domain (const char  *key,
                             const char  *text,
                             char       **message)
{
  rg_status status;
  gsize i;

  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  if (message != NULL)
    *message = NULL;

  for (i = 0; i < G_N_ELEMENTS (list_keys); i++)
    {
      if (strcmp (key, list_keys[i].key) == 0)
        break;
    }
  g_return_val_if_fail (i < G_N_ELEMENTS (list_keys), FALSE);

  status = rg_domain_entry_check (list_keys[i].known ? RG_DOMAIN_ENTRY_KNOWN
                                                     : RG_DOMAIN_ENTRY_PATTERN, text);
  if (status == RG_OK)
    return TRUE;
  if (message != NULL)
    *message = dup_refusal_message (text, status);
  return FALSE;
}
