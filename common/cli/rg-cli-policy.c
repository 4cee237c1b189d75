/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-cli-policy.c - "rcptguard policy": the settings in force, where each comes from, and
 * whether it is locked.
 *
 *   rcptguard policy [--format text|json]
 *   rcptguard policy --milter [--config FILE] [--format text|json]
 *
 * What an administrator runs on a desktop to see that the deployed policy arrived: per key
 * the value, its origin (default, admin, user) and whether the user can change it, and the
 * settings backend, since only dconf reads the system databases and enforces their locks.
 * With --milter, the configuration of rcptguard-milter instead (/etc/rcptguard/milter.conf),
 * read by the milter's own reader (common/glib/rg-milter-config.c): what the milter applies,
 * the entries it skips named on standard error.
 */
#include "config.h"

#include "rg-cli-policy.h"

#include <glib/gi18n.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "rg-autoptr.h"
#include "rg-cli-error.h"
#include "rg-cli-format.h"
#include "rg-cli-settings.h"
#include "rg-cli-writer.h"
#include "rg-milter-config.h"
#include "rg-settings.h"

typedef enum {
  POLICY_FORMAT_TEXT,
  POLICY_FORMAT_JSON,
} PolicyFormat;

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The schema's keys in alphabetical order, so that the output is stable. */
static char **
dup_sorted_keys (GSettings *settings)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  char **keys;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  qsort (keys, g_strv_length (keys), sizeof *keys, compare_keys);
  return keys;
}

static const char *
describe_scope (RgScope scope)
{
  switch (scope)
    {
    case RG_SCOPE_OFF:
      return "nothing is checked (enabled is off)";
    case RG_SCOPE_BLOCKS:
      return "only the locked block-domains (enabled is off)";
    case RG_SCOPE_ALL:
    default:
      return "every recipient is checked";
    }
}

/*
 * KEY ORIGIN LOCKED VALUE, aligned, the value last since a list can be long; values in
 * GVariant text form, as gsettings prints and takes them.
 */
static void
format_text (GSettings *settings,
             char     **keys,
             GString   *out)
{
  gsize width = strlen ("key");
  gboolean dconf = rg_settings_backend_is_dconf ();

  for (guint i = 0; keys[i] != NULL; i++)
    width = MAX (width, strlen (keys[i]));

  g_string_append_printf (out, "schema:  %s\n", RG_SETTINGS_SCHEMA_ID);
  g_string_append_printf (out, "backend: %s (%s)\n", rg_settings_get_backend_name (),
                          dconf ? "dconf: locks are enforced"
                                : "not dconf: locks are NOT enforced, admin settings not read");
  g_string_append_printf (out, "at Send: %s\n\n", describe_scope (rg_settings_get_desktop_scope (settings)));
  g_string_append_printf (out, "%-*s  %-7s  %-6s  %s\n", (int) width, "key", "origin",
                          "locked", "value");
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *printed = g_variant_print (value, FALSE);
      RgSettingOrigin origin = rg_settings_get_origin (settings, keys[i]);
      gboolean locked = !g_settings_is_writable (settings, keys[i]);

      g_string_append_printf (out, "%-*s  %-7s  %-6s  %s\n", (int) width, keys[i],
                              rg_setting_origin_to_string (origin), locked ? "yes" : "no",
                              printed);
    }
}

/*
 * One JSON object on one line: {"schema", "backend", "locks_enforced", "scope", "keys":
 * [{"key", "value", "origin", "locked"}]}, the value as JSON (a list of domains as an array of
 * strings, an enumeration as its string).
 */
static void
format_json (GSettings *settings,
             char     **keys,
             GString   *out)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schema");
  json_builder_add_string_value (builder, RG_SETTINGS_SCHEMA_ID);
  json_builder_set_member_name (builder, "backend");
  json_builder_add_string_value (builder, rg_settings_get_backend_name ());
  json_builder_set_member_name (builder, "locks_enforced");
  json_builder_add_boolean_value (builder, rg_settings_backend_is_dconf ());
  json_builder_set_member_name (builder, "scope");
  json_builder_add_string_value (builder, rg_scope_to_string (rg_settings_get_desktop_scope (settings)));
  json_builder_set_member_name (builder, "keys");
  json_builder_begin_array (builder);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      RgSettingOrigin origin = rg_settings_get_origin (settings, keys[i]);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "key");
      json_builder_add_string_value (builder, keys[i]);
      json_builder_set_member_name (builder, "value");
      json_builder_add_value (builder, json_gvariant_serialize (value));
      json_builder_set_member_name (builder, "origin");
      json_builder_add_string_value (builder, rg_setting_origin_to_string (origin));
      json_builder_set_member_name (builder, "locked");
      json_builder_add_boolean_value (builder, !g_settings_is_writable (settings, keys[i]));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  rg_cli_format_append_json_line (out, builder);
}

static char *
dup_list (char **entries)
{
  g_autoptr (GVariant) value = g_variant_ref_sink (g_variant_new_strv ((const char *const *)
                                                                       entries, -1));

  return g_variant_print (value, FALSE);
}

/* The milter's keys in the file's groups and order, each printed as the file would hold it:
 * lists in GVariant text form (as "rcptguard policy" prints the schema's), the rest as
 * written. */
static void
collect_milter (const RgMilterConfig *config,
                GPtrArray            *rows)
{
#define ROW(group, key, value) \
  G_STMT_START { \
    g_ptr_array_add (rows, g_strdup (group)); \
    g_ptr_array_add (rows, g_strdup (key)); \
    g_ptr_array_add (rows, (value)); \
  } G_STMT_END
  ROW ("policy", "trusted-domains", dup_list (config->trusted_domains));
  ROW ("policy", "known-domains", dup_list (config->known_domains));
  ROW ("policy", "warn-domains", dup_list (config->warn_domains));
  ROW ("policy", "block-domains", dup_list (config->block_domains));
  ROW ("policy", "on-error", g_strdup (rg_on_error_to_string (config->on_error)));
  ROW ("policy", "check-lookalikes", g_strdup (config->check_lookalikes ? "true" : "false"));
  ROW ("policy", "notice-new-domains",
       g_strdup (config->notice_new_domains ? "true" : "false"));
  ROW ("policy", "log-decisions", g_strdup (config->log_decisions ? "true" : "false"));
  ROW ("policy", "log-local-parts",
       g_strdup (rg_local_parts_to_string (config->log_local_parts)));
  ROW ("milter", "organisation-domains", dup_list (config->organisation_domains));
  ROW ("milter", "organisation-networks", dup_list (config->organisation_networks));
  ROW ("milter", "warn-action", g_strdup (rg_warn_action_to_string (config->warn_action)));
  ROW ("milter", "reject-once-hours", g_strdup_printf ("%u", config->reject_once_hours));
  ROW ("milter", "accept-confirmations",
       g_strdup (config->accept_confirmations ? "true" : "false"));
#undef ROW
}

/* "file: ...", then GROUP KEY VALUE aligned, as the schema's table. */
static void
format_milter_text (const RgMilterConfig *config,
                    const char           *path,
                    GPtrArray            *rows,
                    GString              *out)
{
  gsize width = strlen ("key");

  for (guint i = 0; i < rows->len; i += 3)
    width = MAX (width, strlen (g_ptr_array_index (rows, i + 1)));
  g_string_append_printf (out, "file:    %s%s\n", path,
                          config->path != NULL ? "" : " (missing: the defaults)");
  g_string_append (out, "applies: outgoing mail (authenticated, or from "
                        "organisation-networks)\n\n");
  g_string_append_printf (out, "%-6s  %-*s  %s\n", "group", (int) width, "key", "value");
  for (guint i = 0; i < rows->len; i += 3)
    g_string_append_printf (out, "%-6s  %-*s  %s\n", (char *) g_ptr_array_index (rows, i),
                            (int) width, (char *) g_ptr_array_index (rows, i + 1),
                            (char *) g_ptr_array_index (rows, i + 2));
}

/* {"file", "found", "keys": [{"group", "key", "value"}], "problems": [...]}; values as
 * printed in the text table (lists as JSON arrays). */
static void
format_milter_json (const RgMilterConfig *config,
                    const char           *path,
                    GPtrArray            *rows,
                    GString              *out)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "file");
  json_builder_add_string_value (builder, path);
  json_builder_set_member_name (builder, "found");
  json_builder_add_boolean_value (builder, config->path != NULL);
  json_builder_set_member_name (builder, "keys");
  json_builder_begin_array (builder);
  for (guint i = 0; i < rows->len; i += 3)
    {
      const char *value = g_ptr_array_index (rows, i + 2);
      g_autoptr (GVariant) list = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "group");
      json_builder_add_string_value (builder, g_ptr_array_index (rows, i));
      json_builder_set_member_name (builder, "key");
      json_builder_add_string_value (builder, g_ptr_array_index (rows, i + 1));
      json_builder_set_member_name (builder, "value");
      if (value[0] == '[' || value[0] == '@')
        list = g_variant_parse (G_VARIANT_TYPE_STRING_ARRAY, value, NULL, NULL, NULL);
      if (list != NULL)
        json_builder_add_value (builder, json_gvariant_serialize (list));
      else
        json_builder_add_string_value (builder, value);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "problems");
  json_builder_begin_array (builder);
  for (guint i = 0; config->problems[i] != NULL; i++)
    json_builder_add_string_value (builder, config->problems[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  rg_cli_format_append_json_line (out, builder);
}

static int
run_milter (const char   *path,
            PolicyFormat  format)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RgMilterConfig) config = rg_milter_config_load (path, TRUE, &error);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(RgCliWriter) writer = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  RgCliExit status = RG_CLI_EXIT_OK;

  if (config == NULL)
    {
      rg_cli_error (path, "%s", error->message);
      return RG_CLI_EXIT_BAD_INPUT;
    }
  /* What the milter logs at start, said here too; a missing file is no error. */
  for (guint i = 0; config->problems[i] != NULL; i++)
    {
      rg_cli_error (NULL, "%s", config->problems[i]);
      if (config->path != NULL)
        status = RG_CLI_EXIT_BAD_INPUT;
    }
  collect_milter (config, rows);
  if (format == POLICY_FORMAT_JSON)
    format_milter_json (config, path, rows, out);
  else
    format_milter_text (config, path, rows, out);
  writer = rg_cli_writer_new (STDOUT_FILENO);
  if (!rg_cli_writer_write (writer, out->str, out->len) || !rg_cli_writer_flush (writer))
    {
      rg_cli_error ("standard output", "%s", rg_cli_writer_get_error (writer)->message);
      return RG_CLI_EXIT_INTERNAL;
    }
  return status;
}

/* Translators: the help of "rcptguard policy"; %s is the id of the settings schema.  Keep
 * the option values, key names, file names and the column layout (two spaces, aligned) as
 * they are. */
static const char *const policy_description = N_(
  "For each key of the settings schema %s:\n"
  "  value   in GVariant text form, as gsettings prints and takes it\n"
  "  origin  default  the schema's default (a vendor .gschema.override changes the\n"
  "                   defaults themselves, so its values show as default too)\n"
  "          admin    a system dconf database (/etc/dconf/db/...) sets it, or the key\n"
  "                   is locked\n"
  "          user     the user's own value\n"
  "  locked  whether the administrator locked it (the user cannot change it)\n"
  "An unlocked key that a system database sets to the schema's own default shows as\n"
  "default.\n"
  "\n"
  "And the settings backend: only dconf reads the administrator's databases and enforces\n"
  "their locks.  GLib falls back to another backend (keyfile or memory) without a word\n"
  "when the dconf module (dconf-gsettings-backend) is missing; this command says so on\n"
  "standard error.\n"
  "\n"
  "Output:\n"
  "  text  a table for people (the default)\n"
  "  json  one object on one line: {\"schema\", \"backend\", \"locks_enforced\",\n"
  "        \"scope\", \"keys\": [{\"key\", \"value\", \"origin\", \"locked\"}]}\n"
  "\n"
  "Exit status:\n"
  "  0   printed\n"
  "  64  usage error\n"
  "  65  printed, and a list holds an entry that is not a domain (named on standard error;\n"
  "      the check ignores it)\n"
  "  70  the schema is not installed, or output failed\n"
  "\n"
  "With --milter: the configuration of rcptguard-milter (--config, default\n"
  "/etc/rcptguard/milter.conf) as the milter reads it, group, key and value; what it\n"
  "skips is named on standard error (exit status 65).\n");

/**
 * rg_cli_policy_run:
 * @argc: the number of arguments, "policy" included
 * @argv: the arguments, starting with "policy"
 *
 * Returns: the exit status.
 */
int
rg_cli_policy_run (int    argc,
                   char **argv)
{
  g_autofree char *format_name = NULL;
  g_autofree char *milter_config = NULL;
  gboolean milter = FALSE;
  g_autofree char *description = NULL;
  g_autoptr(GString) description_text = NULL;
  g_auto(GStrv) rest = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &format_name,
      N_("Output format (default: text)"), "text|json" },
    { "milter", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &milter,
      N_("Show rcptguard-milter's configuration instead"), NULL },
    { "config", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &milter_config,
      N_("rcptguard-milter's configuration file (with --milter)"), N_("FILE") },
    { G_OPTION_REMAINING, 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING_ARRAY, &rest,
      NULL, NULL },
    { NULL },
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(rg_config) scratch = NULL;
  g_autoptr(RgCliWriter) writer = NULL;
  g_autoptr(GString) out = NULL;
  g_auto(GStrv) keys = NULL;
  PolicyFormat format = POLICY_FORMAT_TEXT;
  RgCliExit status = RG_CLI_EXIT_OK;

  g_set_prgname ("rcptguard policy");
  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Show Recipient Guard's settings: each value, where it "
                                  "comes from,\nwhether it is locked, and the settings "
                                  "backend."));
  /* Not printf: a translated variable is no format literal the compiler can check. */
  description_text = g_string_new (_(policy_description));
  g_string_replace (description_text, "%s", RG_SETTINGS_SCHEMA_ID, 1);
  description = g_string_free (g_steal_pointer (&description_text), FALSE);
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, NULL);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_autofree char *what = rg_cli_sentence_tail (error->message);

      rg_cli_usage_error ("policy", "%s", what);
      return RG_CLI_EXIT_USAGE;
    }
  if (rest != NULL && rest[0] != NULL)
    {
      g_autofree char *quoted = rg_cli_quote (rest[0], (gsize) -1);

      /* Translators: %s is the argument, quoted. */
      rg_cli_usage_error ("policy", _("unexpected argument %s"), quoted);
      return RG_CLI_EXIT_USAGE;
    }
  if (format_name == NULL || strcmp (format_name, "text") == 0)
    format = POLICY_FORMAT_TEXT;
  else if (strcmp (format_name, "json") == 0)
    format = POLICY_FORMAT_JSON;
  else
    {
      g_autofree char *quoted = rg_cli_quote (format_name, (gsize) -1);

      /* Translators: %s is what was given, quoted; text and json are values: keep them. */
      rg_cli_usage_error ("policy", _("unknown --format %s: use text or json"), quoted);
      return RG_CLI_EXIT_USAGE;
    }

  if (milter_config != NULL && !milter)
    {
      rg_cli_usage_error ("policy", "%s", _("--config is for --milter"));
      return RG_CLI_EXIT_USAGE;
    }
  if (milter)
    return run_milter (milter_config != NULL ? milter_config : RG_MILTER_DEFAULT_CONFIG,
                       format);

  settings = rg_cli_settings_open ("policy");
  if (settings == NULL)
    return RG_CLI_EXIT_INTERNAL;
  rg_cli_settings_warn_backend ("policy");

  /* The entries the check would ignore, said here as the check says them. */
  scratch = rg_config_new ();
  if (scratch == NULL)
    {
      g_autofree char *what = rg_cli_describe_status (RG_E_NOMEM);

      rg_cli_error (NULL, "%s", what);
      return RG_CLI_EXIT_INTERNAL;
    }
  status = rg_cli_settings_apply (settings, "policy", scratch);

  keys = dup_sorted_keys (settings);
  out = g_string_new (NULL);
  if (format == POLICY_FORMAT_JSON)
    format_json (settings, keys, out);
  else
    format_text (settings, keys, out);

  writer = rg_cli_writer_new (STDOUT_FILENO);
  if (!rg_cli_writer_write (writer, out->str, out->len) || !rg_cli_writer_flush (writer))
    {
      rg_cli_error ("standard output", "%s", rg_cli_writer_get_error (writer)->message);
      return RG_CLI_EXIT_INTERNAL;
    }
  return status;
}
