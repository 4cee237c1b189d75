/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "rcptguard"

#include "rg-known-domains.h"

#include <string.h>

#include <libebook/libebook.h>
#include <libedataserver/libedataserver.h>

/* e_book_client_connect() is told not to wait for the backend to reach its server.  The view
 * needs no connection: the local backend has nothing to connect to, and remote ones (CardDAV,
 * EWS, Google) answer from their local cache at once and report what the server changes
 * through the live view afterwards.  And the wait does not work outside the default main
 * context: evolution-data-server 3.46 delivers an ESource's "connection-status" through the
 * global default context, so under rg_known_domains_load_sync() (a private context) every
 * book would sit out the whole wait (measured: exactly the timeout, for a local book). */
#define CONNECT_WAIT_SECONDS ((guint32) -1)

/* Loading finishes after this long even if a book has not delivered all its contacts: a hung
 * backend must not keep the checker on the built-in providers alone.  Late contacts still
 * arrive through the view and are announced by "changed". */
#define LOAD_TIMEOUT_SECONDS 30

/* "changed" is emitted at most once per this interval: a sync that touches thousands of
 * contacts arrives as many small batches, and every emission costs the listener a rebuild. */
#define CHANGED_DELAY_MS 200

/* Longest domain we keep, in bytes of UTF-8.  The core refuses a domain over 253 octets in
 * ASCII form (RG_MAX_DOMAIN_OCTETS); its Unicode form takes at most four bytes per code
 * point, so anything longer is refused anyway and would only cost memory here. */
#define MAX_DOMAIN_BYTES (4 * RG_MAX_DOMAIN_OCTETS)

/* A contact domain and how many contacts have an address there.  Contacts refer to these
 * entries, and the count is their number of references: an entry goes when its last contact
 * does. */
typedef struct
{
  guint count;
  char name[];
} RgDomain;

typedef struct _RgBook RgBook;

struct _RgKnownDomains
{
  GObject parent_instance;

  /* The thread-default main context of the load call: the registry, the book clients and
   * their views deliver their signals there, and our timers run there too. */
  GMainContext *context;
  GCancellable *cancellable;
  ESourceRegistry *registry;
  gulong registry_handlers[5];

  /* Source uid → RgBook, for every enabled address book we opened or are opening. */
  GHashTable *books;
  /* Domain name → RgDomain (the key is the entry's own name). */
  GHashTable *domains;
  guint n_contacts;

  char **own_addresses;
  /* Replaced arrays are kept until the next "changed": callers may hold them until then. */
  GPtrArray *retired_own_addresses;

  GTask *load_task;
  GSource *load_timeout;
  GSource *load_cancelled;
  gint64 load_start;
  gboolean load_started;
  gboolean loaded;

  GSource *changed_source;
  GSource *reconcile_source;
};

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (RgKnownDomains, rg_known_domains, G_TYPE_OBJECT)

/* One address book.  It is reference counted (g_rc_box) because the asynchronous calls that
 * open it outlive it when the book is removed meanwhile: they hold a reference and find
 * self == NULL when it has been dropped. */
struct _RgBook
{
  RgKnownDomains *self; /* not a reference; NULL once the book has been dropped */
  ESource *source;
  char *uid;
  GCancellable *cancellable;
  EBookClient *client;
  EBookClientView *view;
  gulong view_handlers[4];

  /* Contact uid → NULL-terminated array of RgDomain pointers, each distinct.  Only contacts
   * with at least one usable address are here. */
  GHashTable *contacts;

  gint64 start;
  gboolean done; /* its view reported complete, or it failed */
};

static void rg_known_domains_queue_changed (RgKnownDomains *self);
static void rg_known_domains_check_loaded (RgKnownDomains *self);

/* ---------------------------------------------------------------------------------------- */
/* Addresses and domains */

/* Returns the domain of @address as we count it, or NULL when it has none: the text after
 * the last '@' up to white space or '>' (address books hold bare addresses, but imported
 * cards sometimes carry "Name <local@domain>"), without a trailing root dot, in lower case
 * and NFC.  Lower-casing goes code point by code point with g_unichar_tolower(), which does
 * not depend on the locale: g_utf8_strdown() would turn "I" into a dotless "ı" in a Turkish
 * locale and count the same domain twice.  The core normalises again (IDNA) when the domain
 * is added; this only has to make one domain one key. */
static char *
rg_domain_from_address (const char *address)
{
  const char *at = NULL;
  const char *start = NULL;
  const char *end = NULL;
  gsize length = 0;
  gboolean ascii = TRUE;

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
    {
      if ((guchar) *end >= 0x80)
        ascii = FALSE;
      end++;
    }
  if (end > start && end[-1] == '.')
    end--;

  length = (gsize) (end - start);
  if (length == 0 || length > MAX_DOMAIN_BYTES)
    return NULL;

  if (ascii)
    return g_ascii_strdown (start, (gssize) length);

  if (!g_utf8_validate_len (start, length, NULL))
    return NULL;

  {
    g_autoptr (GString) lower = g_string_sized_new (length);
    const char *p = NULL;

    for (p = start; p < end; p = g_utf8_next_char (p))
      g_string_append_unichar (lower, g_unichar_tolower (g_utf8_get_char (p)));
    return g_utf8_normalize (lower->str, (gssize) lower->len, G_NORMALIZE_NFC);
  }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static RgDomain *
rg_known_domains_acquire_domain (RgKnownDomains *self,
                                 const char     *name)
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
rg_known_domains_release_domains (RgKnownDomains *self,
                                  RgDomain      **domains)
{
  gsize i = 0;

  for (i = 0; domains[i] != NULL; i++)
    {
      domains[i]->count--;
      if (domains[i]->count == 0)
        g_hash_table_remove (self->domains, domains[i]->name);
    }
}

/* Returns the distinct domains of @contact's addresses, acquired, as a NULL-terminated array;
 * NULL when it has none.  Sorting makes the duplicates neighbours: O(n log n) in the number
 * of addresses, whatever a card holds. */
static RgDomain **
rg_known_domains_acquire_contact (RgKnownDomains *self,
                                  EContact       *contact)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GList *emails = e_contact_get (contact, E_CONTACT_EMAIL);
  RgDomain **domains = NULL;
  GList *link = NULL;
  guint i = 0;
  guint n = 0;

  for (link = emails; link != NULL; link = link->next)
    {
      char *name = rg_domain_from_address (link->data);

      if (name != NULL)
        g_ptr_array_add (names, name);
    }
  g_list_free_full (emails, g_free);

  if (names->len == 0)
    return NULL;

  g_ptr_array_sort (names, compare_strings);
  domains = g_new0 (RgDomain *, names->len + 1);
  for (i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      if (i > 0 && strcmp (name, g_ptr_array_index (names, i - 1)) == 0)
        continue;
      domains[n++] = rg_known_domains_acquire_domain (self, name);
    }
  return domains;
}

/* ---------------------------------------------------------------------------------------- */
/* Books */

static void
rg_book_clear (RgBook *book)
{
  g_clear_object (&book->view);
  g_clear_object (&book->client);
  g_clear_object (&book->cancellable);
  g_clear_object (&book->source);
  g_clear_pointer (&book->uid, g_free);
  g_clear_pointer (&book->contacts, g_hash_table_unref);
}

static RgBook *
rg_book_ref (RgBook *book)
{
  return g_rc_box_acquire (book);
}

static void
rg_book_unref (RgBook *book)
{
  g_rc_box_release_full (book, (GDestroyNotify) rg_book_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RgBook, rg_book_unref)

/* Sets @domains (or none) as the domains of contact @uid in @book, replacing what it had.
 * The new domains are acquired by the caller, so a domain the contact keeps never drops to
 * zero on the way. */
static void
rg_book_set_contact (RgBook     *book,
                     const char *uid,
                     RgDomain  **domains)
{
  RgKnownDomains *self = book->self;
  RgDomain **old = g_hash_table_lookup (book->contacts, uid);

  if (old != NULL)
    {
      rg_known_domains_release_domains (self, old);
      g_hash_table_remove (book->contacts, uid);
      self->n_contacts--;
    }
  if (domains != NULL)
    {
      g_hash_table_insert (book->contacts, g_strdup (uid), domains);
      self->n_contacts++;
    }
}

static void
rg_book_update_contacts (RgBook       *book,
                         const GSList *objects)
{
  const GSList *link = NULL;

  for (link = objects; link != NULL; link = link->next)
    {
      EContact *contact = link->data;
      const char *uid = e_contact_get_const (contact, E_CONTACT_UID);
      RgDomain **domains = NULL;

      if (uid == NULL)
        continue;
      /* A contact list is not a person.  Its members that are contacts are counted as
       * themselves, and counting the list as well would count one person twice, or a
       * hundred times for a list used in a hundred lists.  So a list counts for nothing, and
       * a contact that became a list loses what it counted. */
      if (!GPOINTER_TO_INT (e_contact_get (contact, E_CONTACT_IS_LIST)))
        domains = rg_known_domains_acquire_contact (book->self, contact);
      rg_book_set_contact (book, uid, domains);
    }
  rg_known_domains_queue_changed (book->self);
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
  RgBook *book = user_data;
  const GSList *link = NULL;

  for (link = uids; link != NULL; link = link->next)
    rg_book_set_contact (book, link->data, NULL);
  rg_known_domains_queue_changed (book->self);
}

static void
rg_book_set_done (RgBook *book)
{
  if (book->done)
    return;
  book->done = TRUE;
  g_debug ("known domains: address book “%s” (%s): %u contacts in %.0f ms",
           e_source_get_display_name (book->source), book->uid,
           g_hash_table_size (book->contacts),
           (g_get_monotonic_time () - book->start) / 1000.0);
  rg_known_domains_check_loaded (book->self);
}

static void
on_view_complete (EBookClientView *view,
                  const GError    *error,
                  gpointer         user_data)
{
  RgBook *book = user_data;

  /* A view that ends in error has still delivered what it could; keep that. */
  if (error != NULL)
    g_message ("known domains: address book “%s” (%s) stopped early: %s",
               e_source_get_display_name (book->source), book->uid, error->message);
  rg_book_set_done (book);
}

static void
rg_book_fail (RgBook       *book,
              const char   *what,
              const GError *error)
{
  /* One broken book (a backend that is not installed, a server that refuses us) must not
   * take the others down: it is skipped, and said so where an administrator looks. */
  g_message ("known domains: skipping address book “%s” (%s): %s: %s",
             e_source_get_display_name (book->source), book->uid, what, error->message);
  rg_book_set_done (book);
}

static void
on_book_view (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (RgBook) book = user_data;
  g_autoptr (GError) error = NULL;
  EBookClientView *view = NULL;
  GSList *fields = NULL;

  /* EBookClientView has no g_autoptr() cleanup in evolution-data-server 3.46. */
  if (!e_book_client_get_view_finish (E_BOOK_CLIENT (object), result, &view, &error))
    {
      if (book->self != NULL)
        rg_book_fail (book, "no view", error);
      return;
    }
  if (book->self == NULL)
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
               e_source_get_display_name (book->source), error->message);
      g_clear_error (&error);
    }

  book->view = view;
  book->view_handlers[0] = g_signal_connect (book->view, "objects-added",
                                             G_CALLBACK (on_view_objects_added), book);
  book->view_handlers[1] = g_signal_connect (book->view, "objects-modified",
                                             G_CALLBACK (on_view_objects_modified), book);
  book->view_handlers[2] = g_signal_connect (book->view, "objects-removed",
                                             G_CALLBACK (on_view_objects_removed), book);
  book->view_handlers[3] = g_signal_connect (book->view, "complete",
                                             G_CALLBACK (on_view_complete), book);

  e_book_client_view_start (book->view, &error);
  if (error != NULL)
    rg_book_fail (book, "the view did not start", error);
}

static void
on_book_connected (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr (RgBook) book = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (EClient) client = e_book_client_connect_finish (result, &error);
  g_autofree char *sexp = NULL;
  EBookQuery *query = NULL;

  if (book->self == NULL)
    return;
  if (client == NULL)
    {
      rg_book_fail (book, "cannot open it", error);
      return;
    }

  book->client = E_BOOK_CLIENT (g_steal_pointer (&client));
  query = e_book_query_field_exists (E_CONTACT_EMAIL);
  sexp = e_book_query_to_string (query);
  e_book_query_unref (query);
  e_book_client_get_view (book->client, sexp, book->cancellable, on_book_view,
                          rg_book_ref (book));
}

static void
rg_known_domains_open_book (RgKnownDomains *self,
                            ESource        *source)
{
  RgBook *book = g_rc_box_new0 (RgBook);

  book->self = self;
  book->source = g_object_ref (source);
  book->uid = e_source_dup_uid (source);
  book->cancellable = g_cancellable_new ();
  book->contacts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  book->start = g_get_monotonic_time ();
  g_hash_table_insert (self->books, g_strdup (book->uid), book);

  g_debug ("known domains: opening address book “%s” (%s)",
           e_source_get_display_name (source), book->uid);
  e_book_client_connect (source, CONNECT_WAIT_SECONDS, book->cancellable, on_book_connected,
                         rg_book_ref (book));
}

/* Detaches @book from @self: stops its view, takes back its contacts' counts and cancels
 * whatever is still under way for it.  Used as the books table's value destructor. */
static void
rg_book_drop (gpointer data)
{
  RgBook *book = data;
  RgKnownDomains *self = book->self;
  GHashTableIter iter;
  gpointer value = NULL;
  gsize i = 0;

  g_cancellable_cancel (book->cancellable);
  if (book->view != NULL)
    {
      for (i = 0; i < G_N_ELEMENTS (book->view_handlers); i++)
        g_clear_signal_handler (&book->view_handlers[i], book->view);
      /* Stopping tells the factory to stop sending; an error means it already has. */
      e_book_client_view_stop (book->view, NULL);
    }

  g_hash_table_iter_init (&iter, book->contacts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      rg_known_domains_release_domains (self, value);
      self->n_contacts--;
    }
  g_hash_table_remove_all (book->contacts);

  book->self = NULL;
  rg_book_unref (book);
}

/* ---------------------------------------------------------------------------------------- */
/* The registry */

static gboolean
strv_equal_or_null (char **a,
                    char **b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_strv_equal ((const char *const *) a, (const char *const *) b);
}

/* Rereads the addresses of every mail identity.  Disabled identities count too: an account
 * switched off for a while is still the user's own address.  Returns whether they changed. */
static gboolean
rg_known_domains_update_own_addresses (RgKnownDomains *self)
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) addresses = g_ptr_array_new ();
  GList *sources = e_source_registry_list_sources (self->registry,
                                                   E_SOURCE_EXTENSION_MAIL_IDENTITY);
  GList *link = NULL;
  char **result = NULL;

  for (link = sources; link != NULL; link = link->next)
    {
      ESourceMailIdentity *identity =
        e_source_get_extension (link->data, E_SOURCE_EXTENSION_MAIL_IDENTITY);
      g_autofree char *address = e_source_mail_identity_dup_address (identity);
      g_autoptr (GHashTable) aliases = e_source_mail_identity_get_aliases_as_hash_table (identity);
      g_autoptr (GPtrArray) candidates = g_ptr_array_new_with_free_func (g_free);
      guint i = 0;

      if (address != NULL)
        g_ptr_array_add (candidates, g_steal_pointer (&address));
      if (aliases != NULL)
        {
          GHashTableIter iter;
          gpointer key = NULL;

          g_hash_table_iter_init (&iter, aliases);
          while (g_hash_table_iter_next (&iter, &key, NULL))
            g_ptr_array_add (candidates, g_strdup (key));
        }

      for (i = 0; i < candidates->len; i++)
        {
          char *candidate = g_strstrip ((char *) g_ptr_array_index (candidates, i));
          char *folded = NULL;

          if (*candidate == '\0' || strchr (candidate, '@') == NULL)
            continue;
          /* One entry per address, whatever its case. */
          folded = g_ascii_strdown (candidate, -1);
          if (!g_hash_table_add (seen, folded))
            continue;
          g_ptr_array_add (addresses, candidate);
          candidates->pdata[i] = NULL;
        }
    }
  g_list_free_full (sources, g_object_unref);

  /* Sorted, so that the result does not depend on the registry's order and a reread that
   * finds the same addresses changes nothing. */
  g_ptr_array_sort (addresses, compare_strings);
  g_ptr_array_add (addresses, NULL);
  result = (char **) g_ptr_array_free (g_steal_pointer (&addresses), FALSE);

  if (strv_equal_or_null (result, self->own_addresses))
    {
      g_strfreev (result);
      return FALSE;
    }
  if (self->own_addresses != NULL)
    g_ptr_array_add (self->retired_own_addresses, g_steal_pointer (&self->own_addresses));
  self->own_addresses = result;
  return TRUE;
}

/* Brings the open books in line with the registry's enabled address books: opens the new ones
 * and drops the ones that went (removed, disabled, or under a disabled account).  Comparing
 * the whole list, rather than following each signal, also covers a collection account being
 * switched off, which disables its books without a signal for each. */
static gboolean
rg_known_domains_reconcile_books (RgKnownDomains *self)
{
  g_autoptr (GHashTable) enabled = g_hash_table_new (g_str_hash, g_str_equal);
  GList *sources = e_source_registry_list_enabled (self->registry,
                                                   E_SOURCE_EXTENSION_ADDRESS_BOOK);
  GHashTableIter iter;
  gpointer key = NULL;
  gboolean changed = FALSE;
  GList *link = NULL;

  for (link = sources; link != NULL; link = link->next)
    {
      const char *uid = e_source_get_uid (link->data);

      g_hash_table_add (enabled, (gpointer) uid);
      if (!g_hash_table_contains (self->books, uid))
        {
          rg_known_domains_open_book (self, link->data);
          changed = TRUE;
        }
    }

  g_hash_table_iter_init (&iter, self->books);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      if (g_hash_table_contains (enabled, key))
        continue;
      g_debug ("known domains: dropping address book %s", (const char *) key);
      g_hash_table_iter_remove (&iter);
      changed = TRUE;
    }
  g_list_free_full (sources, g_object_unref);
  return changed;
}

/* Attaches @source to the context @self was loaded in, calling @callback with @self; returns
 * @source, whose reference the caller keeps. */
static GSource *
rg_known_domains_attach (RgKnownDomains *self,
                         GSource        *source,
                         GSourceFunc     callback,
                         const char     *name)
{
  g_source_set_callback (source, callback, self, NULL);
  g_source_set_static_name (source, name);
  g_source_attach (source, self->context);
  return source;
}

/* Stops the source at @source, if there is one, and drops it. */
static void
clear_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static gboolean
on_reconcile (gpointer user_data)
{
  RgKnownDomains *self = user_data;
  gboolean changed = FALSE;

  g_clear_pointer (&self->reconcile_source, g_source_unref);
  changed |= rg_known_domains_update_own_addresses (self);
  changed |= rg_known_domains_reconcile_books (self);
  if (changed)
    rg_known_domains_queue_changed (self);
  rg_known_domains_check_loaded (self);
  return G_SOURCE_REMOVE;
}

/* Registry signals arrive one per source, in bursts when an account is added; and when
 * "source-removed" is emitted the registry may still list the source.  So the work waits for
 * an idle moment and then looks at the registry as a whole. */
static void
on_registry_changed (ESourceRegistry *registry,
                     ESource         *source,
                     gpointer         user_data)
{
  RgKnownDomains *self = user_data;

  if (self->reconcile_source != NULL)
    return;
  self->reconcile_source = rg_known_domains_attach (self, g_idle_source_new (), on_reconcile,
                                                    "[rcptguard] registry changed");
}

/* ---------------------------------------------------------------------------------------- */
/* Loading and "changed" */

static void
rg_known_domains_emit_changed (RgKnownDomains *self)
{
  clear_source (&self->changed_source);
  g_ptr_array_set_size (self->retired_own_addresses, 0);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static gboolean
on_changed_timeout (gpointer user_data)
{
  RgKnownDomains *self = user_data;

  g_clear_pointer (&self->changed_source, g_source_unref);
  rg_known_domains_emit_changed (self);
  return G_SOURCE_REMOVE;
}

/* Something changed.  Before the load has finished nobody is told (the end of the load is
 * one "changed" for all of it); afterwards the first change starts a short timer and the
 * changes until it fires are announced together. */
static void
rg_known_domains_queue_changed (RgKnownDomains *self)
{
  if (!self->loaded || self->changed_source != NULL)
    return;
  self->changed_source = rg_known_domains_attach (self, g_timeout_source_new (CHANGED_DELAY_MS),
                                                  on_changed_timeout,
                                                  "[rcptguard] known domains changed");
}

static void
rg_known_domains_clear_load_sources (RgKnownDomains *self)
{
  clear_source (&self->load_timeout);
  clear_source (&self->load_cancelled);
}

static void
rg_known_domains_finish_load (RgKnownDomains *self)
{
  g_autoptr (GTask) task = g_steal_pointer (&self->load_task);
  GHashTableIter iter;
  gpointer value = NULL;
  guint n_pending = 0;

  rg_known_domains_clear_load_sources (self);
  self->loaded = TRUE;

  g_hash_table_iter_init (&iter, self->books);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (!((RgBook *) value)->done)
      n_pending++;

  /* The end-to-end tests wait for this line: keep its start, and print it once. */
  g_debug ("known domains loaded: %u address books (%u still loading), %u contacts, "
           "%u domains, %u own addresses in %.0f ms",
           g_hash_table_size (self->books), n_pending, self->n_contacts,
           g_hash_table_size (self->domains),
           self->own_addresses != NULL ? g_strv_length (self->own_addresses) : 0,
           (g_get_monotonic_time () - self->load_start) / 1000.0);

  rg_known_domains_emit_changed (self);
  if (task != NULL)
    g_task_return_boolean (task, TRUE);
}

static void
rg_known_domains_check_loaded (RgKnownDomains *self)
{
  GHashTableIter iter;
  gpointer value = NULL;

  if (self->loaded || self->registry == NULL)
    return;

  g_hash_table_iter_init (&iter, self->books);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (!((RgBook *) value)->done)
      return;
  rg_known_domains_finish_load (self);
}

static gboolean
on_load_timeout (gpointer user_data)
{
  RgKnownDomains *self = user_data;
  GHashTableIter iter;
  gpointer value = NULL;

  g_clear_pointer (&self->load_timeout, g_source_unref);
  g_hash_table_iter_init (&iter, self->books);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      RgBook *book = value;

      if (!book->done)
        g_message ("known domains: address book “%s” (%s) is still loading after %d s; "
                   "going on without waiting for it",
                   e_source_get_display_name (book->source), book->uid, LOAD_TIMEOUT_SECONDS);
    }
  rg_known_domains_finish_load (self);
  return G_SOURCE_REMOVE;
}

/* The caller cancelled: its task returns at once.  The books keep loading and keep @self
 * current; cancelling the wait does not undo the work. */
static gboolean
on_load_cancelled (GCancellable *cancellable,
                   gpointer      user_data)
{
  RgKnownDomains *self = user_data;
  g_autoptr (GTask) task = g_steal_pointer (&self->load_task);

  g_clear_pointer (&self->load_cancelled, g_source_unref);
  if (task != NULL)
    g_task_return_error_if_cancelled (task);
  return G_SOURCE_REMOVE;
}

static void
on_registry_ready (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GWeakRef *weak = user_data;
  g_autoptr (RgKnownDomains) self = g_weak_ref_get (weak);
  g_autoptr (GError) error = NULL;
  g_autoptr (ESourceRegistry) registry = e_source_registry_new_finish (result, &error);

  g_weak_ref_clear (weak);
  g_free (weak);
  if (self == NULL)
    return;

  if (registry == NULL)
    {
      g_autoptr (GTask) task = g_steal_pointer (&self->load_task);

      rg_known_domains_clear_load_sources (self);
      g_message ("known domains: no source registry: %s", error->message);
      if (task != NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->registry = g_steal_pointer (&registry);
  self->registry_handlers[0] = g_signal_connect (self->registry, "source-added",
                                                 G_CALLBACK (on_registry_changed), self);
  self->registry_handlers[1] = g_signal_connect (self->registry, "source-removed",
                                                 G_CALLBACK (on_registry_changed), self);
  self->registry_handlers[2] = g_signal_connect (self->registry, "source-enabled",
                                                 G_CALLBACK (on_registry_changed), self);
  self->registry_handlers[3] = g_signal_connect (self->registry, "source-disabled",
                                                 G_CALLBACK (on_registry_changed), self);
  self->registry_handlers[4] = g_signal_connect (self->registry, "source-changed",
                                                 G_CALLBACK (on_registry_changed), self);

  rg_known_domains_update_own_addresses (self);
  rg_known_domains_reconcile_books (self);
  g_debug ("known domains: source registry ready, %u address books",
           g_hash_table_size (self->books));
  rg_known_domains_check_loaded (self);
}

/* ---------------------------------------------------------------------------------------- */
/* GObject */

static void
rg_known_domains_dispose (GObject *object)
{
  RgKnownDomains *self = RG_KNOWN_DOMAINS (object);
  gsize i = 0;

  g_cancellable_cancel (self->cancellable);
  rg_known_domains_clear_load_sources (self);
  clear_source (&self->changed_source);
  clear_source (&self->reconcile_source);
  if (self->registry != NULL)
    for (i = 0; i < G_N_ELEMENTS (self->registry_handlers); i++)
      g_clear_signal_handler (&self->registry_handlers[i], self->registry);
  if (self->books != NULL)
    g_hash_table_remove_all (self->books);
  g_clear_object (&self->registry);

  G_OBJECT_CLASS (rg_known_domains_parent_class)->dispose (object);
}

static void
rg_known_domains_finalize (GObject *object)
{
  RgKnownDomains *self = RG_KNOWN_DOMAINS (object);

  g_clear_pointer (&self->books, g_hash_table_unref);
  g_clear_pointer (&self->domains, g_hash_table_unref);
  g_clear_pointer (&self->own_addresses, g_strfreev);
  g_clear_pointer (&self->retired_own_addresses, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (rg_known_domains_parent_class)->finalize (object);
}

static void
rg_known_domains_class_init (RgKnownDomainsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rg_known_domains_dispose;
  object_class->finalize = rg_known_domains_finalize;

  /**
   * RgKnownDomains::changed:
   *
   * The counts or the own addresses changed: emitted once when loading finishes, then at
   * most every 200 ms while address books or identities change.
   */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);
}

static void
rg_known_domains_init (RgKnownDomains *self)
{
  self->cancellable = g_cancellable_new ();
  self->books = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, rg_book_drop);
  self->domains = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  self->retired_own_addresses = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
}

/* ---------------------------------------------------------------------------------------- */
/* Public */

/**
 * rg_known_domains_new:
 *
 * Returns: (transfer full): an empty set of known domains; nothing is read until
 * rg_known_domains_load_async().
 * Since: 0.1
 */
RgKnownDomains *
rg_known_domains_new (void)
{
  return g_object_new (RG_TYPE_KNOWN_DOMAINS, NULL);
}

/**
 * rg_known_domains_load_async:
 * @self: a #RgKnownDomains
 * @cancellable: (nullable): cancels the wait (the task then returns %G_IO_ERROR_CANCELLED);
 *   loading itself goes on and keeps @self current
 * @callback: called in the caller's thread-default main context when loaded
 * @user_data: for @callback
 *
 * Starts reading the address books and identities.  The task finishes once every enabled
 * address book delivered its contacts or failed, and at most 30 s after the start.  Call
 * once.
 * Since: 0.1
 */
void
rg_known_domains_load_async (RgKnownDomains      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  GWeakRef *weak = NULL;

  g_return_if_fail (RG_IS_KNOWN_DOMAINS (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rg_known_domains_load_async);
  g_task_set_name (task, "[rcptguard] rg_known_domains_load_async");

  if (self->load_started)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_EXISTS,
                               "The known domains are loaded only once");
      return;
    }
  self->load_started = TRUE;
  self->load_start = g_get_monotonic_time ();
  self->context = g_main_context_ref_thread_default ();
  self->load_task = g_steal_pointer (&task);

  self->load_timeout = rg_known_domains_attach (self,
                                                g_timeout_source_new_seconds (LOAD_TIMEOUT_SECONDS),
                                                on_load_timeout,
                                                "[rcptguard] known domains load timeout");
  if (cancellable != NULL)
    self->load_cancelled = rg_known_domains_attach (self, g_cancellable_source_new (cancellable),
                                                    G_SOURCE_FUNC (on_load_cancelled),
                                                    "[rcptguard] known domains load cancelled");

  /* A weak reference: disposing @self cancels the registry's creation, and the callback
   * then finds nobody to tell. */
  weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak, self);
  e_source_registry_new (self->cancellable, on_registry_ready, weak);
}

/**
 * rg_known_domains_load_finish:
 *
 * Returns: %TRUE when loaded; %FALSE with @error set when the source registry could not be
 * reached, or when the wait was cancelled.
 * Since: 0.1
 */
gboolean
rg_known_domains_load_finish (RgKnownDomains  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (RG_IS_KNOWN_DOMAINS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rg_known_domains_load_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_sync_loaded (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/**
 * rg_known_domains_load_sync:
 *
 * Loads in a private main context, pushed as the thread-default one until done.  Afterwards
 * nothing iterates that context, so @self stays as loaded: meant for short-lived programs
 * such as the command line.
 *
 * Returns: as rg_known_domains_load_finish().
 * Since: 0.1
 */
gboolean
rg_known_domains_load_sync (RgKnownDomains  *self,
                            GCancellable    *cancellable,
                            GError         **error)
{
  g_autoptr (GMainContext) context = g_main_context_new ();
  g_autoptr (GAsyncResult) result = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (RG_IS_KNOWN_DOMAINS (self), FALSE);

  g_main_context_push_thread_default (context);
  rg_known_domains_load_async (self, cancellable, on_sync_loaded, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  ok = rg_known_domains_load_finish (self, result, error);
  g_main_context_pop_thread_default (context);
  return ok;
}

/**
 * rg_known_domains_is_loaded:
 *
 * Returns: whether the initial load has finished (the counts may still grow when a slow book
 * completes after the load's time limit).
 * Since: 0.1
 */
gboolean
rg_known_domains_is_loaded (RgKnownDomains *self)
{
  g_return_val_if_fail (RG_IS_KNOWN_DOMAINS (self), FALSE);

  return self->loaded;
}

/**
 * rg_known_domains_get_contact_count:
 * @domain: a domain; it is lower-cased as the stored ones are, so any case works
 *
 * Cost: O(length of @domain).
 *
 * Returns: the number of contacts, across all address books, with at least one address at
 * @domain (a contact in two books counts twice: they are two cards); 0 for NULL.
 * Since: 0.1
 */
guint
rg_known_domains_get_contact_count (RgKnownDomains *self,
                                    const char     *domain)
{
  g_autofree char *address = NULL;
  g_autofree char *normalised = NULL;
  RgDomain *entry = NULL;

  g_return_val_if_fail (RG_IS_KNOWN_DOMAINS (self), 0);

  if (domain == NULL)
    return 0;
  address = g_strconcat ("@", domain, NULL);
  normalised = rg_domain_from_address (address);
  entry = g_hash_table_lookup (self->domains, normalised != NULL ? normalised : domain);
  return entry != NULL ? entry->count : 0;
}

/**
 * rg_known_domains_get_n_domains:
 *
 * Returns: the number of distinct contact domains (own domains without contacts excluded).
 * Since: 0.1
 */
guint
rg_known_domains_get_n_domains (RgKnownDomains *self)
{
  g_return_val_if_fail (RG_IS_KNOWN_DOMAINS (self), 0);

  return g_hash_table_size (self->domains);
}

/**
 * rg_known_domains_get_own_addresses:
 *
 * Returns: (transfer none) (array zero-terminated=1): the addresses of the user's mail
 * identities and their aliases, sorted, each once; valid until the next "changed".  An empty
 * array before the registry has been read.
 * Since: 0.1
 */
const char *const *
rg_known_domains_get_own_addresses (RgKnownDomains *self)
{
  static const char *const none[] = { NULL };

  g_return_val_if_fail (RG_IS_KNOWN_DOMAINS (self), none);

  if (self->own_addresses == NULL)
    return none;
  return (const char *const *) self->own_addresses;
}

/**
 * rg_known_domains_add_to_config:
 * @config: the config to add to
 *
 * Adds every contact domain with its contact count, and the domain of every own address.  An
 * own domain counts one more than its contacts: it is known even when no contact is there
 * (the user writes from it, and to colleagues at it), while one use keeps it from outranking
 * the domains the user really corresponds with.  Each domain is added once.
 *
 * Cost: O(number of domains) calls of rg_config_add_known().
 *
 * Returns: how many domains @config refused (invalid, a public suffix, over its limit).
 * Since: 0.1
 */
guint
rg_known_domains_add_to_config (RgKnownDomains *self,
                                rg_config      *config)
{
  g_autoptr (GHashTable) own = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key = NULL;
  gpointer value = NULL;
  guint refused = 0;
  gsize i = 0;

  g_return_val_if_fail (RG_IS_KNOWN_DOMAINS (self), 0);
  g_return_val_if_fail (config != NULL, 0);

  for (i = 0; self->own_addresses != NULL && self->own_addresses[i] != NULL; i++)
    {
      char *domain = rg_domain_from_address (self->own_addresses[i]);

      if (domain != NULL)
        g_hash_table_add (own, domain);
    }

  g_hash_table_iter_init (&iter, self->domains);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      RgDomain *domain = value;
      guint32 count = domain->count;

      if (g_hash_table_remove (own, key) && count < G_MAXUINT32)
        count++;
      if (rg_config_add_known (config, domain->name, count) != RG_OK)
        refused++;
    }

  g_hash_table_iter_init (&iter, own);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (rg_config_add_known (config, key, 1) != RG_OK)
      refused++;

  if (refused > 0)
    g_debug ("known domains: the checker refused %u domains", refused);
  return refused;
}
