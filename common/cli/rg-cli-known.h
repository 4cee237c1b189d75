/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-cli-known.h - known domains from the command line and from --known files.
 */
#pragma once

#include "rcptguard.h"
#include "rg-cli-error.h"

RgCliExit rg_cli_known_add_value (rg_config *config, const char *option, const char *value,
                                  rg_source source);
RgCliExit rg_cli_known_add_file (rg_config *config, const char *path);
