/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "rg-recipients.h"

typedef struct {
  RgField field;
  guint top;            /* index of the top-level destination in its field */
  EDestination *dest;   /* borrowed: the top-level destination, or a member of its list */
  gboolean is_member;   /* @dest is a member of a contact list */
} RgRecipient;

struct _RgRecipients
{
  EDestination **fields[RG_N_FIELDS];
  GArray *recipients;   /* of RgRecipient */
  GPtrArray *lists;     /* of char *, NULL-terminated: what is checked */
  GHashTable *expand;   /* of EDestination *: top-level lists to replace by their members */
  GHashTable *removed;  /* of EDestination *: destinations to leave out */
};

static void
add_recipient (RgRecipients *self,
               RgField       field,
               guint         top,
               EDestination *dest,
               gboolean      is_member)
{
  RgRecipient recipient = { field, top, dest, is_member };
  const char *email = e_destination_get_email (dest);

  /* What the user typed and Evolution could not read as an address still goes to the check,
   * which says why it is not one; an empty entry says nothing. */
  if (email == NULL || *email == '\0')
    email = e_destination_get_textrep (dest, FALSE);
  if (email == NULL || *email == '\0')
    return;

  g_array_append_val (self->recipients, recipient);
  g_ptr_array_add (self->lists, g_strdup (email));
}

RgRecipients *
rg_recipients_new (EDestination **to,
                   EDestination **cc,
                   EDestination **bcc)
{
  RgRecipients *self = g_new0 (RgRecipients, 1);

  self->fields[RG_FIELD_TO] = to;
  self->fields[RG_FIELD_CC] = cc;
  self->fields[RG_FIELD_BCC] = bcc;
  self->recipients = g_array_new (FALSE, FALSE, sizeof (RgRecipient));
  self->lists = g_ptr_array_new_with_free_func (g_free);
  self->expand = g_hash_table_new (NULL, NULL);
  self->removed = g_hash_table_new (NULL, NULL);

  for (RgField field = 0; field < RG_N_FIELDS; field++)
    {
      for (guint i = 0; self->fields[field] != NULL && self->fields[field][i] != NULL; i++)
        {
          EDestination *dest = self->fields[field][i];

          if (e_destination_is_evolution_list (dest))
            {
              for (const GList *l = e_destination_list_get_dests (dest); l != NULL; l = l->next)
                add_recipient (self, field, i, l->data, TRUE);
            }
          else
            add_recipient (self, field, i, dest, FALSE);
        }
    }
  g_ptr_array_add (self->lists, NULL);

  return self;
}

void
rg_recipients_free (RgRecipients *self)
{
  if (self == NULL)
    return;

  for (RgField field = 0; field < RG_N_FIELDS; field++)
    e_destination_freev (self->fields[field]);
  g_array_unref (self->recipients);
  g_ptr_array_unref (self->lists);
  g_hash_table_unref (self->expand);
  g_hash_table_unref (self->removed);
  g_free (self);
}

const char *const *
rg_recipients_get_lists (RgRecipients *self,
                         gsize        *n)
{
  *n = self->recipients->len;
  return (const char *const *) self->lists->pdata;
}

RgField
rg_recipients_get_field (RgRecipients *self,
                         gsize         index)
{
  g_return_val_if_fail (index < self->recipients->len, RG_FIELD_TO);

  return g_array_index (self->recipients, RgRecipient, index).field;
}

const char *
rg_recipients_get_name (RgRecipients *self,
                        gsize         index)
{
  const char *name;

  g_return_val_if_fail (index < self->recipients->len, NULL);

  name = e_destination_get_name (g_array_index (self->recipients, RgRecipient, index).dest);
  return name != NULL && name[0] != '\0' ? name : NULL;
}

const char *
rg_field_get_label (RgField field)
{
  switch (field)
    {
    case RG_FIELD_TO:
      return C_("header", "To");
    case RG_FIELD_CC:
      return C_("header", "Cc");
    case RG_FIELD_BCC:
      return C_("header", "Bcc");
    case RG_N_FIELDS:
    default:
      break;
    }
  g_return_val_if_reached ("");
}

static RgRecipient *
get_recipient (RgRecipients *self,
               gsize         index)
{
  RgRecipient *recipient;

  g_return_val_if_fail (index < self->recipients->len, NULL);

  recipient = &g_array_index (self->recipients, RgRecipient, index);
  if (recipient->is_member)
    g_hash_table_add (self->expand, self->fields[recipient->field][recipient->top]);
  return recipient;
}

void
rg_recipients_correct (RgRecipients *self,
                       gsize         index,
                       const char   *address)
{
  RgRecipient *recipient = get_recipient (self, index);

  g_return_if_fail (address != NULL);

  if (recipient != NULL)
    e_destination_set_email (recipient->dest, address);
}

void
rg_recipients_remove (RgRecipients *self,
                      gsize         index)
{
  RgRecipient *recipient = get_recipient (self, index);

  if (recipient != NULL)
    g_hash_table_add (self->removed, recipient->dest);
}

EDestination **
rg_recipients_dup_field (RgRecipients *self,
                         RgField       field)
{
  GPtrArray *out = g_ptr_array_new ();
  EDestination **dests = self->fields[field];

  for (guint i = 0; dests != NULL && dests[i] != NULL; i++)
    {
      if (g_hash_table_contains (self->expand, dests[i]))
        {
          for (const GList *l = e_destination_list_get_dests (dests[i]); l != NULL; l = l->next)
            if (!g_hash_table_contains (self->removed, l->data))
              g_ptr_array_add (out, e_destination_copy (l->data));
        }
      else if (!g_hash_table_contains (self->removed, dests[i]))
        g_ptr_array_add (out, e_destination_copy (dests[i]));
    }
  g_ptr_array_add (out, NULL);

  return (EDestination **) g_ptr_array_free (out, FALSE);
}
