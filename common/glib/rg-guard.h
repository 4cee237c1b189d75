/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * RgGuard: a checker that is always ready at Send and kept current in the background.
 *
 * It starts with the core's built-in providers and the settings' policy, so a Send in the
 * first second after start is still checked, then loads the user's address books and
 * identities (RgKnownDomains) and rebuilds the checker whenever they or the settings change.
 * The check itself is the core's, in the caller's thread; nothing here waits for an address
 * book.
 */
#pragma once

#include <gio/gio.h>
#include <rcptguard.h>

#include "rg-known-domains.h"

G_BEGIN_DECLS

#define RG_GUARD_ERROR (rg_guard_error_quark ())
GQuark rg_guard_error_quark (void);

/* The GError codes of this layer: the core's rg_status values, as they are. */

#define RG_TYPE_GUARD (rg_guard_get_type ())
G_DECLARE_FINAL_TYPE (RgGuard, rg_guard, RG, GUARD, GObject)

/* A guard over @known (which it starts loading, in the caller's thread-default main
 * context, unless it is already loaded) with the policy of @settings (of the schema
 * RG_SETTINGS_SCHEMA_ID; NULL: the built-in defaults and no policy, as the command line's
 * --no-settings).  @settings is referenced and followed: a change rebuilds the checker. */
RgGuard *rg_guard_new (RgKnownDomains *known, GSettings *settings);

/* A guard over @known with the user's settings (rg_settings_new()); when the schema is not
 * installed, with a warning in the log and the built-in defaults. */
RgGuard *rg_guard_new_for_user (RgKnownDomains *known);

RgKnownDomains *rg_guard_get_known_domains (RgGuard *self);

/* The settings followed, or NULL; borrowed, as long as @self. */
GSettings *rg_guard_get_settings (RgGuard *self);

/* Whether recipients are to be checked at all (the key "enabled"; TRUE without settings). */
gboolean rg_guard_get_enabled (RgGuard *self);

/* Whether a blocked recipient may be sent to anyway ("allow-block-override"; FALSE without
 * settings). */
gboolean rg_guard_get_allow_block_override (RgGuard *self);

/* Checks @n_lists address lists with the current checker.  On failure (no checker could be
 * built, or the core refused the input as a whole) returns NULL with @error set
 * (RG_GUARD_ERROR, the core's rg_status as code).  Free the report with rg_report_free(). */
rg_report *rg_guard_check (RgGuard            *self,
                           const char *const  *lists,
                           gsize               n_lists,
                           GError            **error);

G_END_DECLS
