/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-cli-error.h - exit statuses of the rcptguard command and its one-line error messages.
 */
#pragma once

#include <glib.h>

#include "rcptguard.h"

/*
 * The exit statuses promised in DESIGN.md ("The rcptguard command").  64, 65 and 70 are
 * sysexits.h's EX_USAGE, EX_DATAERR and EX_SOFTWARE.
 */
typedef enum {
  RG_CLI_EXIT_OK = 0,        /* nothing to warn about (every verdict ok or notice) */
  RG_CLI_EXIT_WARN = 1,      /* at least one warning */
  RG_CLI_EXIT_BLOCK = 2,     /* at least one block */
  RG_CLI_EXIT_USAGE = 64,    /* the command line is wrong */
  RG_CLI_EXIT_BAD_INPUT = 65, /* an address list, a line or a known domain was rejected */
  RG_CLI_EXIT_INTERNAL = 70, /* out of memory, a library failure, a write error */
} RgCliExit;

RgCliExit rg_cli_exit_worst (RgCliExit a, RgCliExit b);
RgCliExit rg_cli_exit_from_verdict (rg_verdict verdict);
RgCliExit rg_cli_exit_from_status (rg_status status);

void rg_cli_error (const char *where, const char *format, ...) G_GNUC_PRINTF (2, 3);

/* A usage error of @command ("check", "log", ...): the message, and where help is. */
void rg_cli_usage_error (const char *command, const char *format, ...) G_GNUC_PRINTF (2, 3);

char *rg_cli_sentence_tail (const char *sentence);
char *rg_cli_describe_status (rg_status status);
char *rg_cli_quote (const char *text, gsize len);
