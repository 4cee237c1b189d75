/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-cli-doctor-settings.c - the settings, for "rcptguard doctor": the schema, the backend
 * (only dconf enforces the administrator's locks), whether checking is on, what is locked and
 * by what, and list entries the checker would leave out.
 *
 * Thunderbird's add-on takes the same keys from its policies.json ("KEY:locked" locks one)
 * and from the desktop's dconf locks (PROTOCOL.md, "configure"): both are read here.
 */
#include "config.h"

#include "rg-cli-doctor-settings.h"

#include <string.h>

#include <glib/gi18n.h>

#include "rg-cli-error.h"
#include "rg-settings.h"

/* How many refused entries a message names; the JSON names all. */
#define RG_DOCTOR_MAX_NAMED 5

/* The domain lists, whose entries the checker validates. */
static const char *const list_keys[] = { "trusted-domains", "known-domains", "warn-domains",
                                         "block-domains", NULL };

static gboolean
is_locked (GSettings  *settings,
           const char *key)
{
  return !g_settings_is_writable (settings, key);
}

/* schema */

/**
 * rg_doctor_check_schema:
 * @schema_dir: where this build installs the schema, for the fix
 *
 * Returns: (transfer full) (nullable): the settings, for the other checks; NULL without the
 * schema.
 */
GSettings *
rg_doctor_check_schema (const char    *schema_dir,
                        RgDoctorCheck *check)
{
  g_autoptr(GError) error = NULL;
  GSettings *settings = rg_settings_new (&error);

  rg_doctor_check_add_string (check, "schema", RG_SETTINGS_SCHEMA_ID);
  if (settings != NULL)
    {
      /* Translators: %s is the id of the settings schema. */
      RG_DOCTOR_SAY (check, RG_DOCTOR_OK, N_("%s is installed"), RG_SETTINGS_SCHEMA_ID);
      return settings;
    }
  RG_DOCTOR_SAY (check, RG_DOCTOR_FAIL,
                 /* Translators: %s is the id of the settings schema. */
                 N_("the settings schema %s is not installed: neither the administrator's "
                    "policy nor the user's settings apply, and nothing is logged"),
                 RG_SETTINGS_SCHEMA_ID);
  RG_DOCTOR_FIX (check,
                 /* Translators: %s is a folder; glib-compile-schemas is a command. */
                 N_("sudo glib-compile-schemas %s (reinstall Recipient Guard if its schema is "
                    "not there)"),
                 schema_dir);
  return NULL;
}

/* backend */

void
rg_doctor_check_backend (RgDoctorCheck *check)
{
  const char *backend = rg_settings_get_backend_name ();
  const char *variable = g_getenv ("GSETTINGS_BACKEND");

  rg_doctor_check_add_string (check, "backend", backend);
  if (rg_settings_backend_is_dconf ())
    {
      RG_DOCTOR_SAY (check, RG_DOCTOR_OK,
                     /* Translators: %s is a technical name, e.g. DConfSettingsBackend. */
                     N_("GSettings uses dconf (%s): the administrator's settings and locks are "
                        "enforced"),
                     backend);
      return;
    }
  RG_DOCTOR_SAY (check, RG_DOCTOR_WARN,
                 /* Translators: %s is a technical name, e.g. GKeyfileSettingsBackend. */
                 N_("GSettings uses %s, not dconf: the administrator's settings and locks are "
                    "not enforced"),
                 backend);
  if (variable != NULL && g_strcmp0 (variable, "dconf") != 0)
    RG_DOCTOR_FIX (check,
                   /* Translators: %s is the value of GSETTINGS_BACKEND. */
                   N_("remove GSETTINGS_BACKEND=%s from the session's environment"), variable);
  else
    rg_doctor_check_set_fix (check, g_strdup ("sudo apt install dconf-gsettings-backend"),
                             g_strdup ("sudo apt install dconf-gsettings-backend"));
}

/* checking */

typedef enum {
  SCOPE_BY_USER,   /* the user's own switch */
  SCOPE_BY_DCONF,  /* "enabled" locked in the administrator's dconf database */
  SCOPE_BY_POLICY, /* "enabled" locked in Thunderbird's policies.json */
} ScopeCause;

/*
 * What Thunderbird checks, as far as the administrator decides it: the add-on's own switch
 * is in its storage, which only Thunderbird reads.  Locks in policies.json come first, then
 * the desktop's dconf locks (PROTOCOL.md, "configure").  Returns FALSE when nobody locked
 * "enabled": then the user's switch decides.
 */
static gboolean
get_thunderbird_scope (GSettings        *settings,
                       RgDoctorPolicies *policies,
                       RgScope          *scope,
                       ScopeCause       *cause)
{
  JsonObject *managed = rg_doctor_policies_get_managed (policies);
  gboolean dconf = rg_settings_backend_is_dconf ();
  gboolean enabled;
  gboolean blocks = FALSE;

  if (rg_doctor_json_get_boolean (managed, "enabled:locked", FALSE))
    {
      /* A key locked without a value takes the default (README, "Thunderbird"). */
      enabled = rg_doctor_json_get_boolean (managed, "enabled", TRUE);
      *cause = SCOPE_BY_POLICY;
    }
  else if (dconf && is_locked (settings, "enabled"))
    {
      enabled = g_settings_get_boolean (settings, "enabled");
      *cause = SCOPE_BY_DCONF;
    }
  else
    return FALSE;

  if (rg_doctor_json_get_boolean (managed, "block-domains:locked", FALSE))
    {
      JsonNode *node = json_object_get_member (managed, "block-domains");

      blocks = node != NULL && JSON_NODE_HOLDS_ARRAY (node)
               && json_array_get_length (json_node_get_array (node)) > 0;
    }
  else if (dconf && is_locked (settings, "block-domains"))
    {
      g_auto(GStrv) domains = g_settings_get_strv (settings, "block-domains");

      blocks = domains[0] != NULL;
    }
  *scope = enabled ? RG_SCOPE_ALL : blocks ? RG_SCOPE_BLOCKS : RG_SCOPE_OFF;
  return TRUE;
}

/* One client's part of the "checking" message, when it does not check everything. */
static void
add_scope_problem (RgDoctorPolicies *policies,
                   RgDoctorText     *problems,
                   RgDoctorText     *fixes,
                   const char       *client,
                   RgScope           scope,
                   ScopeCause        cause)
{
  const char *path = rg_doctor_policies_get_read_path (policies);

  if (scope == RG_SCOPE_BLOCKS)
    RG_DOCTOR_ADD (problems,
                   /* Translators: %s is Evolution or Thunderbird. */
                   N_("%s: checking is turned off; only the administrator's blocked domains "
                      "are still refused"),
                   client);
  else
    RG_DOCTOR_ADD (problems,
                   /* Translators: %s is Evolution or Thunderbird. */
                   N_("%s: checking is turned off and no block list is locked: nothing is "
                      "checked at Send"),
                   client);
  switch (cause)
    {
    case SCOPE_BY_POLICY:
      RG_DOCTOR_ADD (fixes,
                     /* Translators: %s is a policies.json; keep the JSON as it is. */
                     N_("set \"enabled\": true in %s"), path != NULL ? path : "?");
      break;
    case SCOPE_BY_DCONF:
      RG_DOCTOR_ADD_TEXT (fixes,
                          N_("set enabled=true in the administrator's dconf database "
                             "(/etc/dconf/db/local.d/), then sudo dconf update"));
      break;
    case SCOPE_BY_USER:
    default:
      RG_DOCTOR_ADD_COMMAND (fixes, "gsettings set %s enabled true", RG_SETTINGS_SCHEMA_ID);
      break;
    }
}

/*
 * Evolution checks as GSettings says (rg_settings_get_scope ()); Thunderbird as its add-on's
 * switch says unless the administrator locked it.  "blocks" (the user turned checking off,
 * the administrator's locked blocks still apply) is a warning; "off" is protection off.
 */
void
rg_doctor_check_checking (GSettings        *settings,
                          gboolean          evolution_installed,
                          gboolean          thunderbird_installed,
                          RgDoctorPolicies *policies,
                          RgDoctorCheck    *check)
{
  RgDoctorText problems;
  RgDoctorText fixes;
  RgDoctorStatus status = RG_DOCTOR_OK;
  RgScope evolution = RG_SCOPE_ALL;
  RgScope thunderbird = RG_SCOPE_ALL;
  ScopeCause thunderbird_cause = SCOPE_BY_USER;
  gboolean thunderbird_known = FALSE;

  if (settings == NULL)
    {
      RG_DOCTOR_SAY_TEXT (check, RG_DOCTOR_SKIP, N_("needs the settings schema"));
      return;
    }
  if (!evolution_installed && !thunderbird_installed)
    {
      RG_DOCTOR_SAY_TEXT (check, RG_DOCTOR_SKIP, N_("no mail client is installed"));
      return;
    }

  rg_doctor_text_init (&problems);
  rg_doctor_text_init (&fixes);
  if (evolution_installed)
    {
      gboolean enabled_locked = is_locked (settings, "enabled");

      evolution = rg_settings_get_desktop_scope (settings);
      if (evolution != RG_SCOPE_ALL)
        add_scope_problem (policies, &problems, &fixes, "Evolution", evolution,
                           enabled_locked ? SCOPE_BY_DCONF : SCOPE_BY_USER);
    }
  if (thunderbird_installed)
    {
      thunderbird_known = get_thunderbird_scope (settings, policies, &thunderbird,
                                                 &thunderbird_cause);
      if (thunderbird_known && thunderbird != RG_SCOPE_ALL)
        add_scope_problem (policies, &problems, &fixes, "Thunderbird", thunderbird,
                           thunderbird_cause);
    }
  rg_doctor_check_add_string (check, "evolution",
                              evolution_installed ? rg_scope_to_string (evolution) : NULL);
  rg_doctor_check_add_string (check, "thunderbird",
                              thunderbird_known ? rg_scope_to_string (thunderbird) : NULL);

  if (evolution == RG_SCOPE_OFF || thunderbird == RG_SCOPE_OFF)
    status = RG_DOCTOR_FAIL;
  else if (evolution == RG_SCOPE_BLOCKS || thunderbird == RG_SCOPE_BLOCKS)
    status = RG_DOCTOR_WARN;
  if (status != RG_DOCTOR_OK)
    {
      rg_doctor_text_set_message (&problems, check, status);
      rg_doctor_text_set_fix (&fixes, check);
    }
  else if (thunderbird_installed && !thunderbird_known)
    RG_DOCTOR_SAY_TEXT (check, RG_DOCTOR_OK,
                        N_("on: every recipient is checked at Send (in Thunderbird unless its "
                           "user turned the add-on's own switch off)"));
  else
    RG_DOCTOR_SAY_TEXT (check, RG_DOCTOR_OK, N_("on: every recipient is checked at Send"));
  rg_doctor_text_clear (&problems);
  rg_doctor_text_clear (&fixes);
}

/* locks */

static GPtrArray *
list_dconf_locks (GSettings *settings)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;
  GPtrArray *locked = g_ptr_array_new_with_free_func (g_free);

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (gsize i = 0; keys[i] != NULL; i++)
    {
      if (is_locked (settings, keys[i]))
        g_ptr_array_add (locked, g_strdup (keys[i]));
    }
  return locked;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* "KEY:locked": true in the add-on's part of policies.json; @unknown receives the keys that
 * are not the schema's (the host ignores them). */
static GPtrArray *
list_policy_locks (JsonObject *managed,
                   GSettings  *settings,
                   GPtrArray  *unknown)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GList) members = managed != NULL ? json_object_get_members (managed) : NULL;
  GPtrArray *locked = g_ptr_array_new_with_free_func (g_free);

  if (settings != NULL)
    g_object_get (settings, "settings-schema", &schema, NULL);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *member = l->data;
      g_autofree char *key = NULL;

      if (!g_str_has_suffix (member, ":locked")
          || !rg_doctor_json_get_boolean (managed, member, FALSE))
        continue;
      key = g_strndup (member, strlen (member) - strlen (":locked"));
      if (schema != NULL && !g_settings_schema_has_key (schema, key))
        g_ptr_array_add (unknown, g_steal_pointer (&key));
      else
        g_ptr_array_add (locked, g_steal_pointer (&key));
    }
  g_ptr_array_sort (locked, compare_strings);
  g_ptr_array_sort (unknown, compare_strings);
  return locked;
}

static char *
join (GPtrArray *strings)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < strings->len; i++)
    {
      if (i > 0)
        g_string_append (text, ", ");
      g_string_append (text, g_ptr_array_index (strings, i));
    }
  return g_string_free (text, FALSE);
}

static void
add_strings (RgDoctorCheck *check,
             const char    *name,
             GPtrArray     *strings)
{
  g_ptr_array_add (strings, NULL);
  rg_doctor_check_add_strv (check, name, (const char *const *) strings->pdata);
  g_ptr_array_remove_index (strings, strings->len - 1);
}

/* Which keys are locked, and by what: the desktop's dconf (for Evolution, the command and,
 * through the host, Thunderbird) and Thunderbird's policies.json. */
void
rg_doctor_check_locks (GSettings        *settings,
                       RgDoctorPolicies *policies,
                       RgDoctorCheck    *check)
{
  g_autoptr(GPtrArray) dconf = NULL;
  g_autoptr(GPtrArray) policy = NULL;
  g_autoptr(GPtrArray) unknown = g_ptr_array_new_with_free_func (g_free);
  const char *path = rg_doctor_policies_get_read_path (policies);
  RgDoctorText message;
  RgDoctorText fixes;
  g_autofree char *dconf_text = NULL;

  if (settings == NULL)
    {
      RG_DOCTOR_SAY_TEXT (check, RG_DOCTOR_SKIP, N_("needs the settings schema"));
      return;
    }
  rg_doctor_text_init (&message);
  rg_doctor_text_init (&fixes);

  dconf = rg_settings_backend_is_dconf () ? list_dconf_locks (settings)
                                          : g_ptr_array_new_with_free_func (g_free);
  dconf_text = join (dconf);
  add_strings (check, "dconf", dconf);
  if (!rg_settings_backend_is_dconf ())
    RG_DOCTOR_ADD_TEXT (&message, N_("no dconf lock is enforced (see backend)"));
  else if (dconf->len == 0)
    RG_DOCTOR_ADD_TEXT (&message, N_("nothing is locked in dconf"));
  else
    /* Translators: %s lists settings' names. */
    RG_DOCTOR_ADD (&message, N_("locked in dconf: %s"), dconf_text);

  if (path != NULL)
    {
      g_autofree char *policy_text = NULL;

      policy = list_policy_locks (rg_doctor_policies_get_managed (policies),
                                  settings, unknown);
      policy_text = join (policy);
      add_strings (check, "policies", policy);
      if (policy->len == 0)
        /* Translators: %s is a policies.json. */
        RG_DOCTOR_ADD (&message, N_("nothing is locked in %s"), path);
      else
        /* Translators: the first %s is a policies.json, the second lists settings' names. */
        RG_DOCTOR_ADD (&message, N_("locked in %s: %s"), path, policy_text);
    }
  else
    rg_doctor_check_add_node (check, "policies", json_node_new (JSON_NODE_NULL));

  if (unknown->len > 0)
    {
      g_autofree char *unknown_text = join (unknown);

      add_strings (check, "unknown", unknown);
      RG_DOCTOR_ADD (&message,
                     /* Translators: the first %s is a policies.json, the second lists names. */
                     N_("%s locks names that are no settings of Recipient Guard (ignored): %s"),
                     path, unknown_text);
      RG_DOCTOR_ADD (&fixes,
                     /* Translators: %s is a policies.json. */
                     N_("correct the names in %s (rcptguard policy lists the settings)"),
                     path);
    }
  rg_doctor_text_set_message (&message, check, unknown->len > 0 ? RG_DOCTOR_WARN : RG_DOCTOR_OK);
  if (!rg_doctor_text_is_empty (&fixes))
    rg_doctor_text_set_fix (&fixes, check);
  rg_doctor_text_clear (&message);
  rg_doctor_text_clear (&fixes);
}

/* lists */

static void
add_refused (JsonArray  *refused,
             GString    *named,
             const char *key,
             const char *entry,
             const char *source)
{
  JsonObject *object = json_object_new ();
  g_autofree char *quoted = rg_cli_quote (entry, (gsize) -1);

  json_object_set_string_member (object, "key", key);
  json_object_set_string_member (object, "entry", entry);
  json_object_set_string_member (object, "source", source);
  if (json_array_get_length (refused) < RG_DOCTOR_MAX_NAMED)
    g_string_append_printf (named, "%s%s %s", named->len > 0 ? ", " : "", key, quoted);
  else if (json_array_get_length (refused) == RG_DOCTOR_MAX_NAMED)
    g_string_append (named, ", …");
  json_array_add_object_element (refused, object);
}

/* Every entry of the domain lists the checker would leave out: in GSettings
 * (rg_settings_list_refusals ()) and in the add-on's part of policies.json. */
void
rg_doctor_check_lists (GSettings        *settings,
                       RgDoctorPolicies *policies,
                       RgDoctorCheck    *check)
{
  JsonArray *refused = json_array_new ();
  g_autoptr(GString) named = g_string_new (NULL);
  g_autoptr(GPtrArray) refusals = NULL;
  JsonObject *managed = rg_doctor_policies_get_managed (policies);
  guint n_gsettings;
  JsonNode *node;

  if (settings == NULL)
    {
      json_array_unref (refused);
      RG_DOCTOR_SAY_TEXT (check, RG_DOCTOR_SKIP, N_("needs the settings schema"));
      return;
    }
  refusals = rg_settings_list_refusals (settings);
  for (guint i = 0; i < refusals->len; i++)
    {
      const RgSettingsRefusal *refusal = g_ptr_array_index (refusals, i);

      add_refused (refused, named, refusal->key, refusal->entry, "gsettings");
    }
  n_gsettings = json_array_get_length (refused);
  for (gsize k = 0; managed != NULL && list_keys[k] != NULL; k++)
    {
      JsonArray *entries;

      node = json_object_get_member (managed, list_keys[k]);
      if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
        continue;
      entries = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (entries); i++)
        {
          JsonNode *element = json_array_get_element (entries, i);
          const char *entry = JSON_NODE_HOLDS_VALUE (element)
                                && json_node_get_value_type (element) == G_TYPE_STRING
                              ? json_node_get_string (element) : NULL;

          if (entry != NULL && !rg_settings_validate_domain (list_keys[k], entry, NULL))
            add_refused (refused, named, list_keys[k], entry, "policies.json");
        }
    }

  if (json_array_get_length (refused) == 0)
    RG_DOCTOR_SAY_TEXT (check, RG_DOCTOR_OK, N_("every entry of the domain lists is a domain"));
  else
    {
      RgDoctorText fixes;

      RG_DOCTOR_SAY (check, RG_DOCTOR_WARN,
                     /* Translators: %s lists settings and entries, e.g. "warn-domains
                      * 'foo bar'". */
                     N_("entries that are not domains are ignored: %s"), named->str);
      rg_doctor_text_init (&fixes);
      if (n_gsettings > 0)
        RG_DOCTOR_ADD_TEXT (&fixes, N_("correct them in Preferences → Recipient Guard, or "
                                       "where the administrator set them (rcptguard policy "
                                       "says which)"));
      if (json_array_get_length (refused) > n_gsettings)
        /* Translators: %s is a policies.json. */
        RG_DOCTOR_ADD (&fixes, N_("correct them in %s"),
                       rg_doctor_policies_get_read_path (policies));
      rg_doctor_text_set_fix (&fixes, check);
      rg_doctor_text_clear (&fixes);
    }
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, refused);
  rg_doctor_check_add_node (check, "refused", node);
}
