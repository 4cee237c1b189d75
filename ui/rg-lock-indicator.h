/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * RgLockIndicator: a lock and "Set by your administrator", shown next to the control of a
 * settings key while the key is not writable (an administrator locked it in a system dconf
 * database).  A control that is merely insensitive leaves the user guessing; this says why.
 *
 * Internal to ui/: used by RgPreferencesPage and RgDomainList.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define RG_TYPE_LOCK_INDICATOR (rg_lock_indicator_get_type ())
G_DECLARE_FINAL_TYPE (RgLockIndicator, rg_lock_indicator, RG, LOCK_INDICATOR, GtkBox)

GtkWidget *rg_lock_indicator_new (void);

/* Follows the writability of @key in @settings from now on: visible while it is locked, and
 * @control (may be NULL) then tells screen readers why it is insensitive.  Once only. */
void rg_lock_indicator_bind (RgLockIndicator *self,
                             GSettings       *settings,
                             const char      *key,
                             GtkWidget       *control);

/* The key given to rg_lock_indicator_bind(), or NULL before; borrowed. */
const char *rg_lock_indicator_get_key (RgLockIndicator *self);

G_END_DECLS
