/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * RgDomainList: one of the domain lists of the settings (trusted-domains, known-domains,
 * warn-domains, block-domains) as the Preferences page shows it: its entries, an entry field
 * with "Add" (Enter adds too), "Remove" for the selected entry, and a message under the field
 * when what was typed is refused (the text then stays, selected, so that typing replaces
 * it).  Only domains that rg_settings_validate_domain () accepts are written, lower-cased,
 * once each.  While the key is locked the list is read-only and says "Set by your
 * administrator".
 *
 * Internal to ui/: RgPreferencesPage is the API.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define RG_TYPE_DOMAIN_LIST (rg_domain_list_get_type ())
G_DECLARE_FINAL_TYPE (RgDomainList, rg_domain_list, RG, DOMAIN_LIST, GtkBox)

/* @key is the settings key (construct-only); @title a translated heading with a mnemonic
 * ("_Trusted domains"), which names the list, the field and the buttons for screen readers;
 * @description a translated sentence or NULL.  Nothing is shown or written until
 * rg_domain_list_set_settings(). */
GtkWidget *rg_domain_list_new (const char *key, const char *title, const char *description);

/* Shows and edits @key of @settings from now on.  Once only. */
void rg_domain_list_set_settings (RgDomainList *self, GSettings *settings);

const char *rg_domain_list_get_key (RgDomainList *self);

G_END_DECLS
