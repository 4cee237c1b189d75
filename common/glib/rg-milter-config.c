/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-milter-config.c - /etc/rcptguard/milter.conf read into an RgMilterConfig.
 *
 * A GKeyFile, because that is what GLib reads without a schema: the server has no dconf.  The
 * keys of [policy] are the desktop schema's, and every domain entry goes through the same
 * validation as the desktop lists (rg_settings_validate_domain (), that is,
 * rg_domain_entry_check ()), so a domain means the same thing on the server and at the Send
 * button.  A bad entry or value never stops the milter: it is skipped (or the default taken)
 * and named in ->problems, which the milter logs and "rcptguard policy --milter" prints.
 */
#define G_LOG_DOMAIN "rcptguard"

#include "rg-milter-config.h"

#include <string.h>

#define GROUP_POLICY "policy"
#define GROUP_MILTER "milter"

#define DEFAULT_NETWORKS "127.0.0.0/8;::1/128"
#define DEFAULT_REJECT_ONCE_HOURS 24u
/* A confirmation older than a month is no longer the sender's answer to this message. */
#define MAX_REJECT_ONCE_HOURS (24u * 31u)

static const char *const policy_keys[] = {
  "trusted-domains", "known-domains", "warn-domains", "block-domains", "on-error",
  "check-lookalikes", "notice-new-domains", "log-decisions", "log-local-parts", NULL,
};
static const char *const milter_keys[] = {
  "organisation-domains", "organisation-networks", "warn-action", "reject-once-hours",
  "accept-confirmations", NULL,
};

const char *
rg_warn_action_to_string (RgWarnAction action)
{
  switch (action)
    {
    case RG_WARN_ACTION_REJECT_ONCE: return "reject-once";
    case RG_WARN_ACTION_HOLD: return "hold";
    case RG_WARN_ACTION_TAG: return "tag";
    case RG_WARN_ACTION_ACCEPT: return "accept";
    default: return "unknown";
    }
}

gboolean
rg_warn_action_from_string (const char *text,
                            RgWarnAction *action)
{
  for (int i = RG_WARN_ACTION_REJECT_ONCE; i <= RG_WARN_ACTION_ACCEPT; i++)
    if (g_strcmp0 (text, rg_warn_action_to_string ((RgWarnAction) i)) == 0)
      {
        *action = (RgWarnAction) i;
        return TRUE;
      }
  return FALSE;
}

const char *
rg_on_error_to_string (RgOnError on_error)
{
  switch (on_error)
    {
    case RG_ON_ERROR_ALLOW: return "allow";
    case RG_ON_ERROR_WARN: return "warn";
    case RG_ON_ERROR_BLOCK: return "block";
    default: return "unknown";
    }
}

static char **
empty_strv (void)
{
  return g_new0 (char *, 1);
}

RgMilterConfig *
rg_milter_config_new_default (void)
{
  RgMilterConfig *self = g_new0 (RgMilterConfig, 1);
  g_auto (GStrv) networks = g_strsplit (DEFAULT_NETWORKS, ";", -1);

  self->trusted_domains = empty_strv ();
  self->known_domains = empty_strv ();
  self->warn_domains = empty_strv ();
  self->block_domains = empty_strv ();
  self->on_error = RG_ON_ERROR_WARN;
  self->check_lookalikes = TRUE;
  self->notice_new_domains = FALSE;
  self->log_decisions = TRUE;
  self->log_local_parts = RG_LOCAL_PARTS_HMAC;
  self->organisation_domains = empty_strv ();
  self->organisation_networks = empty_strv ();
  self->networks = g_ptr_array_new_with_free_func (g_object_unref);
  self->warn_action = RG_WARN_ACTION_REJECT_ONCE;
  self->reject_once_hours = DEFAULT_REJECT_ONCE_HOURS;
  self->accept_confirmations = FALSE;
  self->problems = empty_strv ();

  /* The defaults are valid by construction. */
  g_strfreev (self->organisation_networks);
  self->organisation_networks = g_strdupv (networks);
  for (guint i = 0; networks[i] != NULL; i++)
    g_ptr_array_add (self->networks, g_inet_address_mask_new_from_string (networks[i], NULL));
  return self;
}

void
rg_milter_config_free (RgMilterConfig *self)
{
  if (self == NULL)
    return;
  g_strfreev (self->trusted_domains);
  g_strfreev (self->known_domains);
  g_strfreev (self->warn_domains);
  g_strfreev (self->block_domains);
  g_strfreev (self->organisation_domains);
  g_strfreev (self->organisation_networks);
  g_clear_pointer (&self->networks, g_ptr_array_unref);
  g_strfreev (self->problems);
  g_free (self->path);
  g_free (self);
}

static void
problem (GPtrArray *problems, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
problem (GPtrArray  *problems,
         const char *format,
         ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (problems, g_strdup_vprintf (format, args));
  va_end (args);
}

/* The entries of a ';'-list, trimmed, empty ones dropped; NULL when the key is absent. */
static char **
read_list (GKeyFile   *file,
           const char *group,
           const char *key)
{
  g_autofree char *value = g_key_file_get_value (file, group, key, NULL);
  g_auto (GStrv) parts = NULL;
  GPtrArray *out;

  if (value == NULL)
    return NULL;
  parts = g_strsplit_set (value, ";,", -1);
  out = g_ptr_array_new ();
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *entry = g_strstrip (parts[i]);

      if (*entry != '\0')
        g_ptr_array_add (out, g_strdup (entry));
    }
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

/* A domain list: each entry validated as the desktop validates the key's entries. */
static void
read_domain_list (GKeyFile   *file,
                  const char *group,
                  const char *key,
                  const char *validate_as,
                  char     ***out,
                  GPtrArray  *problems)
{
  g_auto (GStrv) entries = read_list (file, group, key);
  GPtrArray *kept;

  if (entries == NULL)
    return;
  kept = g_ptr_array_new ();
  for (guint i = 0; entries[i] != NULL; i++)
    {
      g_autofree char *message = NULL;

      if (kept->len >= RG_MILTER_CONFIG_MAX_ENTRIES)
        {
          problem (problems, "%s: only the first %d entries are used", key,
                   RG_MILTER_CONFIG_MAX_ENTRIES);
          break;
        }
      if (!g_utf8_validate (entries[i], -1, NULL))
        {
          problem (problems, "%s: an entry is not UTF-8 and is skipped", key);
          continue;
        }
      if (!rg_settings_validate_domain (validate_as, entries[i], &message))
        {
          problem (problems, "%s '%s': %s", key, entries[i], message);
          continue;
        }
      g_ptr_array_add (kept, g_strdup (entries[i]));
    }
  g_ptr_array_add (kept, NULL);
  g_strfreev (*out);
  *out = (char **) g_ptr_array_free (kept, FALSE);
}

static void
read_boolean (GKeyFile   *file,
              const char *group,
              const char *key,
              gboolean   *out,
              GPtrArray  *problems)
{
  g_autoptr (GError) error = NULL;
  gboolean value;

  if (!g_key_file_has_key (file, group, key, NULL))
    return;
  value = g_key_file_get_boolean (file, group, key, &error);
  if (error != NULL)
    {
      problem (problems, "%s: not true or false; the default (%s) is used", key,
               *out ? "true" : "false");
      return;
    }
  *out = value;
}

static void
read_networks (GKeyFile       *file,
               RgMilterConfig *self,
               GPtrArray      *problems)
{
  g_auto (GStrv) entries = read_list (file, GROUP_MILTER, "organisation-networks");
  GPtrArray *kept;

  if (entries == NULL)
    return;
  kept = g_ptr_array_new ();
  g_ptr_array_set_size (self->networks, 0);
  for (guint i = 0; entries[i] != NULL; i++)
    {
      g_autoptr (GError) error = NULL;
      GInetAddressMask *mask;

      if (kept->len >= RG_MILTER_CONFIG_MAX_ENTRIES)
        {
          problem (problems, "organisation-networks: only the first %d entries are used",
                   RG_MILTER_CONFIG_MAX_ENTRIES);
          break;
        }
      mask = g_inet_address_mask_new_from_string (entries[i], &error);
      if (mask == NULL)
        {
          problem (problems, "organisation-networks '%s': not an address or network "
                   "(e.g. 192.0.2.0/24)", entries[i]);
          continue;
        }
      g_ptr_array_add (self->networks, mask);
      g_ptr_array_add (kept, g_strdup (entries[i]));
    }
  g_ptr_array_add (kept, NULL);
  g_strfreev (self->organisation_networks);
  self->organisation_networks = (char **) g_ptr_array_free (kept, FALSE);
}

static void
warn_unknown_keys (GKeyFile   *file,
                   GPtrArray  *problems)
{
  g_auto (GStrv) groups = g_key_file_get_groups (file, NULL);

  for (guint i = 0; groups[i] != NULL; i++)
    {
      const char *const *known = NULL;
      g_auto (GStrv) keys = NULL;

      if (strcmp (groups[i], GROUP_POLICY) == 0)
        known = policy_keys;
      else if (strcmp (groups[i], GROUP_MILTER) == 0)
        known = milter_keys;
      else
        {
          problem (problems, "[%s]: unknown group, ignored", groups[i]);
          continue;
        }
      keys = g_key_file_get_keys (file, groups[i], NULL, NULL);
      for (guint j = 0; keys != NULL && keys[j] != NULL; j++)
        if (!g_strv_contains (known, keys[j]))
          problem (problems, "[%s] %s: unknown key, ignored", groups[i], keys[j]);
    }
}

static RgMilterConfig *
from_key_file (GKeyFile   *file,
               const char *path)
{
  RgMilterConfig *self = rg_milter_config_new_default ();
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *on_error = NULL;
  g_autofree char *local_parts = NULL;
  g_autofree char *warn_action = NULL;

  self->path = g_strdup (path);
  warn_unknown_keys (file, problems);

  read_domain_list (file, GROUP_POLICY, "trusted-domains", "trusted-domains",
                    &self->trusted_domains, problems);
  read_domain_list (file, GROUP_POLICY, "known-domains", "known-domains",
                    &self->known_domains, problems);
  read_domain_list (file, GROUP_POLICY, "warn-domains", "warn-domains",
                    &self->warn_domains, problems);
  read_domain_list (file, GROUP_POLICY, "block-domains", "block-domains",
                    &self->block_domains, problems);
  /* The organisation's domains are domains someone owns, as known-domains are. */
  read_domain_list (file, GROUP_MILTER, "organisation-domains", "known-domains",
                    &self->organisation_domains, problems);

  on_error = g_key_file_get_string (file, GROUP_POLICY, "on-error", NULL);
  if (on_error != NULL)
    {
      g_strstrip (on_error);
      if (strcmp (on_error, "allow") == 0)
        self->on_error = RG_ON_ERROR_ALLOW;
      else if (strcmp (on_error, "warn") == 0)
        self->on_error = RG_ON_ERROR_WARN;
      else if (strcmp (on_error, "block") == 0)
        self->on_error = RG_ON_ERROR_BLOCK;
      else
        problem (problems, "on-error '%s': not allow, warn or block; warn is used", on_error);
    }
  read_boolean (file, GROUP_POLICY, "check-lookalikes", &self->check_lookalikes, problems);
  read_boolean (file, GROUP_POLICY, "notice-new-domains", &self->notice_new_domains, problems);
  read_boolean (file, GROUP_POLICY, "log-decisions", &self->log_decisions, problems);
  local_parts = g_key_file_get_string (file, GROUP_POLICY, "log-local-parts", NULL);
  if (local_parts != NULL)
    {
      g_strstrip (local_parts);
      if (strcmp (local_parts, "none") == 0)
        self->log_local_parts = RG_LOCAL_PARTS_NONE;
      else if (strcmp (local_parts, "hmac") == 0)
        self->log_local_parts = RG_LOCAL_PARTS_HMAC;
      else if (strcmp (local_parts, "plain") == 0)
        self->log_local_parts = RG_LOCAL_PARTS_PLAIN;
      else
        problem (problems, "log-local-parts '%s': not none, hmac or plain; hmac is used",
                 local_parts);
    }

  read_networks (file, self, problems);
  warn_action = g_key_file_get_string (file, GROUP_MILTER, "warn-action", NULL);
  if (warn_action != NULL)
    {
      g_strstrip (warn_action);
      if (!rg_warn_action_from_string (warn_action, &self->warn_action))
        problem (problems, "warn-action '%s': not reject-once, hold, tag or accept; "
                 "reject-once is used", warn_action);
    }
  if (g_key_file_has_key (file, GROUP_MILTER, "reject-once-hours", NULL))
    {
      g_autoptr (GError) error = NULL;
      gint64 hours = g_key_file_get_int64 (file, GROUP_MILTER, "reject-once-hours", &error);

      if (error != NULL || hours < 1 || hours > MAX_REJECT_ONCE_HOURS)
        problem (problems, "reject-once-hours: not a number of hours from 1 to %u; %u is used",
                 MAX_REJECT_ONCE_HOURS, DEFAULT_REJECT_ONCE_HOURS);
      else
        self->reject_once_hours = (guint) hours;
    }
  read_boolean (file, GROUP_MILTER, "accept-confirmations", &self->accept_confirmations,
                problems);

  g_ptr_array_add (problems, NULL);
  g_strfreev (self->problems);
  self->problems = (char **) g_ptr_array_steal (problems, NULL);
  return self;
}

RgMilterConfig *
rg_milter_config_load_data (const char *data,
                            gsize       len,
                            const char *path,
                            GError    **error)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();

  if (len > RG_MILTER_CONFIG_MAX_BYTES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s is larger than %d bytes", path != NULL ? path : "the config",
                   RG_MILTER_CONFIG_MAX_BYTES);
      return NULL;
    }
  g_key_file_set_list_separator (file, ';');
  if (!g_key_file_load_from_data (file, data, len, G_KEY_FILE_NONE, error))
    {
      if (error != NULL && *error != NULL && path != NULL)
        g_prefix_error (error, "%s: ", path);
      return NULL;
    }
  return from_key_file (file, path);
}

RgMilterConfig *
rg_milter_config_load (const char *path,
                       gboolean    missing_ok,
                       GError    **error)
{
  g_autofree char *data = NULL;
  g_autoptr (GError) local = NULL;
  gsize len = 0;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &data, &len, &local))
    {
      if (missing_ok && g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          RgMilterConfig *self = rg_milter_config_new_default ();

          g_strfreev (self->problems);
          self->problems = g_new0 (char *, 2);
          self->problems[0] = g_strdup_printf ("%s does not exist: the defaults are used", path);
          return self;
        }
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return rg_milter_config_load_data (data, len, path, error);
}

static void
add_policies (rg_config  *config,
              rg_policy   policy,
              char      **entries)
{
  for (guint i = 0; entries[i] != NULL; i++)
    (void) rg_config_add_policy (config, policy, entries[i]);
}

static void
add_evidence (rg_config  *config,
              rg_source   source,
              char      **entries)
{
  for (guint i = 0; entries[i] != NULL; i++)
    (void) rg_config_add_evidence (config, entries[i], 1, source);
}

void
rg_milter_config_apply (const RgMilterConfig *self,
                        rg_config            *config)
{
  unsigned flags;

  g_return_if_fail (self != NULL);
  g_return_if_fail (config != NULL);

  add_policies (config, RG_POLICY_TRUSTED, self->trusted_domains);
  add_policies (config, RG_POLICY_WARN, self->warn_domains);
  add_policies (config, RG_POLICY_BLOCK, self->block_domains);
  /* known-domains is the administrator's evidence, as on the desktop (rg-settings.c). */
  add_evidence (config, RG_SOURCE_ADMIN, self->known_domains);
  /* The organisation's own domains are what its identities are on a desktop. */
  add_evidence (config, RG_SOURCE_IDENTITY, self->organisation_domains);

  flags = rg_config_get_flags (config) | RG_CONFIG_BUILTIN_PROVIDERS;
  if (self->check_lookalikes)
    flags |= RG_CONFIG_CHECK_LOOKALIKES;
  else
    flags &= ~(unsigned) RG_CONFIG_CHECK_LOOKALIKES;
  if (self->notice_new_domains)
    flags |= RG_CONFIG_NOTICE_NEW_DOMAINS;
  else
    flags &= ~(unsigned) RG_CONFIG_NOTICE_NEW_DOMAINS;
  rg_config_set_flags (config, flags);
}

gboolean
rg_milter_config_in_networks (const RgMilterConfig *self,
                              const char           *address)
{
  g_autoptr (GInetAddress) inet = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  if (address == NULL)
    return FALSE;
  inet = g_inet_address_new_from_string (address);
  if (inet == NULL)
    return FALSE;
  for (guint i = 0; i < self->networks->len; i++)
    {
      GInetAddressMask *mask = g_ptr_array_index (self->networks, i);

      if (g_inet_address_mask_get_family (mask) == g_inet_address_get_family (inet)
          && g_inet_address_mask_matches (mask, inet))
        return TRUE;
    }
  return FALSE;
}

gboolean
rg_milter_config_is_organisation_domain (const RgMilterConfig *self,
                                         const char           *domain)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (domain == NULL || *domain == '\0')
    return FALSE;
  for (guint i = 0; self->organisation_domains[i] != NULL; i++)
    {
      const char *own = self->organisation_domains[i];
      gsize own_len = strlen (own);
      gsize len = strlen (domain);

      if (g_ascii_strcasecmp (domain, own) == 0)
        return TRUE;
      if (len > own_len + 1 && domain[len - own_len - 1] == '.'
          && g_ascii_strcasecmp (domain + len - own_len, own) == 0)
        return TRUE;
    }
  return FALSE;
}
