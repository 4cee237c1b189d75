/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "rcptguard"

#include "config.h"

#include "rg-known-domains.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include <libedataserver/libedataserver.h>

#include "rg-book.h"

/* Loading finishes after this long even if a book has not delivered all its contacts: a hung
 * backend must not keep the checker on the built-in providers alone.  Late contacts still
 * arrive through the view and are announced by "changed". */
#define LOAD_TIMEOUT_SECONDS 30

/* "changed" is emitted at most once per this interval: a sync that touches thousands of
 * contacts arrives as many small batches, and every emission costs the listener a rebuild. */
#define CHANGED_DELAY_MS 200

/* Evolution's automatic contacts (the "Automatic Contacts" plugin, src/plugins/bbdb/bbdb.c in
 * Evolution 3.46) add each typed To and Cc recipient of a sent message that no book with
 * autocompletion has yet to the book whose uid this key holds; to the built-in "Personal" book
 * when it is empty or names no book. */
#define AUTOCONTACTS_SCHEMA_ID "org.gnome.evolution.plugin.autocontacts"
#define AUTOCONTACTS_BOOK_KEY "addressbook-source"

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

  /* Evolution's automatic-contacts settings (NULL when Evolution's schema is not installed),
   * and the uid of the book whose contacts count as collected (NULL for none). */
  GSettings *autocontacts;
  char *collected_uid;

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

static void rg_known_domains_queue_changed (RgKnownDomains *self);
static void rg_known_domains_check_loaded (RgKnownDomains *self);
static void rg_known_domains_schedule_reconcile (RgKnownDomains *self);

/* ---------------------------------------------------------------------------------------- */
/* Books */

static void
on_book_changed (RgBook   *book,
                 gpointer  user_data)
{
  rg_known_domains_queue_changed (user_data);
}

static void
on_book_loaded (RgBook   *book,
                gpointer  user_data)
{
  rg_known_domains_check_loaded (user_data);
}

static void
rg_known_domains_open_book (RgKnownDomains *self,
                            ESource        *source)
{
  RgBook *book = rg_book_new (source);

  g_signal_connect (book, "changed", G_CALLBACK (on_book_changed), self);
  g_signal_connect (book, "loaded", G_CALLBACK (on_book_loaded), self);
  rg_book_set_own_addresses (book, rg_known_domains_get_own_addresses (self));
  g_hash_table_insert (self->books, g_strdup (rg_book_get_uid (book)), book);
  rg_book_open (book);
}

/* The books table's value destructor.  A closed book emits nothing more, so its handlers,
 * which point at us, never run again, even while calls under way keep it alive; its contacts
 * stop counting with it. */
static void
rg_known_domains_drop_book (gpointer data)
{
  RgBook *book = data;

  rg_book_close (book);
  g_object_unref (book);
}

/* What the contacts of @book are evidence of: collected automatically for the book Evolution's
 * automatic contacts write to, else contacts the user keeps. */
static rg_source
rg_known_domains_get_book_source (RgKnownDomains *self,
                                  RgBook         *book)
{
  if (g_strcmp0 (rg_book_get_uid (book), self->collected_uid) == 0)
    return RG_SOURCE_COLLECTED;
  return RG_SOURCE_CONTACT;
}

/* Rereads which book Evolution's automatic contacts write to; returns whether it changed.
 *
 * The plugin marks nothing on the contacts it adds: a full name and the address, as a person
 * would type them.  So in a book it shares with the user's own contacts they cannot be told
 * apart, and the built-in "Personal" book, where it writes by default, stays what it mostly
 * is: the user's contacts.  A slip sent once still lands there with a single contact, which
 * the core weighs as weak evidence whatever its source.  A book of its own chosen for them
 * holds what was collected (whether collecting is still switched on or not), and its contacts
 * count as collected. */
static gboolean
rg_known_domains_update_collected_uid (RgKnownDomains *self)
{
  g_autofree char *uid = NULL;
  g_autoptr (ESource) builtin = NULL;

  if (self->autocontacts != NULL)
    uid = g_settings_get_string (self->autocontacts, AUTOCONTACTS_BOOK_KEY);
  if (uid != NULL && self->registry != NULL)
    builtin = e_source_registry_ref_builtin_address_book (self->registry);
  if (uid != NULL && (*uid == '\0'
                      || (builtin != NULL && strcmp (uid, e_source_get_uid (builtin)) == 0)))
    g_clear_pointer (&uid, g_free);

  if (g_strcmp0 (uid, self->collected_uid) == 0)
    return FALSE;
  g_free (self->collected_uid);
  self->collected_uid = g_steal_pointer (&uid);
  return TRUE;
}

/* Evolution's schema comes with Evolution, not with evolution-data-server: without it (the
 * command on a machine without Evolution) no book is the automatic contacts' one. */
static GSettings *
rg_known_domains_new_autocontacts_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, AUTOCONTACTS_SCHEMA_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, AUTOCONTACTS_BOOK_KEY))
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}

static void
on_autocontacts_changed (GSettings  *settings,
                         const char *key,
                         gpointer    user_data)
{
  rg_known_domains_schedule_reconcile (user_data);
}

/* ---------------------------------------------------------------------------------------- */
/* The registry */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

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
  GHashTableIter books;
  gpointer book = NULL;

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
  /* The user's own card, or their address collected, is no contact: the books count again
   * without them. */
  g_hash_table_iter_init (&books, self->books);
  while (g_hash_table_iter_next (&books, NULL, &book))
    rg_book_set_own_addresses (book, (const char *const *) result);
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
  changed |= rg_known_domains_update_collected_uid (self);
  changed |= rg_known_domains_reconcile_books (self);
  if (changed)
    rg_known_domains_queue_changed (self);
  rg_known_domains_check_loaded (self);
  return G_SOURCE_REMOVE;
}

/* Registry signals arrive one per source, in bursts when an account is added; and when
 * "source-removed" is emitted the registry may still list the source.  So the work waits for
 * an idle moment and then looks at the registry, and the settings, as a whole.  Before the
 * registry is there, its arrival reads everything anyway. */
static void
rg_known_domains_schedule_reconcile (RgKnownDomains *self)
{
  if (self->registry == NULL || self->reconcile_source != NULL)
    return;
  self->reconcile_source = rg_known_domains_attach (self, g_idle_source_new (), on_reconcile,
                                                    "[rcptguard] registry changed");
}

static void
on_registry_changed (ESourceRegistry *registry,
                     ESource         *source,
                     gpointer         user_data)
{
  rg_known_domains_schedule_reconcile (user_data);
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
  guint n_contacts = 0;

  rg_known_domains_clear_load_sources (self);
  self->loaded = TRUE;

  g_hash_table_iter_init (&iter, self->books);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      if (!rg_book_is_loaded (value))
        n_pending++;
      n_contacts += rg_book_get_n_contacts (value);
    }

  /* The end-to-end tests wait for this line: keep its start, and print it once. */
  g_debug ("known domains loaded: %u address books (%u still loading), %u contacts, "
           "%u domains, %u own addresses in %.0f ms",
           g_hash_table_size (self->books), n_pending, n_contacts,
           rg_known_domains_get_n_domains (self),
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
    if (!rg_book_is_loaded (value))
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
      g_autofree char *text = NULL;

      if (rg_book_is_loaded (book))
        continue;
      /* Translators: the first %s is an address book's name, the second its id, %d a number
       * of seconds. */
      text = g_strdup_printf (_("address book “%s” (%s) is still loading after %d s; going on "
                                "without waiting for it"),
                              e_source_get_display_name (rg_book_get_source (book)),
                              rg_book_get_uid (book), LOAD_TIMEOUT_SECONDS);
      /* "known domains: " stays English: the log's tag, which the command leaves out. */
      g_message ("known domains: %s", text);
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
  rg_known_domains_update_collected_uid (self);
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
  if (self->autocontacts != NULL)
    g_signal_handlers_disconnect_by_data (self->autocontacts, self);
  g_clear_object (&self->autocontacts);

  G_OBJECT_CLASS (rg_known_domains_parent_class)->dispose (object);
}

static void
rg_known_domains_finalize (GObject *object)
{
  RgKnownDomains *self = RG_KNOWN_DOMAINS (object);

  g_clear_pointer (&self->books, g_hash_table_unref);
  g_clear_pointer (&self->collected_uid, g_free);
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
  self->books = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       rg_known_domains_drop_book);
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

  /* GSettings delivers "changed" in the thread-default context of its creation: this one. */
  self->autocontacts = rg_known_domains_new_autocontacts_settings ();
  if (self->autocontacts != NULL)
    g_signal_connect (self->autocontacts, "changed::" AUTOCONTACTS_BOOK_KEY,
                      G_CALLBACK (on_autocontacts_changed), self);

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

/* The key under which books count @domain: as a contact's address would give it, so that any
 * case works; @domain as it is when it has no such form. */
static char *
dup_domain_key (const char *domain)
{
  g_autofree char *address = g_strconcat ("@", domain, NULL);
  char *key = rg_book_domain_from_address (address);

  return key != NULL ? key : g_strdup (domain);
}

/**
 * rg_known_domains_get_evidence:
 * @domain: (nullable): a domain; it is lower-cased as the stored ones are, so any case works
 * @source: the kind of evidence
 *
 * What rg_known_domains_add_to_config() adds for @domain from @source:
 * %RG_SOURCE_CONTACT, the contacts of the ordinary address books with an address there
 * other than one of the user's own (their own card is no contact);
 * %RG_SOURCE_COLLECTED, those of the book Evolution's automatic contacts write to, when it is
 * a book of its own (not "Personal", which holds the user's contacts too);
 * %RG_SOURCE_IDENTITY, 1 when one of the user's own addresses is there.  The administrator's
 * domains (%RG_SOURCE_ADMIN) are the settings' business (rg_settings_apply()): 0.
 *
 * Cost: O(length of @domain) per address book, O(own addresses) for %RG_SOURCE_IDENTITY.
 *
 * Returns: the count; 0 for NULL.
 * Since: 0.2
 */
guint
rg_known_domains_get_evidence (RgKnownDomains *self,
                               const char     *domain,
                               rg_source       source)
{
  g_autofree char *key = NULL;
  GHashTableIter iter;
  gpointer value = NULL;
  guint count = 0;

  g_return_val_if_fail (RG_IS_KNOWN_DOMAINS (self), 0);

  if (domain == NULL)
    return 0;
  key = dup_domain_key (domain);

  switch (source)
    {
    case RG_SOURCE_CONTACT:
    case RG_SOURCE_COLLECTED:
      g_hash_table_iter_init (&iter, self->books);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (rg_known_domains_get_book_source (self, value) == source)
          count += rg_book_get_count (value, key);
      return count;
    case RG_SOURCE_IDENTITY:
      for (gsize i = 0; self->own_addresses != NULL && self->own_addresses[i] != NULL; i++)
        {
          g_autofree char *own = rg_book_domain_from_address (self->own_addresses[i]);

          if (g_strcmp0 (own, key) == 0)
            return 1;
        }
      return 0;
    case RG_SOURCE_ADMIN:
    default:
      return 0;
    }
}

/**
 * rg_known_domains_get_contact_count:
 * @domain: (nullable): a domain; it is lower-cased as the stored ones are, so any case works
 *
 * Cost: O(length of @domain) per address book.
 *
 * Returns: the number of contacts, across all address books, with at least one address at
 * @domain (a contact in two books counts twice: they are two cards), collected ones
 * included; 0 for NULL.
 * Since: 0.1
 */
guint
rg_known_domains_get_contact_count (RgKnownDomains *self,
                                    const char     *domain)
{
  g_return_val_if_fail (RG_IS_KNOWN_DOMAINS (self), 0);

  return rg_known_domains_get_evidence (self, domain, RG_SOURCE_CONTACT)
         + rg_known_domains_get_evidence (self, domain, RG_SOURCE_COLLECTED);
}

static void
add_domain_to_set (const char *domain,
                   guint       count,
                   gpointer    user_data)
{
  g_hash_table_add (user_data, (gpointer) domain);
}

/**
 * rg_known_domains_get_n_domains:
 *
 * Cost: O(number of domains in all books).
 *
 * Returns: the number of distinct contact domains (own domains without contacts excluded).
 * Since: 0.1
 */
guint
rg_known_domains_get_n_domains (RgKnownDomains *self)
{
  g_autoptr (GHashTable) domains = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer value = NULL;

  g_return_val_if_fail (RG_IS_KNOWN_DOMAINS (self), 0);

  g_hash_table_iter_init (&iter, self->books);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    rg_book_foreach_domain (value, add_domain_to_set, domains);
  return g_hash_table_size (domains);
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

/* The evidence for one domain, summed over the books: a count per source. */
typedef struct
{
  guint32 counts[RG_N_SOURCES];
} RgEvidence;

typedef struct
{
  GHashTable *evidence; /* domain (borrowed) → RgEvidence */
  rg_source source;
} RgGather;

static void
gather_evidence (const char *domain,
                 guint       count,
                 gpointer    user_data)
{
  RgGather *gather = user_data;
  RgEvidence *evidence = g_hash_table_lookup (gather->evidence, domain);
  guint32 *sum = NULL;

  if (evidence == NULL)
    {
      evidence = g_new0 (RgEvidence, 1);
      g_hash_table_insert (gather->evidence, (gpointer) domain, evidence);
    }
  sum = &evidence->counts[gather->source];
  *sum = count > G_MAXUINT32 - *sum ? G_MAXUINT32 : *sum + count;
}

/**
 * rg_known_domains_add_to_config:
 * @config: the config to add to
 *
 * Adds, for every domain, the evidence that the user writes to it, each source once with its
 * count (rg_known_domains_get_evidence()): the contacts of ordinary books, those of the
 * automatic contacts' book, and 1 for an own domain.  An own domain counts one more than its
 * contacts: it is known even when no contact is there (the user writes from it, and to
 * colleagues at it), while one use keeps it from outranking the domains the user really
 * corresponds with.
 *
 * Cost: O(number of domains in all books) calls of rg_config_add_evidence(), one per domain
 * and source.
 *
 * Returns: how many domains @config refused (invalid, a public suffix, over its limit).
 * Since: 0.1
 */
guint
rg_known_domains_add_to_config (RgKnownDomains *self,
                                rg_config      *config)
{
  g_autoptr (GHashTable) evidence = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                           g_free);
  /* The own domains, which @evidence borrows as keys (the books' domains it borrows from the
   * books). */
  g_autoptr (GPtrArray) own = g_ptr_array_new_with_free_func (g_free);
  RgGather gather = { evidence, RG_SOURCE_CONTACT };
  GHashTableIter iter;
  gpointer key = NULL;
  gpointer value = NULL;
  guint refused = 0;

  g_return_val_if_fail (RG_IS_KNOWN_DOMAINS (self), 0);
  g_return_val_if_fail (config != NULL, 0);

  g_hash_table_iter_init (&iter, self->books);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      gather.source = rg_known_domains_get_book_source (self, value);
      rg_book_foreach_domain (value, gather_evidence, &gather);
    }

  /* Several own addresses at one domain count it once. */
  gather.source = RG_SOURCE_IDENTITY;
  for (gsize i = 0; self->own_addresses != NULL && self->own_addresses[i] != NULL; i++)
    {
      char *domain = rg_book_domain_from_address (self->own_addresses[i]);
      RgEvidence *found = NULL;

      if (domain == NULL)
        continue;
      g_ptr_array_add (own, domain);
      found = g_hash_table_lookup (evidence, domain);
      if (found == NULL || found->counts[RG_SOURCE_IDENTITY] == 0)
        gather_evidence (domain, 1, &gather);
    }

  g_hash_table_iter_init (&iter, evidence);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      RgEvidence *found = value;

      for (rg_source source = 0; source < RG_N_SOURCES; source++)
        {
          if (found->counts[source] == 0)
            continue;
          /* A domain the core refuses, it refuses from every source. */
          if (rg_config_add_evidence (config, key, found->counts[source], source) != RG_OK)
            {
              refused++;
              break;
            }
        }
    }

  if (refused > 0)
    g_debug ("known domains: the checker refused %u domains", refused);
  return refused;
}
