/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-cli-settings.h - the user's settings and address books, for the commands that read them.
 */
#pragma once

#include <gio/gio.h>

#include "rcptguard.h"
#include "rg-cli-error.h"
#include "rg-known-domains.h"

GSettings *rg_cli_settings_open (const char *where);
void rg_cli_settings_warn_backend (const char *where);
RgCliExit rg_cli_settings_apply (GSettings *settings, const char *where, rg_config *config);
void rg_cli_settings_add_address_books (rg_config *config);
RgKnownDomains *rg_cli_settings_load_address_books (GPtrArray **messages, GError **error);
