/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * RgConfirmDialog: "Check recipients", shown modally on the composer when a recipient looks
 * like a slip or is blocked.  One row per flagged recipient with a per-row choice; three
 * answers: back to the message, send with the choices applied, or send as it is.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* gtk_dialog_run() answers.  Escape and closing the window give RG_CONFIRM_RESPONSE_EDIT. */
typedef enum {
  RG_CONFIRM_RESPONSE_EDIT = 1,      /* "_Edit Message": back to the message, nothing changed */
  RG_CONFIRM_RESPONSE_CORRECTED = 2, /* "Send _Corrected": apply the row choices, then send */
  RG_CONFIRM_RESPONSE_ANYWAY = 3,    /* "Send _Anyway": send as typed (absent when blocked) */
} RgConfirmResponse;

typedef enum {
  RG_CONFIRM_CHOICE_KEEP,     /* keep the address as it is */
  RG_CONFIRM_CHOICE_CORRECT,  /* use the suggestion */
  RG_CONFIRM_CHOICE_REMOVE,   /* drop the recipient (the alternative for a blocked row) */
  RG_CONFIRM_CHOICE_TRUST,    /* keep it and always allow its domain ("Always allow DOMAIN";
                                 only for a row that is not blocked, see set_can_trust) */
} RgConfirmChoice;

#define RG_TYPE_CONFIRM_DIALOG (rg_confirm_dialog_get_type ())
G_DECLARE_FINAL_TYPE (RgConfirmDialog, rg_confirm_dialog, RG, CONFIRM_DIALOG, GtkDialog)

/* A dialog modal on @parent (may be NULL in tests). */
GtkWidget *rg_confirm_dialog_new (GtkWindow *parent);

/* Adds a row and returns its index (0, 1, ...).  @field is the translated header name ("To",
 * "Cc", "Bcc"); @name the recipient's display name or NULL; @address the address as it is in
 * the message; @domain its domain as the check saw it, for "Always allow" (NULL: no such
 * choice); @reason a translated sentence; @suggestion the corrected address or NULL;
 * @blocked whether the policy forbids @address.  The initial choice is CORRECT where there is
 * a suggestion, else KEEP (REMOVE when blocked).  Any blocked row without an override removes
 * "Send _Anyway" (see set_allow_override). */
guint rg_confirm_dialog_add_row (RgConfirmDialog *self,
                                 const char      *field,
                                 const char      *name,
                                 const char      *address,
                                 const char      *domain,
                                 const char      *reason,
                                 const char      *suggestion,
                                 gboolean         blocked);

/* How many recipients the message has (To, Cc and Bcc, lists expanded: what was checked),
 * flagged or not; never taken for fewer than the rows.  The count line says "3 of 150
 * recipients may be wrong", and "Send _Corrected" is insensitive while the choices would
 * remove every recipient. */
void rg_confirm_dialog_set_n_recipients (RgConfirmDialog *self, guint n_recipients);
guint rg_confirm_dialog_get_n_recipients (RgConfirmDialog *self);

/* Whether "Always allow DOMAIN" can be offered: the caller can add to the user's trusted
 * domains (the key is not locked).  FALSE by default. */
void rg_confirm_dialog_set_can_trust (RgConfirmDialog *self, gboolean can_trust);

/* Whether the administrator locked the block list: the heading then says "Your administrator
 * does not allow ...", else "You asked never to send to ...".  FALSE by default. */
void rg_confirm_dialog_set_block_locked (RgConfirmDialog *self, gboolean locked);

/* Whether a blocked row may still be sent as typed (the admin's allow-block-override);
 * FALSE by default. */
void rg_confirm_dialog_set_allow_override (RgConfirmDialog *self, gboolean allow);
gboolean rg_confirm_dialog_get_allow_override (RgConfirmDialog *self);

guint rg_confirm_dialog_get_n_rows (RgConfirmDialog *self);
RgConfirmChoice rg_confirm_dialog_get_choice (RgConfirmDialog *self, guint row);
void rg_confirm_dialog_set_choice (RgConfirmDialog *self, guint row, RgConfirmChoice choice);

/* The fallback when the check itself failed: "Recipients could not be checked", what to do
 * in plain words, "_Edit Message" (default) and "Send _Anyway"; @detail, the technical reason
 * (or NULL), is behind a "Details" expander. */
GtkWidget *rg_confirm_dialog_new_failed (GtkWindow *parent, const char *detail);

/* The same when the policy (on-error "block") forbids sending unchecked mail: only
 * "_Edit Message".  @locked: whether the administrator locked on-error (the text says whose
 * policy it is). */
GtkWidget *rg_confirm_dialog_new_refused (GtkWindow  *parent,
                                          const char *detail,
                                          gboolean    locked);

G_END_DECLS
