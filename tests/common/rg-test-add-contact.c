/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-test-add-contact [--book UID] NAME EMAIL [NAME EMAIL...]
 *
 * Adds one contact per NAME EMAIL pair to the built-in system address book of the current
 * D-Bus session (or to the address book whose source has the uid UID), through the real
 * evolution-data-server services.  The end-to-end and
 * integration tests run it inside a throwaway session before they start Evolution, so that
 * the address book the module reads really holds the contacts.  Exit status 0 once every
 * contact is stored, 1 on an error (printed), 64 on a usage error.
 */
#include <stdio.h>
#include <stdlib.h>

#include <libebook/libebook.h>

/* Do not wait for the backend to report itself connected: the built-in book is a local file
 * backend with nothing to connect to, and in a session without a network it never reports it
 * (30 s ran out with 30; 0 waits forever).  (guint32) -1 skips the wait; the D-Bus calls
 * themselves keep GDBus's own timeouts. */
#define RG_TEST_CONNECT_NO_WAIT ((guint32) -1)

static EContact *
contact_new (const char *name,
             const char *email)
{
  EContact *contact = e_contact_new ();

  e_contact_set (contact, E_CONTACT_FULL_NAME, name);
  e_contact_set (contact, E_CONTACT_EMAIL_1, email);
  return contact;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ESourceRegistry) registry = NULL;
  g_autoptr (ESource) source = NULL;
  g_autoptr (EClient) client = NULL;
  GSList *contacts = NULL;
  GSList *added_uids = NULL;
  const char *book_uid = NULL;
  int first = 1;
  gboolean added;
  guint n_added;

  if (argc > 2 && g_strcmp0 (argv[1], "--book") == 0)
    {
      book_uid = argv[2];
      first = 3;
    }
  if (argc - first < 2 || (argc - first) % 2 != 0)
    {
      fprintf (stderr, "usage: %s [--book UID] NAME EMAIL [NAME EMAIL...]\n", argv[0]);
      return 64;
    }

  registry = e_source_registry_new_sync (NULL, &error);
  if (registry == NULL)
    {
      fprintf (stderr, "rg-test-add-contact: source registry: %s\n", error->message);
      return 1;
    }
  if (book_uid != NULL)
    source = e_source_registry_ref_source (registry, book_uid);
  else
    source = e_source_registry_ref_builtin_address_book (registry);
  if (source == NULL)
    {
      fprintf (stderr, "rg-test-add-contact: no address book %s\n",
               book_uid != NULL ? book_uid : "built in");
      return 1;
    }
  client = e_book_client_connect_sync (source, RG_TEST_CONNECT_NO_WAIT, NULL, &error);
  if (client == NULL)
    {
      fprintf (stderr, "rg-test-add-contact: connect to %s: %s\n",
               e_source_get_display_name (source), error->message);
      return 1;
    }

  for (int i = first; i + 1 < argc; i += 2)
    contacts = g_slist_prepend (contacts, contact_new (argv[i], argv[i + 1]));
  contacts = g_slist_reverse (contacts);

  added = e_book_client_add_contacts_sync (E_BOOK_CLIENT (client), contacts,
                                           E_BOOK_OPERATION_FLAG_NONE, &added_uids, NULL,
                                           &error);
  g_slist_free_full (contacts, g_object_unref);
  if (!added)
    {
      fprintf (stderr, "rg-test-add-contact: add contacts: %s\n", error->message);
      return 1;
    }
  n_added = g_slist_length (added_uids);
  g_slist_free_full (added_uids, g_free);

  /* A short count means a contact went missing: the test built on it would be meaningless. */
  if (n_added != (guint) ((argc - first) / 2))
    {
      fprintf (stderr, "rg-test-add-contact: %u of %d contacts added\n", n_added,
               (argc - first) / 2);
      return 1;
    }
  printf ("rg-test-add-contact: %u contacts added to %s\n", n_added,
          e_source_get_display_name (source));
  return 0;
}
