/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-fuzz-env.c - see rg-fuzz-env.h.
 */
#define _XOPEN_SOURCE 700

#include <glib.h>

#include "rg-fuzz-env.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <unistd.h>

static char *temp_dir;

static int
remove_entry (const char        *path,
              const struct stat *st,
              int                flag,
              struct FTW        *ftw)
{
  (void) st;
  (void) flag;
  (void) ftw;
  remove (path);
  return 0;
}

static void
remove_temp_dir (void)
{
  nftw (temp_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
  g_free (temp_dir);
}

/* The folders in @parent of processes that are gone: libFuzzer ends a run, or a job of fork
 * mode, with _Exit (), and a crash ends it with abort (); neither calls atexit ()'s
 * functions.  Each folder is named after its process ("rcptguard-fuzz-PID-XXXXXX"). */
static void
remove_stale_dirs (const char *parent)
{
  g_autoptr (GDir) dir = g_dir_open (parent, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      long pid = 0;
      int end = 0;

      if (sscanf (name, "rcptguard-fuzz-%ld-%n", &pid, &end) != 1 || end == 0 || pid <= 0
          || kill ((pid_t) pid, 0) == 0 || errno != ESRCH)
        continue;
      path = g_build_filename (parent, name, NULL);
      nftw (path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    }
}

const char *
rg_fuzz_env_init (void)
{
  static const char *const homes[] = { "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME" };

  if (temp_dir != NULL)
    return temp_dir;
  /* In memory where there is a tmpfs: on ext4, truncating a file that held data makes
   * close () write it back (auto_da_alloc), a tenth of the time of fuzz-log-file. */
  {
    const char *parent = g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR)
                           && access ("/dev/shm", W_OK) == 0 ? "/dev/shm" : g_get_tmp_dir ();
    g_autofree char *name = g_strdup_printf ("rcptguard-fuzz-%ld-XXXXXX", (long) getpid ());

    remove_stale_dirs (parent);
    temp_dir = g_build_filename (parent, name, NULL);
  }
  if (g_mkdtemp (temp_dir) == NULL)
    abort ();
  atexit (remove_temp_dir);
  for (gsize i = 0; i < G_N_ELEMENTS (homes); i++)
    {
      g_autofree char *path = g_build_filename (temp_dir, homes[i], NULL);

      g_setenv (homes[i], path, TRUE);
    }
  g_setenv ("GSETTINGS_SCHEMA_DIR", RG_FUZZ_SCHEMA_DIR, FALSE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  return temp_dir;
}

void
rg_fuzz_write_file (const char   *path,
                    const guint8 *data,
                    gsize         size)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

  if (fd < 0 || (size > 0 && write (fd, data, size) != (ssize_t) size) || close (fd) != 0)
    abort ();
}
