/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-known-file.c - the reader of --known files (common/cli) on any file content, read
 * through a memory file so that the real reader, line splitting included, is what runs.
 */
#include "rg-cli-known.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  int fd = memfd_create ("known", MFD_CLOEXEC);
  char path[64];
  rg_config *config;
  RgCliExit result;

  if (fd < 0)
    abort ();
  if (size > 0 && write (fd, data, size) != (ssize_t) size)
    abort ();
  snprintf (path, sizeof path, "/proc/self/fd/%d", fd);
  config = rg_config_new ();
  result = rg_cli_known_add_file (config, path);
  if (result != RG_CLI_EXIT_OK && result != RG_CLI_EXIT_BAD_INPUT
      && result != RG_CLI_EXIT_INTERNAL)
    abort ();
  rg_config_free (config);
  close (fd);
  return 0;
}
