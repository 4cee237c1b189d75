/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-settings.c - the settings reader (common/glib/rg-settings.c) on any values of the
 * schema's keys: dconf, a vendor override or the add-on's managed storage may hold anything
 * GSettings lets through.  Each input line is "KEY VALUE": VALUE in GVariant text of the key's
 * type ("['army.mil', 'ml']", "true", "'block'"), or for a list key also entries separated
 * by commas, taken as they are.  Values out of the key's range are dropped, as GSettings
 * would.  Then, on a memory backend: rg_settings_apply () and rg_settings_list_refusals ()
 * must leave out the same entries, in the same order, exactly those that
 * rg_settings_validate_domain () refuses (or past a list's limit), each with a sentence; and
 * the config they make must build a checker.
 */
#define G_SETTINGS_ENABLE_BACKEND

#include "rg-autoptr.h"
#include "rg-fuzz-env.h"
#include "rg-settings.h"

#include <gio/gsettingsbackend.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* As in rg-settings.c: a policy list's entries past this many are left out. */
#define RG_SETTINGS_MAX_POLICY_ENTRIES 1000

static const char *const list_keys[] = {
  "trusted-domains", "known-domains", "warn-domains", "block-domains",
};

/* The value of @text for @key, or NULL when it is not one GSettings would store. */
static GVariant *
parse_value (GSettingsSchemaKey *key,
             const char         *text)
{
  const GVariantType *type = g_settings_schema_key_get_value_type (key);
  g_autoptr (GVariant) value = NULL;

  if (g_variant_type_equal (type, G_VARIANT_TYPE_STRING_ARRAY) && text[0] != '[')
    {
      g_auto (GStrv) entries = g_strsplit (text, ",", -1);

      if (!g_utf8_validate (text, -1, NULL))
        return NULL;
      value = g_variant_ref_sink (g_variant_new_strv ((const char *const *) entries, -1));
    }
  else
    {
      value = g_variant_parse (type, text, NULL, NULL, NULL);
      if (value == NULL)
        return NULL;
    }
  if (!g_settings_schema_key_range_check (key, value))
    return NULL;
  return g_steal_pointer (&value);
}

/* Sets the keys of the "KEY VALUE" lines of @text. */
static void
set_values (GSettings       *settings,
            GSettingsSchema *schema,
            char            *text)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *space = strchr (lines[i], ' ');
      g_autoptr (GSettingsSchemaKey) key = NULL;
      g_autoptr (GVariant) value = NULL;

      if (space == NULL)
        continue;
      *space = '\0';
      if (!g_settings_schema_has_key (schema, lines[i]))
        continue;
      key = g_settings_schema_get_key (schema, lines[i]);
      value = parse_value (key, space + 1);
      if (value != NULL && !g_settings_set_value (settings, lines[i], value))
        abort ();
    }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The refusals rg_settings_validate_domain () makes of the lists, as "KEY 'ENTRY'". */
static GPtrArray *
expected_refusals (GSettings *settings)
{
  GPtrArray *expected = g_ptr_array_new_with_free_func (g_free);

  for (gsize i = 0; i < G_N_ELEMENTS (list_keys); i++)
    {
      g_auto (GStrv) entries = g_settings_get_strv (settings, list_keys[i]);
      gboolean policy = strcmp (list_keys[i], "known-domains") != 0;

      for (guint j = 0; entries[j] != NULL; j++)
        {
          g_autofree char *message = NULL;
          gboolean valid = rg_settings_validate_domain (list_keys[i], entries[j], &message);

          if (valid != (message == NULL)
              || (message != NULL && (message[0] == '\0' || !g_utf8_validate (message, -1,
                                                                              NULL))))
            abort ();
          if (!valid || (policy && j >= RG_SETTINGS_MAX_POLICY_ENTRIES))
            g_ptr_array_add (expected, g_strdup_printf ("%s '%s'", list_keys[i], entries[j]));
        }
    }
  return expected;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static GSettingsSchema *schema;
  g_autoptr (GSettingsBackend) backend = NULL;
  g_autoptr (GSettings) settings = NULL;
  g_autoptr (rg_config) config = rg_config_new ();
  g_autoptr (rg_checker) checker = NULL;
  g_autoptr (GPtrArray) expected = NULL;
  g_autoptr (GPtrArray) refusals = NULL;
  g_autoptr (GPtrArray) named = NULL;
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_auto (GStrv) skipped = NULL;
  guint n_skipped;

  if (schema == NULL)
    {
      rg_fuzz_env_init ();
      schema = g_settings_schema_source_lookup (g_settings_schema_source_get_default (),
                                                RG_SETTINGS_SCHEMA_ID, TRUE);
      if (schema == NULL)
        abort ();
    }
  backend = g_memory_settings_backend_new ();
  settings = g_settings_new_full (schema, backend, NULL);
  set_values (settings, schema, text);

  expected = expected_refusals (settings);
  skipped = rg_settings_apply (settings, config);
  refusals = rg_settings_list_refusals (settings);
  n_skipped = skipped != NULL ? g_strv_length (skipped) : 0;
  if (n_skipped != expected->len || refusals->len != expected->len)
    abort ();
  /* The two walks name the same entries in the same order ("KEY 'ENTRY': reason"), and they
   * are those rg_settings_validate_domain () refuses, in the library's order of the keys. */
  named = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < refusals->len; i++)
    {
      const RgSettingsRefusal *refusal = g_ptr_array_index (refusals, i);
      char *name = g_strdup_printf ("%s '%s'", refusal->key, refusal->entry);

      g_ptr_array_add (named, name);
      if (!g_str_has_prefix (skipped[i], name) || strncmp (skipped[i] + strlen (name), ": ", 2)
          || refusal->message == NULL || refusal->message[0] == '\0')
        abort ();
    }
  g_ptr_array_sort (named, compare_strings);
  g_ptr_array_sort (expected, compare_strings);
  for (guint i = 0; i < expected->len; i++)
    if (strcmp (g_ptr_array_index (named, i), g_ptr_array_index (expected, i)) != 0)
      abort ();
  if (rg_checker_new (config, &checker) != RG_OK)
    abort ();
  for (gsize i = 0; i < G_N_ELEMENTS (list_keys); i++)
    if (rg_setting_origin_to_string (rg_settings_get_origin (settings, list_keys[i])) == NULL)
      abort ();
  return 0;
}
