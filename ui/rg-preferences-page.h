/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * RgPreferencesPage: the "Recipient Guard" page of Evolution's Edit → Preferences, bound to
 * the settings of org.rcptguard.RecipientGuard: checking on or off, the four domain lists,
 * the checks, what to do when a check fails, and the decision log.  Every change is written
 * at once (GNOME preferences have no Apply).  Keys an administrator locked are read-only and
 * say "Set by your administrator"; when GSettings does not store in dconf, where such locks
 * live, a warning bar says that the administrator's settings are not enforced.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define RG_TYPE_PREFERENCES_PAGE (rg_preferences_page_get_type ())
G_DECLARE_FINAL_TYPE (RgPreferencesPage, rg_preferences_page, RG, PREFERENCES_PAGE, GtkBox)

/* The page for @settings (of RG_SETTINGS_SCHEMA_ID, on GSettings' default backend). */
GtkWidget *rg_preferences_page_new (GSettings *settings);

/* A page that only says why there are no settings to show (@message, translated), e.g. when
 * the schema is not installed. */
GtkWidget *rg_preferences_page_new_unavailable (const char *message);

/* The settings shown, or NULL on a page from rg_preferences_page_new_unavailable(); borrowed. */
GSettings *rg_preferences_page_get_settings (RgPreferencesPage *self);

G_END_DECLS
