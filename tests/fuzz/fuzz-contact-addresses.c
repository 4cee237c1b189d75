/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-contact-addresses.c - the e-mail fields of a contact as evolution-data-server hands
 * them to common/glib/rg-book.c: a vCard (what a book view sends over D-Bus), parsed by
 * libebook into an EContact whose EMAIL list RgBook reads.  An input that does not start with
 * "BEGIN:VCARD" is taken as one address per line, as they would be after parsing, so that the
 * fuzzer also reaches bytes a vCard parser would change.
 *
 * RgBook turns a contact into domains in rg_book_acquire_contact () and fold_address (), which
 * are static and need a live book view; what is public of that path runs here:
 * rg_book_domain_from_address () on every address, and rg_book_set_own_addresses (), which
 * folds them with fold_address ().  A domain must be one key whatever its case and form:
 * UTF-8 in NFC, with nothing of an address left in it, and folding it again changes nothing.
 * Then it goes to the core as a known domain, as RgKnownDomains hands it.
 */
#include "rg-book.h"

#include <libebook/libebook.h>
#include <rcptguard.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_domain (const char *address,
              rg_config  *config)
{
  g_autofree char *domain = rg_book_domain_from_address (address);
  g_autofree char *nfc = NULL;
  g_autofree char *again_address = NULL;
  g_autofree char *again = NULL;

  if (domain == NULL)
    return;
  if (domain[0] == '\0' || !g_utf8_validate (domain, -1, NULL))
    abort ();
  nfc = g_utf8_normalize (domain, -1, G_NORMALIZE_NFC);
  if (nfc == NULL || strcmp (nfc, domain) != 0)
    abort ();
  for (const char *p = domain; *p != '\0'; p++)
    if (*p == '@' || *p == '>' || g_ascii_isspace (*p) || g_ascii_isupper (*p))
      abort ();
  again_address = g_strconcat ("x@", domain, NULL);
  again = rg_book_domain_from_address (again_address);
  /* A domain ending in a dot loses it again ("." then has nothing left), and one that lower
   * case made longer than a book keeps is dropped; anything else comes back as it is. */
  if (again == NULL)
    {
      if (strcmp (domain, ".") != 0 && strlen (domain) <= 4 * RG_MAX_DOMAIN_OCTETS)
        abort ();
    }
  else if (strcmp (again, domain) != 0 && !g_str_has_suffix (domain, "."))
    abort ();
  rg_config_add_known (config, domain, 1);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static RgBook *book;
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr (GPtrArray) addresses = g_ptr_array_new_with_free_func (g_free);
  rg_config *config = rg_config_new ();
  rg_checker *checker = NULL;

  if (book == NULL)
    {
      g_autoptr (ESource) source = e_source_new (NULL, NULL, NULL);

      if (source == NULL)
        abort ();
      book = rg_book_new (source);
    }

  if (g_str_has_prefix (text, "BEGIN:VCARD"))
    {
      EContact *contact = e_contact_new_from_vcard (text);
      GList *emails = e_contact_get (contact, E_CONTACT_EMAIL);

      for (GList *link = emails; link != NULL; link = link->next)
        g_ptr_array_add (addresses, g_steal_pointer (&link->data));
      g_list_free (emails);
      g_object_unref (contact);
    }
  else
    {
      g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        g_ptr_array_add (addresses, g_steal_pointer (&lines[i]));
    }
  for (guint i = 0; i < addresses->len; i++)
    check_domain (g_ptr_array_index (addresses, i), config);
  g_ptr_array_add (addresses, NULL);
  rg_book_set_own_addresses (book, (const char *const *) addresses->pdata);
  if (rg_book_get_n_contacts (book) != 0)
    abort ();

  if (rg_checker_new (config, &checker) != RG_OK)
    abort ();
  rg_checker_free (checker);
  rg_config_free (config);
  return 0;
}
