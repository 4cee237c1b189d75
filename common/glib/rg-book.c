/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "rcptguard"

#include "config.h"

#include "rg-book.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include <libebook/libebook.h>
#include <rcptguard.h>

/* e_book_client_connect() is told not to wait for the backend to reach its server.  The view
 * needs no connection: the local backend has nothing to connect to, and remote ones (CardDAV,
 * EWS, Google) answer from their local cache at once and report what the server changes
 * through the live view afterwards.  And the wait does not work outside the default main
 * context: evolution-data-server 3.46 delivers an ESource's "connection-status" through the
 * global default context, so under rg_known_domains_load_sync() (a private context) every
 * book would sit out the whole wait (measured: exactly the timeout, for a local book). */
#define CONNECT_WAIT_SECONDS ((guint32) -1)

/* Longest domain we keep, in bytes of UTF-8.  The core refuses a domain over 253 octets in
 * ASCII form (RG_MAX_DOMAIN_OCTETS); its Unicode form takes at most four bytes per code
 * point, so anything longer is refused anyway and would only cost memory here. */
#define MAX_DOMAIN_BYTES (4 * RG_MAX_DOMAIN_OCTETS)

/* A domain and how many contacts of the book have an address there.  Contacts refer to these
 * entries, and the count is their number of references: an entry goes when its last contact
 * does. */
typedef struct
{
  guint count;
  char name[];
} RgDomain;

/* A contact with at least one usable address.  Its addresses are kept so that it can be
 * counted again when the user's own addresses change. */
typedef struct
{
  char **addresses;   /* folded (fold_address ()), sorted, each once */
  RgDomain **domains; /* acquired: the distinct domains of the addresses that are not the
                       * user's own; NULL-terminated, maybe empty */
} RgContact;

struct _RgBook
{
  GObject parent_instance;

  ESource *source;
  char *uid;
  GCancellable *cancellable;
  EBookClient *client;
  EBookClientView *view;
  gulong view_handlers[4];

  /* Domain name → RgDomain (the key is the entry's own name). */
  GHashTable *domains;
  /* Contact uid → RgContact.  Only contacts with at least one usable address are here. */
  GHashTable *contacts;
  /* The user's own addresses, folded (a set): not counted as contacts. */
  GHashTable *own;

  gint64 start;
  gboolean loaded;
  gboolean closed;
};

enum
{
  SIGNAL_CHANGED,
  SIGNAL_LOADED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (RgBook, rg_book, G_TYPE_OBJECT)

/* ---------------------------------------------------------------------------------------- */
/* Addresses and domains */

/* The @length bytes at @text in lower case and NFC; NULL when they are not UTF-8.
 * Lower-casing goes code point by code point with g_unichar_tolower(), which does not depend
 * on the locale: g_utf8_strdown() would turn "I" into a dotless "ı" in a Turkish locale and
 * make two keys of one domain or address. */
static char *
fold_text (const char *text,
           gsize       length)
{
  g_autoptr (GString) lower = NULL;
  gboolean ascii = TRUE;

  for (gsize i = 0; i < length; i++)
    if ((guchar) text[i] >= 0x80)
      ascii = FALSE;
  if (ascii)
    return g_ascii_strdown (text, (gssize) length);
  if (!g_utf8_validate_len (text, length, NULL))
    return NULL;

  lower = g_string_sized_new (length);
  for (const char *p = text; p < text + length; p = g_utf8_next_char (p))
    g_string_append_unichar (lower, g_unichar_tolower (g_utf8_get_char (p)));
  return g_utf8_normalize (lower->str, (gssize) lower->len, G_NORMALIZE_NFC);
}

/**
 * rg_book_domain_from_address:
 * @address: (nullable): an address as an address book holds it
 *
 * The text after the last '@' up to white space or '>' (address books hold bare addresses,
 * but imported cards sometimes carry "Name <local@domain>"), without a trailing root dot, in
 * lower case and NFC, whatever the locale.  The core normalises again (IDNA) when the domain
 * is added; this only has to make one domain one key.
 *
 * Returns: (transfer full) (nullable): the domain, or %NULL when @address has none.
 * Since: 0.2
 */
char *
rg_book_domain_from_address (const char *address)
{
  const char *at = NULL;
  const char *start = NULL;
  const char *end = NULL;
  gsize length = 0;

  if (address == NULL)
    return NULL;
  at = strrchr (address, '@');
  if (at == NULL)
    return NULL;

  start = at + 1;
  while (*start != '\0' && g_ascii_isspace (*start))
    start++;
  end = start;
  while (*end != '\0' && !g_ascii_isspace (*end) && *end != '>')
    end++;
  if (end > start && end[-1] == '.')
    end--;

  length = (gsize) (end - start);
  if (length == 0 || length > MAX_DOMAIN_BYTES)
    return NULL;
  return fold_text (start, length);
}

/* @address as one key whatever its case: the local part (back from the last '@' to white
 * space or '<') folded as fold_text() does, '@', and rg_book_domain_from_address().  Local
 * parts may be case-sensitive by the RFC, but no server treats "Me@" and "me@" as two
 * people.  NULL when @address has no domain. */
static char *
fold_address (const char *address)
{
  g_autofree char *domain = rg_book_domain_from_address (address);
  g_autofree char *local = NULL;
  const char *at = NULL;
  const char *start = NULL;

  if (domain == NULL)
    return NULL;
  at = strrchr (address, '@');
  start = at;
  while (start > address && !g_ascii_isspace (start[-1]) && start[-1] != '<')
    start--;
  local = fold_text (start, (gsize) (at - start));
  /* A local part that is not UTF-8 is kept as it is: its domain still counts. */
  if (local == NULL)
    local = g_strndup (start, (gsize) (at - start));
  return g_strconcat (local, "@", domain, NULL);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static RgDomain *
rg_book_acquire_domain (RgBook     *self,
                        const char *name)
{
  RgDomain *domain = g_hash_table_lookup (self->domains, name);

  if (domain == NULL)
    {
      gsize length = strlen (name);

      domain = g_malloc (sizeof (RgDomain) + length + 1);
      domain->count = 0;
      memcpy (domain->name, name, length + 1);
      g_hash_table_insert (self->domains, domain->name, domain);
    }
  domain->count++;
  return domain;
}

static void
rg_book_release_domains (RgBook    *self,
                         RgDomain **domains)
{
  gsize i = 0;

  for (i = 0; domains[i] != NULL; i++)
    {
      domains[i]->count--;
      if (domains[i]->count == 0)
        g_hash_table_remove (self->domains, domains[i]->name);
    }
}

static void
rg_contact_free (RgContact *contact)
{
  g_strfreev (contact->addresses);
  g_free (contact->domains);
  g_free (contact);
}

/* The distinct domains of @addresses (folded) that are not the user's own addresses,
 * acquired, as a NULL-terminated array, maybe empty.  Sorting makes the duplicates
 * neighbours: O(n log n) in the number of addresses, whatever a card holds. */
static RgDomain **
rg_book_acquire_domains (RgBook  *self,
                         char   **addresses)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  RgDomain **domains = NULL;
  guint n = 0;

  for (gsize i = 0; addresses[i] != NULL; i++)
    if (!g_hash_table_contains (self->own, addresses[i]))
      /* A folded address ends in '@' and its domain, which holds no '@'. */
      g_ptr_array_add (names, strrchr (addresses[i], '@') + 1);

  g_ptr_array_sort (names, compare_strings);
  domains = g_new0 (RgDomain *, names->len + 1);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      if (i > 0 && strcmp (name, g_ptr_array_index (names, i - 1)) == 0)
        continue;
      domains[n++] = rg_book_acquire_domain (self, name);
    }
  return domains;
}

/* Reads @contact's usable addresses and acquires their domains; NULL when it has none. */
static RgContact *
rg_book_acquire_contact (RgBook   *self,
                         EContact *contact)
{
  g_autoptr (GPtrArray) addresses = g_ptr_array_new_with_free_func (g_free);
  GList *emails = e_contact_get (contact, E_CONTACT_EMAIL);
  RgContact *result = NULL;
  guint n = 0;

  for (GList *link = emails; link != NULL; link = link->next)
    {
      char *address = fold_address (link->data);

      if (address != NULL)
        g_ptr_array_add (addresses, address);
    }
  g_list_free_full (emails, g_free);

  if (addresses->len == 0)
    return NULL;

  g_ptr_array_sort (addresses, compare_strings);
  result = g_new0 (RgContact, 1);
  result->addresses = g_new0 (char *, addresses->len + 1);
  for (guint i = 0; i < addresses->len; i++)
    {
      if (n > 0 && strcmp (addresses->pdata[i], result->addresses[n - 1]) == 0)
        continue;
      result->addresses[n++] = g_steal_pointer (&addresses->pdata[i]);
    }
  result->domains = rg_book_acquire_domains (self, result->addresses);
  return result;
}

/* Sets @contact (or none) as contact @uid, replacing what it had.  The new contact's domains
 * are acquired by the caller, so a domain the contact keeps never drops to zero on the way. */
static void
rg_book_set_contact (RgBook     *self,
                     const char *uid,
                     RgContact  *contact)
{
  RgContact *old = g_hash_table_lookup (self->contacts, uid);

  if (old != NULL)
    {
      rg_book_release_domains (self, old->domains);
      g_hash_table_remove (self->contacts, uid);
    }
  if (contact != NULL)
    g_hash_table_insert (self->contacts, g_strdup (uid), contact);
}

/* ---------------------------------------------------------------------------------------- */
/* The view */

static void
rg_book_update_contacts (RgBook       *self,
                         const GSList *objects)
{
  const GSList *link = NULL;

  for (link = objects; link != NULL; link = link->next)
    {
      EContact *contact = link->data;
      const char *uid = e_contact_get_const (contact, E_CONTACT_UID);
      RgContact *counted = NULL;

      if (uid == NULL)
        continue;
      /* A contact list is not a person.  Its members that are contacts are counted as
       * themselves, and counting the list as well would count one person twice, or a
       * hundred times for a list used in a hundred lists.  So a list counts for nothing, and
       * a contact that became a list loses what it counted. */
      if (!GPOINTER_TO_INT (e_contact_get (contact, E_CONTACT_IS_LIST)))
        counted = rg_book_acquire_contact (self, contact);
      rg_book_set_contact (self, uid, counted);
    }
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
on_view_objects_added (EBookClientView *view,
                       const GSList    *objects,
                       gpointer         user_data)
{
  rg_book_update_contacts (user_data, objects);
}

static void
on_view_objects_modified (EBookClientView *view,
                          const GSList    *objects,
                          gpointer         user_data)
{
  rg_book_update_contacts (user_data, objects);
}

static void
on_view_objects_removed (EBookClientView *view,
                         const GSList    *uids,
                         gpointer         user_data)
{
  RgBook *self = user_data;
  const GSList *link = NULL;

  for (link = uids; link != NULL; link = link->next)
    rg_book_set_contact (self, link->data, NULL);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
rg_book_set_loaded (RgBook *self)
{
  if (self->loaded)
    return;
  self->loaded = TRUE;
  g_debug ("known domains: address book “%s” (%s): %u contacts in %.0f ms",
           e_source_get_display_name (self->source), self->uid,
           g_hash_table_size (self->contacts),
           (g_get_monotonic_time () - self->start) / 1000.0);
  g_signal_emit (self, signals[SIGNAL_LOADED], 0);
}

static void
on_view_complete (EBookClientView *view,
                  const GError    *error,
                  gpointer         user_data)
{
  RgBook *self = user_data;

  /* A view that ends in error has still delivered what it could; keep that. */
  if (error != NULL)
    {
      /* Translators: said of an address book whose contacts were read in part (by
       * Evolution's log and by "rcptguard check").  The first %s is the book's name, the
       * second its id, the third the error. */
      g_autofree char *text = g_strdup_printf (_("address book “%s” (%s) stopped early: %s"),
                                               e_source_get_display_name (self->source),
                                               self->uid, error->message);

      /* "known domains: " stays English: the log's tag, which the command leaves out. */
      g_message ("known domains: %s", text);
    }
  rg_book_set_loaded (self);
}

static void
rg_book_fail (RgBook       *self,
              const char   *what,
              const GError *error)
{
  /* Translators: said of an address book that could not be read.  The first %s is the
   * book's name, the second its id, the third what failed ("cannot open it", ...), the
   * fourth the error. */
  g_autofree char *text = g_strdup_printf (_("skipping address book “%s” (%s): %s: %s"),
                                           e_source_get_display_name (self->source),
                                           self->uid, what, error->message);

  /* One broken book (a backend that is not installed, a server that refuses us) must not
   * take the others down: it is skipped, and said so where an administrator looks. */
  g_message ("known domains: %s", text);
  rg_book_set_loaded (self);
}

/* The asynchronous calls below hold a reference to the book: a book closed meanwhile (removed
 * from the registry) lives until they return, and they find it closed. */
static void
on_book_view (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (RgBook) self = user_data;
  g_autoptr (GError) error = NULL;
  EBookClientView *view = NULL;
  GSList *fields = NULL;

  /* EBookClientView has no g_autoptr() cleanup in evolution-data-server 3.46. */
  if (!e_book_client_get_view_finish (E_BOOK_CLIENT (object), result, &view, &error))
    {
      if (!self->closed)
        /* Translators: what failed with an address book (see "skipping address book"). */
        rg_book_fail (self, _("no view"), error);
      return;
    }
  if (self->closed)
    {
      g_object_unref (view);
      return;
    }

  /* Only what we count: backends that honour this (the local one does, from its summary)
   * send a few fields instead of whole cards with photos and certificates. */
  fields = g_slist_prepend (fields, (gpointer) e_contact_field_name (E_CONTACT_IS_LIST));
  fields = g_slist_prepend (fields, (gpointer) e_contact_field_name (E_CONTACT_EMAIL));
  fields = g_slist_prepend (fields, (gpointer) e_contact_field_name (E_CONTACT_UID));
  e_book_client_view_set_fields_of_interest (view, fields, &error);
  g_slist_free (fields);
  if (error != NULL)
    {
      g_debug ("known domains: address book “%s” takes no fields of interest: %s",
               e_source_get_display_name (self->source), error->message);
      g_clear_error (&error);
    }

  self->view = view;
  self->view_handlers[0] = g_signal_connect (self->view, "objects-added",
                                             G_CALLBACK (on_view_objects_added), self);
  self->view_handlers[1] = g_signal_connect (self->view, "objects-modified",
                                             G_CALLBACK (on_view_objects_modified), self);
  self->view_handlers[2] = g_signal_connect (self->view, "objects-removed",
                                             G_CALLBACK (on_view_objects_removed), self);
  self->view_handlers[3] = g_signal_connect (self->view, "complete",
                                             G_CALLBACK (on_view_complete), self);

  e_book_client_view_start (self->view, &error);
  if (error != NULL)
    rg_book_fail (self, _("the view did not start"), error);
}

static void
on_book_connected (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr (RgBook) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (EClient) client = e_book_client_connect_finish (result, &error);
  g_autofree char *sexp = NULL;
  EBookQuery *query = NULL;

  if (self->closed)
    return;
  if (client == NULL)
    {
      rg_book_fail (self, _("cannot open it"), error);
      return;
    }

  self->client = E_BOOK_CLIENT (g_steal_pointer (&client));
  query = e_book_query_field_exists (E_CONTACT_EMAIL);
  sexp = e_book_query_to_string (query);
  e_book_query_unref (query);
  e_book_client_get_view (self->client, sexp, self->cancellable, on_book_view,
                          g_object_ref (self));
}

/* ---------------------------------------------------------------------------------------- */
/* GObject */

static void
rg_book_dispose (GObject *object)
{
  RgBook *self = RG_BOOK (object);

  rg_book_close (self);
  g_clear_object (&self->view);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (rg_book_parent_class)->dispose (object);
}

static void
rg_book_finalize (GObject *object)
{
  RgBook *self = RG_BOOK (object);

  g_clear_pointer (&self->contacts, g_hash_table_unref);
  g_clear_pointer (&self->domains, g_hash_table_unref);
  g_clear_pointer (&self->own, g_hash_table_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->source);
  g_clear_pointer (&self->uid, g_free);

  G_OBJECT_CLASS (rg_book_parent_class)->finalize (object);
}

static void
rg_book_class_init (RgBookClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rg_book_dispose;
  object_class->finalize = rg_book_finalize;

  /**
   * RgBook::changed:
   *
   * Contacts were added, modified or removed; emitted once per batch that the view delivers.
   */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);

  /**
   * RgBook::loaded:
   *
   * The view delivered every contact, or the book failed; emitted once.
   */
  signals[SIGNAL_LOADED] = g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 0);
}

static void
rg_book_init (RgBook *self)
{
  self->cancellable = g_cancellable_new ();
  self->domains = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  self->contacts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) rg_contact_free);
  self->own = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* ---------------------------------------------------------------------------------------- */
/* Public */

/**
 * rg_book_new:
 * @source: an address-book source
 *
 * Returns: (transfer full): a book that reads nothing until rg_book_open().
 * Since: 0.2
 */
RgBook *
rg_book_new (ESource *source)
{
  RgBook *self = NULL;

  g_return_val_if_fail (E_IS_SOURCE (source), NULL);

  self = g_object_new (RG_TYPE_BOOK, NULL);
  self->source = g_object_ref (source);
  self->uid = e_source_dup_uid (source);
  return self;
}

/**
 * rg_book_open:
 *
 * Connects to the book and starts a view of its contacts with an address; "changed" follows
 * each batch of contacts, "loaded" the end of the first delivery or a failure.  Both are
 * emitted in the thread-default main context of this call.
 * Since: 0.2
 */
void
rg_book_open (RgBook *self)
{
  g_return_if_fail (RG_IS_BOOK (self));
  g_return_if_fail (self->start == 0);

  self->start = g_get_monotonic_time ();
  g_debug ("known domains: opening address book “%s” (%s)",
           e_source_get_display_name (self->source), self->uid);
  e_book_client_connect (self->source, CONNECT_WAIT_SECONDS, self->cancellable,
                         on_book_connected, g_object_ref (self));
}

/**
 * rg_book_close:
 *
 * Cancels what is under way and stops the view; the counts stay as they are.  Closing twice
 * is harmless.
 * Since: 0.2
 */
void
rg_book_close (RgBook *self)
{
  gsize i = 0;

  g_return_if_fail (RG_IS_BOOK (self));

  if (self->closed)
    return;
  self->closed = TRUE;
  g_cancellable_cancel (self->cancellable);
  if (self->view != NULL)
    {
      for (i = 0; i < G_N_ELEMENTS (self->view_handlers); i++)
        g_clear_signal_handler (&self->view_handlers[i], self->view);
      /* Stopping tells the factory to stop sending; an error means it already has. */
      e_book_client_view_stop (self->view, NULL);
    }
}

/**
 * rg_book_get_source:
 *
 * Returns: (transfer none): the source given to rg_book_new().
 * Since: 0.2
 */
ESource *
rg_book_get_source (RgBook *self)
{
  g_return_val_if_fail (RG_IS_BOOK (self), NULL);

  return self->source;
}

/**
 * rg_book_get_uid:
 *
 * Returns: (transfer none): the uid of its source.
 * Since: 0.2
 */
const char *
rg_book_get_uid (RgBook *self)
{
  g_return_val_if_fail (RG_IS_BOOK (self), NULL);

  return self->uid;
}

/**
 * rg_book_is_loaded:
 *
 * Returns: whether "loaded" has been emitted.
 * Since: 0.2
 */
gboolean
rg_book_is_loaded (RgBook *self)
{
  g_return_val_if_fail (RG_IS_BOOK (self), FALSE);

  return self->loaded;
}

/**
 * rg_book_get_n_contacts:
 *
 * Returns: the number of its contacts with at least one usable address; contact lists are
 * not counted.
 * Since: 0.2
 */
guint
rg_book_get_n_contacts (RgBook *self)
{
  g_return_val_if_fail (RG_IS_BOOK (self), 0);

  return g_hash_table_size (self->contacts);
}

/**
 * rg_book_set_own_addresses:
 * @addresses: (array zero-terminated=1): the user's own addresses (identities, aliases)
 *
 * An address of a contact that is one of @addresses, in any case, is not counted: the user's
 * own card, or their address collected from a reply, is not a contact at that domain.  The
 * contact's other addresses still count.  Counts again at once when @addresses differ from
 * the last ones, and then emits "changed".
 *
 * Cost: O(number of addresses in the book) when they differ.
 * Since: 0.2
 */
void
rg_book_set_own_addresses (RgBook            *self,
                           const char *const *addresses)
{
  g_autoptr (GHashTable) own = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean same = TRUE;
  GHashTableIter iter;
  gpointer value = NULL;

  g_return_if_fail (RG_IS_BOOK (self));
  g_return_if_fail (addresses != NULL);

  for (gsize i = 0; addresses[i] != NULL; i++)
    {
      char *folded = fold_address (addresses[i]);

      if (folded == NULL)
        continue;
      same = same && g_hash_table_contains (self->own, folded);
      g_hash_table_add (own, folded);
    }
  if (same && g_hash_table_size (own) == g_hash_table_size (self->own))
    return;

  g_hash_table_unref (self->own);
  self->own = g_steal_pointer (&own);
  g_hash_table_iter_init (&iter, self->contacts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      RgContact *contact = value;
      RgDomain **domains = rg_book_acquire_domains (self, contact->addresses);

      rg_book_release_domains (self, contact->domains);
      g_free (contact->domains);
      contact->domains = domains;
    }
  if (g_hash_table_size (self->contacts) > 0)
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/**
 * rg_book_get_count:
 * @domain: a domain as rg_book_domain_from_address() gives it
 *
 * Cost: O(length of @domain).
 *
 * Returns: how many of its contacts have at least one address at @domain that is not one
 * of the user's own (rg_book_set_own_addresses()).
 * Since: 0.2
 */
guint
rg_book_get_count (RgBook     *self,
                   const char *domain)
{
  RgDomain *entry = NULL;

  g_return_val_if_fail (RG_IS_BOOK (self), 0);
  g_return_val_if_fail (domain != NULL, 0);

  entry = g_hash_table_lookup (self->domains, domain);
  return entry != NULL ? entry->count : 0;
}

/**
 * rg_book_foreach_domain:
 * @func: called once per domain, in no particular order; it must not change the book
 *
 * Since: 0.2
 */
void
rg_book_foreach_domain (RgBook           *self,
                        RgBookDomainFunc  func,
                        gpointer          user_data)
{
  GHashTableIter iter;
  gpointer value = NULL;

  g_return_if_fail (RG_IS_BOOK (self));
  g_return_if_fail (func != NULL);

  g_hash_table_iter_init (&iter, self->domains);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      RgDomain *domain = value;

      func (domain->name, domain->count, user_data);
    }
}
