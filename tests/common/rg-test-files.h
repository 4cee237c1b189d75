/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-test-files.h - removing a test's own folders when it is done.
 */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>

/* Removes @path and, when it is a folder, everything in it.  For a test's own folders only:
 * a link to a folder is followed. */
static inline void
rg_test_remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      rg_test_remove_tree (child);
    }
  g_remove (path);
}
