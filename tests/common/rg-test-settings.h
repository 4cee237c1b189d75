/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-test-settings.h - Recipient Guard's settings over a backend of the test's choosing, for
 * tests that must not read or write the user's dconf database.
 */
#pragma once

#include <errno.h>

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

/* An administrator's dconf database made as one deploys it: @keyfile (a dconf keyfile) and
 * @locks (one key path a line) written into @dir/db.d, compiled by @dconf ("dconf" or its
 * path) into @dir/db, and a profile "user-db:user" + "file-db:@dir/db" (the user's database
 * first, as in the shipped profile: dconf 0.40 leaks its sources at exit when a file-db comes
 * first).  Returns the profile's path, for DCONF_PROFILE, or NULL with @error. */
static inline char *
rg_test_dconf_profile_new (const char  *dir,
                           const char  *keyfile,
                           const char  *locks,
                           const char  *dconf,
                           GError     **error)
{
  g_autofree char *keyfiles = g_build_filename (dir, "db.d", NULL);
  g_autofree char *locks_dir = g_build_filename (keyfiles, "locks", NULL);
  g_autofree char *keyfile_path = g_build_filename (keyfiles, "50-rcptguard", NULL);
  g_autofree char *locks_path = g_build_filename (locks_dir, "rcptguard", NULL);
  g_autofree char *db = g_build_filename (dir, "db", NULL);
  g_autofree char *profile = g_build_filename (dir, "profile", NULL);
  g_autofree char *profile_text = g_strdup_printf ("user-db:user\nfile-db:%s\n", db);
  g_autofree char *err = NULL;
  const char *argv[] = { dconf, "compile", db, keyfiles, NULL };
  int status = 0;

  if (g_mkdir_with_parents (locks_dir, 0700) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "%s: %s", locks_dir,
                   g_strerror (errno));
      return NULL;
    }
  if (!g_file_set_contents (keyfile_path, keyfile, -1, error)
      || !g_file_set_contents (locks_path, locks, -1, error)
      || !g_file_set_contents (profile, profile_text, -1, error))
    return NULL;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, &err,
                     &status, error))
    return NULL;
  if (!g_spawn_check_wait_status (status, error))
    {
      g_prefix_error (error, "dconf compile: %s: ", err != NULL ? g_strchomp (err) : "");
      return NULL;
    }
  return g_steal_pointer (&profile);
}
