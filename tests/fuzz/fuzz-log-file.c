/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-log-file.c - "rcptguard log" (common/cli/rg-cli-log.c) on any file content: the log is
 * a file in the user's folder that anything may have written or truncated, and the command
 * must name a bad line and go on, never crash.  The content is read with --file from regular
 * files in a temporary folder (the log refuses symbolic links, so a memory file's
 * /proc/self/fd/N would not be read at all).  A form feed splits the input into the rotated
 * files: "A\fB\fC" is decisions.jsonl.2 (A), .1 (B) and decisions.jsonl (C), read oldest
 * first.  What it prints is dropped by scripts/fuzz (-close_fd_mask=3; libFuzzer keeps its
 * own output).
 *
 * Speed: each run of the command costs about 0.3 ms under ASan: allocations of its buffers
 * (64 KiB to read, 128 KiB to write), opening the log's files, and a GError built for each
 * rotated file it looks for and does not find (up to .99, RG_JSONL_FILE_MAX_KEEP), which
 * only rg-jsonl-file.c could spare.  Three runs per input, as this target did before, and
 * files rewritten through g_file_set_contents () made under 900 inputs a second; now each
 * input runs the command once, in the output format its length chooses (text, JSON,
 * summary: the fuzzer reaches all three), the files are written in place in a tmpfs, and
 * only when they change.  The seeds and past crashes replayed by meson test run in all
 * three formats.
 */
#include "rg-cli-log.h"
#include "rg-fuzz-env.h"

#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* decisions.jsonl and the rotated files its writer keeps, .1 (newest) to .4. */
#define N_PARTS 5

static void
run (const char *path, int mode)
{
  char *argv[] = { "log", "--file", (char *) path, "--format", mode == 1 ? "json" : "text",
                   mode == 2 ? "--summary" : NULL, NULL };
  int status = rg_cli_log_run (mode == 2 ? 6 : 5, argv);

  /* Shown (0), or shown with a bad line (65): the files are there and readable. */
  if (status != 0 && status != 65)
    abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static char *paths[N_PARTS]; /* decisions.jsonl, then .1 to .4 */
  static size_t written[N_PARTS]; /* what each holds: an empty one is left as it is */
  const uint8_t *pieces[N_PARTS];
  size_t lengths[N_PARTS];
  size_t n = 0;

  if (paths[0] == NULL)
    {
      const char *folder = rg_fuzz_env_init ();
      g_autofree char *lock = NULL;

      paths[0] = g_build_filename (folder, "decisions.jsonl", NULL);
      for (guint i = 1; i < N_PARTS; i++)
        {
          paths[i] = g_strdup_printf ("%s.%u", paths[0], i);
          rg_fuzz_write_file (paths[i], NULL, 0);
        }
      /* The lock, which readers take when it is there. */
      lock = g_strconcat (paths[0], ".lock", NULL);
      rg_fuzz_write_file (lock, NULL, 0);
    }

  /* Pieces oldest first; the last takes the rest of the input. */
  for (const uint8_t *piece = data, *end = data + size; n < N_PARTS; n++)
    {
      const uint8_t *ff = n + 1 < N_PARTS ? memchr (piece, '\f', (size_t) (end - piece)) : NULL;

      pieces[n] = piece;
      lengths[n] = (size_t) ((ff != NULL ? ff : end) - piece);
      if (ff == NULL)
        {
          n++;
          break;
        }
      piece = ff + 1;
    }
  /* The newest piece is decisions.jsonl, the one before it .1, and so on; the files of the
   * log the input has no piece for are empty. */
  for (size_t i = 0; i < N_PARTS; i++)
    {
      size_t length = i < n ? lengths[n - 1 - i] : 0;

      if (length > 0 || written[i] > 0 || i == 0)
        rg_fuzz_write_file (paths[i], i < n ? pieces[n - 1 - i] : NULL, length);
      written[i] = length;
    }

#ifdef RG_FUZZ_REPLAY
  for (int mode = 0; mode < 3; mode++)
    run (paths[0], mode);
#else
  run (paths[0], (int) (size % 3));
#endif
  return 0;
}
