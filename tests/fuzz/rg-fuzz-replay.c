/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-fuzz-replay.c - runs a fuzz target on files, without libFuzzer.
 *
 * Every build links the fuzz targets with this main, and `meson test --suite fuzz` replays
 * each target's seed corpus (<target>.in/) and past crashes (<target>.repro/) through them,
 * under the build's sanitizers if any.  Fuzzing proper is scripts/fuzz.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Corpus files are small; a larger one is a mistake in the tree, not an input. */
#define RG_FUZZ_MAX_INPUT (8u * 1024u * 1024u)

static int
run_file (const char *path)
{
  FILE *f = fopen (path, "rb");
  uint8_t *data;
  size_t n;

  if (f == NULL)
    {
      perror (path);
      return 1;
    }
  data = malloc (RG_FUZZ_MAX_INPUT);
  if (data == NULL)
    {
      fclose (f);
      return 1;
    }
  n = fread (data, 1, RG_FUZZ_MAX_INPUT, f);
  fclose (f);
  /* A copy of exactly the input's size, so that the sanitizers see any read past its end. */
  {
    uint8_t *exact = malloc (n ? n : 1);

    if (exact == NULL)
      {
        free (data);
        return 1;
      }
    memcpy (exact, data, n);
    free (data);
    LLVMFuzzerTestOneInput (exact, n);
    free (exact);
  }
  return 0;
}

int
main (int argc, char **argv)
{
  int failed = 0, count = 0;

  for (int i = 1; i < argc; i++)
    {
      struct stat st;
      DIR *dir;
      struct dirent *entry;

      if (stat (argv[i], &st) != 0)
        continue; /* a target with no past crashes has no .repro folder */
      if (!S_ISDIR (st.st_mode))
        {
          failed |= run_file (argv[i]);
          count++;
          continue;
        }
      dir = opendir (argv[i]);
      if (dir == NULL)
        {
          perror (argv[i]);
          return 1;
        }
      while ((entry = readdir (dir)) != NULL)
        {
          char path[4096];

          if (entry->d_name[0] == '.')
            continue;
          snprintf (path, sizeof path, "%s/%s", argv[i], entry->d_name);
          failed |= run_file (path);
          count++;
        }
      closedir (dir);
    }
  printf ("%d inputs replayed\n", count);
  return failed != 0 || count == 0;
}
