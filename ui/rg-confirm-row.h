/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * RgConfirmRow: one flagged recipient in RgConfirmDialog.  It shows the field, the recipient
 * ("Name <address>"), the reason and the suggestion, and offers the choices that make sense
 * for it: "use the suggestion", "keep this address" or "always allow its domain" for a
 * warning, "use the suggestion" or "remove" for a blocked address; without a suggestion only
 * the others.
 *
 * Internal to ui/: the dialog's public header is the API.
 */
#pragma once

#include <gtk/gtk.h>

#include "rg-confirm-dialog.h"

G_BEGIN_DECLS

#define RG_TYPE_CONFIRM_ROW (rg_confirm_row_get_type ())
G_DECLARE_FINAL_TYPE (RgConfirmRow, rg_confirm_row, RG, CONFIRM_ROW, GtkBox)

GtkWidget *rg_confirm_row_new (const char *field,
                               const char *name,
                               const char *address,
                               const char *domain,
                               const char *reason,
                               const char *suggestion,
                               gboolean    blocked);

gboolean rg_confirm_row_offers_choice (RgConfirmRow *self, RgConfirmChoice choice);
RgConfirmChoice rg_confirm_row_get_choice (RgConfirmRow *self);
void rg_confirm_row_set_choice (RgConfirmRow *self, RgConfirmChoice choice);
GtkWidget *rg_confirm_row_get_field_label (RgConfirmRow *self);
void rg_confirm_row_set_can_trust (RgConfirmRow *self, gboolean can_trust);

G_END_DECLS
