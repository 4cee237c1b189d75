/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-cli-format.h - how a finding is printed: JSON Lines, tab-separated or text for people.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "rcptguard.h"

typedef enum {
  RG_CLI_FORMAT_TEXT,
  RG_CLI_FORMAT_JSON,
  RG_CLI_FORMAT_TSV,
} RgCliFormat;

gboolean rg_cli_format_from_string (const char *name, RgCliFormat *format);
void rg_cli_format_finding (RgCliFormat format, const rg_finding *finding,
                            gboolean policy_locked, GString *out);

/* Appends what @builder built, as one line of compact JSON and a newline: the --format json
 * output of every command. */
void rg_cli_format_append_json_line (GString *out, JsonBuilder *builder);
