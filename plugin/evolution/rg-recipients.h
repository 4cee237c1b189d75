/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * RgRecipients: the To, Cc and Bcc recipients of a composer, flattened for the check (contact
 * lists expanded into their members) and changed back in place after the user's choices.
 */
#pragma once

#include <libebook/libebook.h>

G_BEGIN_DECLS

typedef enum {
  RG_FIELD_TO,
  RG_FIELD_CC,
  RG_FIELD_BCC,
  RG_N_FIELDS
} RgField;

typedef struct _RgRecipients RgRecipients;

/* Takes ownership of three NULL-terminated destination arrays (any may be NULL), as
 * e_composer_header_table_get_destinations_to() and friends return them. */
RgRecipients *rg_recipients_new (EDestination **to,
                                 EDestination **cc,
                                 EDestination **bcc);
void rg_recipients_free (RgRecipients *self);

/* The addresses to check, one address list each, in the order of the fields; borrowed, valid
 * as long as @self.  Entry i of the check's report refers to recipient i. */
const char *const *rg_recipients_get_lists (RgRecipients *self, gsize *n);

RgField rg_recipients_get_field (RgRecipients *self, gsize index);

/* The display name of recipient @index ("Ops Center" of "Ops Center <ops@army.mil>"), or NULL
 * when it has none; borrowed, valid as long as @self. */
const char *rg_recipients_get_name (RgRecipients *self, gsize index);
const char *rg_field_get_label (RgField field);

/* Changes recipient @index to @address (keeping its display name), or drops it.  A member of
 * a contact list that is changed or dropped turns its list into the list's members, so the
 * others still receive the message. */
void rg_recipients_correct (RgRecipients *self, gsize index, const char *address);
void rg_recipients_remove (RgRecipients *self, gsize index);

/* The destinations of @field with the changes applied: a new NULL-terminated array, to be
 * handed back to the composer and freed with e_destination_freev(). */
EDestination **rg_recipients_dup_field (RgRecipients *self, RgField field);

G_END_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RgRecipients, rg_recipients_free)
