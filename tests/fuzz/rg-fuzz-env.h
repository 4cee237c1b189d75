/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-fuzz-env.h - the environment of the fuzz targets that use GSettings and the decision
 * log: the schema compiled in the build tree, the memory backend, and throwaway XDG folders.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Once per process, before anything reads it: GSETTINGS_SCHEMA_DIR (the build tree's, unless
 * set), GSETTINGS_BACKEND=memory, and XDG_STATE_HOME, XDG_CONFIG_HOME and XDG_DATA_HOME in a
 * temporary folder removed at exit, so that the decision log neither grows in the user's
 * folder nor outlives the run.  Returns that folder, for files of the target's own. */
const char *rg_fuzz_env_init (void);

/* Writes @size bytes of @data to @path, replacing what it held: a plain write, with none of
 * g_file_set_contents ()'s renaming and syncing, which would cost more than the target. */
void rg_fuzz_write_file (const char *path, const guint8 *data, gsize size);

G_END_DECLS
