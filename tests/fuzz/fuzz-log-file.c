/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-log-file.c - "rcptguard log" (common/cli/rg-cli-log.c) on any file content: the log is
 * a file in the user's folder that anything may have written or truncated, and the command
 * must name a bad line and go on, never crash.  The content is read through a memory file
 * with --file, as text, as JSON and as a summary.  What it prints is dropped by scripts/fuzz
 * (-close_fd_mask=3; libFuzzer keeps its own output).
 */
#include "rg-cli-log.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
run (const char *path, const char *format, int summary)
{
  char *argv[] = { "log", "--file", (char *) path, "--format", (char *) format,
                   summary ? "--summary" : NULL, NULL };
  int status = rg_cli_log_run (summary ? 6 : 5, argv);

  /* Shown (0), shown with a bad line (65), or a file that could not be read (70). */
  if (status != 0 && status != 65 && status != 70)
    abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  int fd = memfd_create ("decisions", MFD_CLOEXEC);
  char path[64];

  if (fd < 0)
    abort ();
  if (size > 0 && write (fd, data, size) != (ssize_t) size)
    abort ();
  snprintf (path, sizeof path, "/proc/self/fd/%d", fd);
  run (path, "text", 0);
  run (path, "json", 0);
  run (path, "text", 1);
  close (fd);
  return 0;
}
