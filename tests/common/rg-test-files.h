/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-test-files.h - a test's own files: their permissions, and removing them when it is done.
 */
#pragma once

#include <sys/stat.h>

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

/* Asserts that @path (not followed if a link) has the permission bits @mode, e.g. 0600. */
static inline void
rg_test_assert_mode (const char *path,
                     guint       mode)
{
  struct stat st;

  g_assert_cmpint (g_lstat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 07777, ==, mode);
}
