/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Recipient Guard's settings: the GSettings schema org.rcptguard.RecipientGuard turned into
 * the core's config in one place, and what an administrator or a user needs to know about
 * each key: where its value comes from, whether it is locked, and whether locks can be
 * trusted at all (GLib silently falls back to its keyfile or memory backend without the dconf
 * module).
 */
#pragma once

#include <gio/gio.h>
#include <rcptguard.h>

G_BEGIN_DECLS

#define RG_SETTINGS_SCHEMA_ID "org.rcptguard.RecipientGuard"

typedef enum {
  RG_SETTING_ORIGIN_DEFAULT, /* the schema's default (or a vendor .gschema.override) */
  RG_SETTING_ORIGIN_ADMIN,   /* a system dconf database (/etc/dconf/db/...), or locked */
  RG_SETTING_ORIGIN_USER,    /* the user's own value */
} RgSettingOrigin;

typedef enum {
  RG_ON_ERROR_ALLOW,
  RG_ON_ERROR_WARN,
  RG_ON_ERROR_BLOCK,
} RgOnError;

/* The settings, or NULL with @error when the schema is not installed (G_IO_ERROR_NOT_FOUND). */
GSettings *rg_settings_new (GError **error);

/* Adds the policy of @settings to @config: trusted, warn and block domains as policies,
 * known-domains as known domains (the administrator's evidence), and the flags
 * (check-lookalikes, notice-new-domains; the built-in providers always).  A listed entry
 * rg_settings_validate_domain () refuses is skipped and named in English in the returned array
 * (NULL-terminated, free with g_strfreev; NULL when all were taken). */
char **rg_settings_apply (GSettings *settings, rg_config *config);

/* An entry of a domain list that rg_settings_apply () leaves out, and why in words. */
/* What a mail client checks at Send (rg_settings_get_scope ()). */
typedef enum {
  RG_SCOPE_OFF,    /* checking is turned off: nothing is checked, nothing logged */
  RG_SCOPE_BLOCKS, /* turned off, but the administrator's locked block list still applies */
  RG_SCOPE_ALL,    /* everything */
} RgScope;

typedef struct
{
  const char *key; /* the list's key; static */
  char *entry;     /* as stored */
  char *message;   /* translated: the sentence of rg_settings_validate_domain () */
} RgSettingsRefusal;

void rg_settings_refusal_free (RgSettingsRefusal *refusal);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RgSettingsRefusal, rg_settings_refusal_free)

/* The entries rg_settings_apply () would leave out, with their sentences: an array of
 * RgSettingsRefusal, empty when there are none; free with g_ptr_array_unref. */
GPtrArray *rg_settings_list_refusals (GSettings *settings);

/* Whether a change of @key changes what rg_settings_apply() adds to a config. */
gboolean rg_settings_key_affects_config (const char *key);

/* What to check at Send: RG_SCOPE_ALL when "enabled" is on; when it is off, RG_SCOPE_BLOCKS
 * if the administrator locked a block list that names something (@block_domains_locked: in
 * dconf, or in Thunderbird's policy), else RG_SCOPE_OFF.  A block is the administrator's
 * policy, not a preference: the user's switch does not lift it. */
RgScope rg_settings_get_scope (GSettings *settings, gboolean block_domains_locked);
/* The same with the desktop's own locks (dconf): what Evolution and the command see. */
RgScope rg_settings_get_desktop_scope (GSettings *settings);
/* "off", "blocks", "all": the scope's name in JSON (rcptguard policy, the native host). */
const char *rg_scope_to_string (RgScope scope);

RgSettingOrigin rg_settings_get_origin (GSettings *settings, const char *key);
const char *rg_setting_origin_to_string (RgSettingOrigin origin); /* "default", "admin", "user" */

/* The GSettingsBackend in use, by its type name ("DConfSettingsBackend", "GMemorySettingsBackend",
 * ...), and whether it is dconf: only dconf enforces an administrator's locks. */
const char *rg_settings_get_backend_name (void);
gboolean rg_settings_backend_is_dconf (void);
/* A translated sentence for people when the backend is not dconf (the administrator's settings
 * and locks do not apply), or NULL when it is; free with g_free(). */
char *rg_settings_dup_backend_problem (void);

/* Whether @text is a domain or domain pattern the lists accept (for the preferences page);
 * on FALSE, @message (if not NULL) receives a translated sentence saying why. */
gboolean rg_settings_validate_domain (const char *key, const char *text, char **message);

G_END_DECLS
