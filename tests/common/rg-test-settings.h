/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-test-settings.h - Recipient Guard's settings over a backend of the test's choosing, for
 * tests that must not read or write the user's dconf database.
 */
#pragma once

#include <gio/gio.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "rg-settings.h"

/* The schema RG_SETTINGS_SCHEMA_ID over @backend (NULL: a fresh memory backend, so every
 * test starts from the defaults).  The schema comes from GSETTINGS_SCHEMA_DIR, which meson
 * test sets; without it the test stops with a message saying so. */
static inline GSettings *
rg_test_settings_new (GSettingsBackend *backend)
{
  g_autoptr (GSettingsBackend) memory = backend == NULL ? g_memory_settings_backend_new () : NULL;
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;

  g_assert_nonnull (source);
  schema = g_settings_schema_source_lookup (source, RG_SETTINGS_SCHEMA_ID, TRUE);
  if (schema == NULL)
    g_error ("the schema %s is not found: set GSETTINGS_SCHEMA_DIR (meson test does)",
             RG_SETTINGS_SCHEMA_ID);
  return g_settings_new_full (schema, backend != NULL ? backend : memory, NULL);
}
