/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * RgKnownDomains against a real evolution-data-server: contacts go into real address books
 * over D-Bus, and the counts, the live updates and the checker built from them are asserted.
 *
 * Run through tests/common/rg-session --dbus (meson does): it gives a throwaway HOME and a
 * private session bus where the registry and the address-book factory start by activation.
 * Each test uses domains of its own, so the tests also pass when run one after another in one
 * session.
 */
#define G_LOG_DOMAIN "rcptguard-test"

#include <string.h>

#include <glib/gstdio.h>
#include <libebook/libebook.h>
#include <libedataserver/libedataserver.h>

#include "rg-autoptr.h"
#include "rg-finding-text.h"
#include "rg-known-domains.h"
#include "rg-test-locale.h"

/* No wait in these tests runs longer; the meson timeout is a last resort above them. */
#define WAIT_SECONDS 30

/* The test's own view of the registry; NULL when the session has no bus. */
static ESourceRegistry *registry;

static ESourceRegistry *
get_registry (void)
{
  if (registry == NULL)
    g_error ("no session bus: run this test through rg-session --dbus");
  return registry;
}

/* ---------------------------------------------------------------------------------------- */
/* Waiting */

typedef struct
{
  guint n_changed;
  gboolean timed_out;
} ChangedCounter;

static void
on_changed (RgKnownDomains *known,
            gpointer        user_data)
{
  ChangedCounter *counter = user_data;

  counter->n_changed++;
}

static gboolean
on_wait_timeout (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the default main context until *@flag is set or @seconds pass; returns *@flag. */
static gboolean
wait_for_flag (gboolean *flag,
               guint     seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, on_wait_timeout, &timed_out);

  while (!*flag && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return *flag;
}

/* Iterates until "changed" has been emitted more than @n_before times in all. */
static gboolean
wait_for_changed (ChangedCounter *counter,
                  guint           n_before)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (WAIT_SECONDS, on_wait_timeout, &timed_out);

  while (counter->n_changed <= n_before && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return counter->n_changed > n_before;
}

typedef struct
{
  gboolean done;
  gboolean ok;
  GError *error;
} LoadResult;

static void
on_loaded (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  LoadResult *load = user_data;

  load->ok = rg_known_domains_load_finish (RG_KNOWN_DOMAINS (object), result, &load->error);
  load->done = TRUE;
}

/* Loads @known in the default main context, as the Evolution module does, and returns the
 * time it took in milliseconds. */
static double
load_known (RgKnownDomains *known)
{
  LoadResult load = { FALSE, FALSE, NULL };
  gint64 start = g_get_monotonic_time ();

  rg_known_domains_load_async (known, NULL, on_loaded, &load);
  g_assert_true (wait_for_flag (&load.done, 60));
  g_assert_no_error (load.error);
  g_assert_true (load.ok);
  g_assert_true (rg_known_domains_is_loaded (known));
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* ---------------------------------------------------------------------------------------- */
/* evolution-data-server, as a user's Evolution would fill it */

static EContact *
make_contact (const char *name,
              const char *email_1,
              const char *email_2)
{
  EContact *contact = e_contact_new ();

  e_contact_set (contact, E_CONTACT_FULL_NAME, name);
  if (email_1 != NULL)
    e_contact_set (contact, E_CONTACT_EMAIL_1, email_1);
  if (email_2 != NULL)
    e_contact_set (contact, E_CONTACT_EMAIL_2, email_2);
  return contact;
}

/* Book clients are returned as EClient: evolution-data-server 3.46 defines g_autoptr()
 * cleanups for EClient and ESource, not for EBookClient or EContact.  No wait for
 * "connected": the status arrives through this thread's main context, which a synchronous
 * call does not run, so any wait would last its whole length. */
static EClient *
connect_book (ESource *source)
{
  g_autoptr (GError) error = NULL;
  EClient *client = e_book_client_connect_sync (source, (guint32) -1, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (client);
  return client;
}

static EClient *
connect_builtin_book (void)
{
  g_autoptr (ESource) source = e_source_registry_ref_builtin_address_book (get_registry ());

  g_assert_nonnull (source);
  return connect_book (source);
}

/* Adds @contacts (transfer full) to @client and returns their uids, in order. */
static GPtrArray *
add_contacts (EBookClient *client,
              GSList      *contacts)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *uids = g_ptr_array_new_with_free_func (g_free);
  GSList *added = NULL;
  GSList *link = NULL;

  e_book_client_add_contacts_sync (client, contacts, E_BOOK_OPERATION_FLAG_NONE, &added, NULL,
                                   &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_slist_length (added), ==, g_slist_length (contacts));
  for (link = added; link != NULL; link = link->next)
    g_ptr_array_add (uids, g_steal_pointer (&link->data));
  g_slist_free (added);
  g_slist_free_full (contacts, g_object_unref);
  return uids;
}

/* Creates an address-book source with backend @backend_name and returns the registry's own
 * instance of it. */
static ESource *
create_book_source (const char *display_name,
                    const char *backend_name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ESource) scratch = e_source_new (NULL, NULL, &error);
  ESourceBackend *extension = NULL;
  ESource *source = NULL;

  g_assert_no_error (error);
  e_source_set_display_name (scratch, display_name);
  e_source_set_parent (scratch, "local-stub");
  extension = e_source_get_extension (scratch, E_SOURCE_EXTENSION_ADDRESS_BOOK);
  e_source_backend_set_backend_name (extension, backend_name);
  e_source_registry_commit_source_sync (get_registry (), scratch, NULL, &error);
  g_assert_no_error (error);

  source = e_source_registry_ref_source (get_registry (), e_source_get_uid (scratch));
  g_assert_nonnull (source);
  return source;
}

/* Creates the user's own identity, as Evolution's account assistant does: through the
 * registry, which writes it to $XDG_CONFIG_HOME/evolution/sources/.  Returns the registry's
 * own instance of it. */
static ESource *
create_identity (const char *display_name,
                 const char *address,
                 const char *aliases)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ESource) scratch = e_source_new (NULL, NULL, &error);
  ESourceMailIdentity *extension = NULL;
  ESource *identity = NULL;

  g_assert_no_error (error);
  e_source_set_display_name (scratch, display_name);
  extension = e_source_get_extension (scratch, E_SOURCE_EXTENSION_MAIL_IDENTITY);
  e_source_mail_identity_set_address (extension, address);
  e_source_mail_identity_set_aliases (extension, aliases);
  e_source_registry_commit_source_sync (get_registry (), scratch, NULL, &error);
  g_assert_no_error (error);
  identity = e_source_registry_ref_source (get_registry (), e_source_get_uid (scratch));
  g_assert_nonnull (identity);
  return identity;
}

static gboolean
strv_contains_case (const char *const *strv,
                    const char        *str)
{
  for (; strv != NULL && *strv != NULL; strv++)
    if (g_ascii_strcasecmp (*strv, str) == 0)
      return TRUE;
  return FALSE;
}

/* ---------------------------------------------------------------------------------------- */
/* Tests */

/* Counts, own addresses, the checker built from them, and the live view: additions,
 * modifications, removals, a book disabled, enabled again and removed. */
static void
test_counts_and_updates (void)
{
  g_autoptr (EClient) personal_client = connect_builtin_book ();
  EBookClient *personal = E_BOOK_CLIENT (personal_client);
  g_autoptr (ESource) second_source = NULL;
  g_autoptr (EClient) second = NULL;
  g_autoptr (GPtrArray) personal_uids = NULL;
  RgKnownDomains *known = NULL;
  g_autoptr (rg_config) config = NULL;
  g_autoptr (rg_checker) checker = NULL;
  g_autoptr (rg_report) report = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (ESource) identity = NULL;
  EContact *moved = NULL;
  EContact *list = NULL;
  GSList *contacts = NULL;
  GSList *found = NULL;
  ChangedCounter counter = { 0, FALSE };
  const char *recipients[] = { "ops@army.ml", "boss@corp.example" };
  const rg_finding *finding = NULL;
  const char *const *own = NULL;
  guint refused = 0;
  guint n = 0;

  identity = create_identity ("Me at Corp", "me@corp.example",
                              "Me Too <alias@corp-alias.example>");

  /* The system address book ("Personal"): three people at army.mil, one of them with two
   * addresses there (in two spellings: one domain; "MIL" is the dotless-i trap under
   * tr_TR), one at example.org, one at an IDN domain in upper case and in decomposed form
   * (one domain again), a contact list, a contact without address. */
  contacts = g_slist_append (contacts, make_contact ("Ann Ops", "ann@army.mil", NULL));
  contacts = g_slist_append (contacts,
                             make_contact ("Bob Ops", "bob@army.mil", "Bob.Ops@Army.MIL"));
  contacts = g_slist_append (contacts,
                             make_contact ("Cat Ops", "cat@army.mil", "cat@home.example"));
  contacts = g_slist_append (contacts, make_contact ("Dan Org", "dan@example.org", NULL));
  contacts = g_slist_append (contacts, make_contact ("Jo Books", "jo@B\xc3\x9c" "CHER.example",
                                                    "jo@bu\xcc\x88" "cher.example"));
  contacts = g_slist_append (contacts, make_contact ("No Mail", NULL, NULL));
  list = make_contact ("The List", "member@listonly.example", "other@listonly.example");
  e_contact_set (list, E_CONTACT_IS_LIST, GINT_TO_POINTER (TRUE));
  contacts = g_slist_append (contacts, list);
  personal_uids = add_contacts (personal, contacts);

  /* The list really is in the book, addresses and all: it is skipped by choice. */
  e_book_client_get_contacts_sync (personal, "(endswith \"email\" \"@listonly.example\")", &found,
                                   NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_slist_length (found), ==, 1);
  g_assert_true (GPOINTER_TO_INT (e_contact_get (found->data, E_CONTACT_IS_LIST)));
  g_slist_free_full (found, g_object_unref);

  /* A second, user-created local book with two more people at army.mil. */
  second_source = create_book_source ("Work", "local");
  second = connect_book (second_source);
  contacts = NULL;
  contacts = g_slist_append (contacts, make_contact ("Eve Ops", "eve@army.mil", NULL));
  contacts = g_slist_append (contacts, make_contact ("Fay Ops", " fay@army.mil. ", NULL));
  g_ptr_array_unref (add_contacts (E_BOOK_CLIENT (second), contacts));

  known = rg_known_domains_new ();
  g_signal_connect (known, "changed", G_CALLBACK (on_changed), &counter);
  g_test_message ("loaded in %.0f ms", load_known (known));

  /* Exactly one "changed" for the whole initial load. */
  g_assert_cmpuint (counter.n_changed, ==, 1);

  g_assert_cmpuint (rg_known_domains_get_contact_count (known, "army.mil"), ==, 5);
  g_assert_cmpuint (rg_known_domains_get_contact_count (known, "ARMY.MIL"), ==, 5);
  g_assert_cmpuint (rg_known_domains_get_contact_count (known, "example.org"), ==, 1);
  g_assert_cmpuint (rg_known_domains_get_contact_count (known, "home.example"), ==, 1);
  g_assert_cmpuint (rg_known_domains_get_contact_count (known, "listonly.example"), ==, 0);
  g_assert_cmpuint (rg_known_domains_get_contact_count (known, "b\xc3\xbc" "cher.example"), ==,
                    1);
  g_assert_cmpuint (rg_known_domains_get_contact_count (known, "corp.example"), ==, 0);
  g_assert_cmpuint (rg_known_domains_get_n_domains (known), ==, 4);
  /* No book is the automatic contacts' own: every count is the user's contacts; the own
   * domains are identities. */
  g_assert_cmpuint (rg_known_domains_get_evidence (known, "army.mil", RG_SOURCE_CONTACT), ==, 5);
  g_assert_cmpuint (rg_known_domains_get_evidence (known, "army.mil", RG_SOURCE_COLLECTED), ==,
                    0);
  g_assert_cmpuint (rg_known_domains_get_evidence (known, "army.mil", RG_SOURCE_IDENTITY), ==,
                    0);
  g_assert_cmpuint (rg_known_domains_get_evidence (known, "Corp.Example", RG_SOURCE_IDENTITY),
                    ==, 1);
  g_assert_cmpuint (rg_known_domains_get_evidence (known, "corp-alias.example",
                                                   RG_SOURCE_IDENTITY), ==, 1);

  own = rg_known_domains_get_own_addresses (known);
  g_assert_nonnull (own);
  g_assert_true (strv_contains_case (own, "me@corp.example"));
  g_assert_true (strv_contains_case (own, "alias@corp-alias.example"));
  g_assert_cmpuint (g_strv_length ((char **) own), ==, 2);

  /* The checker built from them: army.ml is the slip, army.mil the suggestion, with the
   * contact count behind it; the own domain is known. */
  config = rg_config_new ();
  g_assert_nonnull (config);
  refused = rg_known_domains_add_to_config (known, config);
  g_assert_cmpuint (refused, ==, 0);
  g_assert_cmpint (rg_checker_new (config, &checker), ==, RG_OK);
  g_assert_cmpint (rg_checker_check (checker, recipients, G_N_ELEMENTS (recipients), &report),
                   ==, RG_OK);
  g_assert_cmpuint (rg_report_get_n_findings (report), ==, 2);
  finding = rg_report_get_finding (report, 0);
  g_assert_cmpint (rg_finding_get_verdict (finding), ==, RG_VERDICT_WARN);
  g_assert_cmpstr (rg_finding_get_suggestion (finding), ==, "ops@army.mil");
  g_assert_cmpuint (rg_finding_get_suggested_count (finding), ==, 5);
  finding = rg_report_get_finding (report, 1);
  g_assert_cmpint (rg_finding_get_verdict (finding), ==, RG_VERDICT_OK);

  /* Live: a new contact at a new domain, one army.mil contact removed, and Dan moving from
   * example.org to modified.example, while the view runs. */
  contacts = g_slist_append (NULL, make_contact ("New Person", "new@newdomain.test", NULL));
  g_ptr_array_unref (add_contacts (personal, contacts));
  e_book_client_remove_contact_by_uid_sync (personal, g_ptr_array_index (personal_uids, 0),
                                            E_BOOK_OPERATION_FLAG_NONE, NULL, &error);
  g_assert_no_error (error);
  e_book_client_get_contact_sync (personal, g_ptr_array_index (personal_uids, 3), &moved, NULL,
                                  &error);
  g_assert_no_error (error);
  e_contact_set (moved, E_CONTACT_EMAIL_1, "dan@modified.example");
  e_book_client_modify_contact_sync (personal, moved, E_BOOK_OPERATION_FLAG_NONE, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&moved);

  /* The three changes may come in one "changed" or in several; wait until all have. */
  for (n = counter.n_changed;
       rg_known_domains_get_contact_count (known, "modified.example") != 1
       || rg_known_domains_get_contact_count (known, "newdomain.test") != 1
       || rg_known_domains_get_contact_count (known, "army.mil") != 4;
       n = counter.n_changed)
    g_assert_true (wait_for_changed (&counter, n));
  g_assert_cmpuint (rg_known_domains_get_contact_count (known, "example.org"), ==, 0);
  g_assert_cmpuint (rg_known_domains_get_n_domains (known), ==, 5);

  /* The second book disabled: its two army.mil contacts go. */
  e_source_set_enabled (second_source, FALSE);
  e_source_write_sync (second_source, NULL, &error);
  g_assert_no_error (error);
  for (n = counter.n_changed; rg_known_domains_get_contact_count (known, "army.mil") != 2;
       n = counter.n_changed)
    g_assert_true (wait_for_changed (&counter, n));

  /* Enabled again: opened and counted again. */
  e_source_set_enabled (second_source, TRUE);
  e_source_write_sync (second_source, NULL, &error);
  g_assert_no_error (error);
  for (n = counter.n_changed; rg_known_domains_get_contact_count (known, "army.mil") != 4;
       n = counter.n_changed)
    g_assert_true (wait_for_changed (&counter, n));

  /* A new identity address: the own addresses follow the registry. */
  e_source_mail_identity_set_address (
    e_source_get_extension (identity, E_SOURCE_EXTENSION_MAIL_IDENTITY), "me@newcorp.example");
  e_source_write_sync (identity, NULL, &error);
  g_assert_no_error (error);
  for (n = counter.n_changed;
       !strv_contains_case (rg_known_domains_get_own_addresses (known), "me@newcorp.example");
       n = counter.n_changed)
    g_assert_true (wait_for_changed (&counter, n));
  g_assert_false (strv_contains_case (rg_known_domains_get_own_addresses (known),
                                      "me@corp.example"));

  /* The second book removed for good. */
  g_clear_object (&second);
  e_source_remove_sync (second_source, NULL, &error);
  g_assert_no_error (error);
  for (n = counter.n_changed; rg_known_domains_get_contact_count (known, "army.mil") != 2;
       n = counter.n_changed)
    g_assert_true (wait_for_changed (&counter, n));
  g_assert_cmpuint (rg_known_domains_get_contact_count (known, "newdomain.test"), ==, 1);

  /* Leave the identity and the books as the next test expects to find a user's: the
   * identity stays (it changes no contact count), the army.mil people go. */
  for (n = 1; n < 3; n++)
    {
      e_book_client_remove_contact_by_uid_sync (personal, g_ptr_array_index (personal_uids, n),
                                                E_BOOK_OPERATION_FLAG_NONE, NULL, &error);
      g_assert_no_error (error);
    }

  /* Nothing it started (views, timers, registry callbacks) keeps it alive. */
  g_assert_finalize_object (known);
}

/* The report on @address of a checker built from what @known adds to a config. */
static rg_report *
check_with_known (RgKnownDomains *known,
                  const char     *address)
{
  g_autoptr (rg_config) config = rg_config_new ();
  g_autoptr (rg_checker) checker = NULL;
  rg_report *report = NULL;

  g_assert_cmpuint (rg_known_domains_add_to_config (known, config), ==, 0);
  g_assert_cmpint (rg_checker_new (config, &checker), ==, RG_OK);
  g_assert_cmpint (rg_checker_check (checker, &address, 1, &report), ==, RG_OK);
  g_assert_cmpuint (rg_report_get_n_findings (report), ==, 1);
  return report;
}

/* Evolution's automatic contacts: the contacts of the book they write to, when it is a book of
 * their own, are collected evidence.  Three addresses at army.ml collected after three "Send
 * Anyway" are still weak beside the thirty colleagues at army.mil: a rare twin.  The same
 * three as the user's own contacts are not.  The setting is followed live. */
static void
test_collected (void)
{
  GSettingsSchemaSource *schemas = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;
  g_autoptr (GSettings) autocontacts = NULL;
  g_autoptr (ESource) colleagues_source = NULL;
  g_autoptr (ESource) automatic_source = NULL;
  g_autoptr (EClient) colleagues = NULL;
  g_autoptr (EClient) automatic = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (rg_report) report = NULL;
  RgKnownDomains *known = NULL;
  ChangedCounter counter = { 0, FALSE };
  const rg_finding *finding = NULL;
  GSList *contacts = NULL;
  guint n = 0;

  if (schemas != NULL)
    schema = g_settings_schema_source_lookup (schemas, "org.gnome.evolution.plugin.autocontacts",
                                              TRUE);
  if (schema == NULL)
    {
      g_test_skip ("Evolution's schema org.gnome.evolution.plugin.autocontacts is not "
                   "installed");
      return;
    }
  autocontacts = g_settings_new_full (schema, NULL, NULL);

  colleagues_source = create_book_source ("Colleagues", "local");
  colleagues = connect_book (colleagues_source);
  for (n = 0; n < 30; n++)
    {
      g_autofree char *name = g_strdup_printf ("Colleague %02u", n);
      g_autofree char *email = g_strdup_printf ("c%02u@army.mil", n);

      contacts = g_slist_prepend (contacts, make_contact (name, email, NULL));
    }
  g_ptr_array_unref (add_contacts (E_BOOK_CLIENT (colleagues), contacts));

  /* As the plugin adds them (bbdb_do_it ()): the local part as the full name, the address. */
  automatic_source = create_book_source ("Automatic Contacts", "local");
  automatic = connect_book (automatic_source);
  contacts = NULL;
  contacts = g_slist_append (contacts, make_contact ("ops", "ops@army.ml", NULL));
  contacts = g_slist_append (contacts, make_contact ("hq", "hq@army.ml", NULL));
  contacts = g_slist_append (contacts, make_contact ("duty", "duty@army.ml", NULL));
  g_ptr_array_unref (add_contacts (E_BOOK_CLIENT (automatic), contacts));
  g_assert_true (g_settings_set_string (autocontacts, "addressbook-source",
                                        e_source_get_uid (automatic_source)));

  known = rg_known_domains_new ();
  g_signal_connect (known, "changed", G_CALLBACK (on_changed), &counter);
  load_known (known);

  g_assert_cmpuint (rg_known_domains_get_evidence (known, "army.ml", RG_SOURCE_COLLECTED), ==,
                    3);
  g_assert_cmpuint (rg_known_domains_get_evidence (known, "army.ml", RG_SOURCE_CONTACT), ==, 0);
  g_assert_cmpuint (rg_known_domains_get_evidence (known, "army.mil", RG_SOURCE_CONTACT), ==,
                    30);
  g_assert_cmpuint (rg_known_domains_get_evidence (known, "army.mil", RG_SOURCE_COLLECTED), ==,
                    0);
  g_assert_cmpuint (rg_known_domains_get_contact_count (known, "army.ml"), ==, 3);
  report = check_with_known (known, "ops@army.ml");
  finding = rg_report_get_finding (report, 0);
  g_assert_cmpint (rg_finding_get_verdict (finding), ==, RG_VERDICT_WARN);
  g_assert_cmpint (rg_finding_get_reason (finding, 0), ==, RG_REASON_RARE_TWIN);
  g_assert_cmpstr (rg_finding_get_suggestion (finding), ==, "ops@army.mil");
  g_assert_cmpuint (rg_finding_get_count (finding), ==, 3);
  g_assert_cmpuint (rg_finding_get_suggested_count (finding), ==, 30);
  g_clear_pointer (&report, rg_report_free);

  /* Automatic contacts into "Personal", the built-in book, named: the book of their own is
   * an ordinary one again, and its three contacts are the user's. */
  g_assert_true (g_settings_set_string (autocontacts, "addressbook-source",
                                        "system-address-book"));
  for (n = counter.n_changed;
       rg_known_domains_get_evidence (known, "army.ml", RG_SOURCE_CONTACT) != 3;
       n = counter.n_changed)
    g_assert_true (wait_for_changed (&counter, n));
  g_assert_cmpuint (rg_known_domains_get_evidence (known, "army.ml", RG_SOURCE_COLLECTED), ==,
                    0);
  report = check_with_known (known, "ops@army.ml");
  g_assert_cmpint (rg_report_get_verdict (report), ==, RG_VERDICT_OK);
  g_clear_pointer (&report, rg_report_free);

  /* The book of their own again: collected. */
  g_assert_true (g_settings_set_string (autocontacts, "addressbook-source",
                                        e_source_get_uid (automatic_source)));
  for (n = counter.n_changed;
       rg_known_domains_get_evidence (known, "army.ml", RG_SOURCE_COLLECTED) != 3;
       n = counter.n_changed)
    g_assert_true (wait_for_changed (&counter, n));

  /* The default, empty, also means "Personal". */
  g_settings_reset (autocontacts, "addressbook-source");
  for (n = counter.n_changed;
       rg_known_domains_get_evidence (known, "army.ml", RG_SOURCE_CONTACT) != 3;
       n = counter.n_changed)
    g_assert_true (wait_for_changed (&counter, n));

  /* Leave the session as the other tests expect to find it. */
  g_clear_object (&colleagues);
  g_clear_object (&automatic);
  e_source_remove_sync (colleagues_source, NULL, &error);
  g_assert_no_error (error);
  e_source_remove_sync (automatic_source, NULL, &error);
  g_assert_no_error (error);
  for (n = counter.n_changed; rg_known_domains_get_contact_count (known, "army.ml") != 0;
       n = counter.n_changed)
    g_assert_true (wait_for_changed (&counter, n));
  g_assert_finalize_object (known);
}

/* The user's own addresses are no contacts: their own card and their address collected
 * (into "Personal", in another case) do not turn two colleagues at navy.mil into "which 3 of
 * your contacts use".  The identity still makes its domain known, an alias written as
 * "Name <address>" is recognised, and a card's other addresses still count.  A changed
 * identity counts the books again. */
static void
test_own_addresses (void)
{
  g_autoptr (EClient) personal = connect_builtin_book ();
  g_autoptr (ESource) identity = create_identity ("Me at the Navy", "Me@Navy.Mil",
                                                  "Me Too <me.too@fleet.example>");
  g_autoptr (GError) error = NULL;
  g_autoptr (rg_report) report = NULL;
  g_autofree char *description = NULL;
  RgKnownDomains *known = NULL;
  ChangedCounter counter = { 0, FALSE };
  const rg_finding *finding = NULL;
  GSList *contacts = NULL;
  guint n = 0;

  contacts = g_slist_append (contacts, make_contact ("Me", "me@navy.mil", "me@home.example"));
  contacts = g_slist_append (contacts, make_contact ("me", "ME@NAVY.MIL.", NULL));
  contacts = g_slist_append (contacts,
                             make_contact ("Me Too", "Me Too <ME.TOO@fleet.example>", NULL));
  contacts = g_slist_append (contacts, make_contact ("Ann", "ann@navy.mil", NULL));
  contacts = g_slist_append (contacts, make_contact ("Bob", "bob@navy.mil", "bob@fleet.example"));
  g_ptr_array_unref (add_contacts (E_BOOK_CLIENT (personal), contacts));

  known = rg_known_domains_new ();
  g_signal_connect (known, "changed", G_CALLBACK (on_changed), &counter);
  load_known (known);

  g_assert_cmpuint (rg_known_domains_get_contact_count (known, "navy.mil"), ==, 2);
  g_assert_cmpuint (rg_known_domains_get_evidence (known, "navy.mil", RG_SOURCE_CONTACT), ==,
                    2);
  g_assert_cmpuint (rg_known_domains_get_contact_count (known, "fleet.example"), ==, 1);
  g_assert_cmpuint (rg_known_domains_get_contact_count (known, "home.example"), ==, 1);
  g_assert_cmpuint (rg_known_domains_get_evidence (known, "navy.mil", RG_SOURCE_IDENTITY), ==,
                    1);
  g_assert_cmpuint (rg_known_domains_get_evidence (known, "fleet.example", RG_SOURCE_IDENTITY),
                    ==, 1);

  /* What the person at Send reads: the domain meant is the user's own, which no count of
   * contacts describes (the use count sums the two colleagues and the identity). */
  report = check_with_known (known, "ops@navy.ml");
  finding = rg_report_get_finding (report, 0);
  g_assert_cmpint (rg_finding_get_verdict (finding), ==, RG_VERDICT_WARN);
  g_assert_cmpstr (rg_finding_get_suggestion (finding), ==, "ops@navy.mil");
  g_assert_cmpuint (rg_finding_get_suggested_count (finding), ==, 3);
  description = rg_finding_dup_description (finding, FALSE);
  g_test_message ("%s", description);
  g_assert_nonnull (strstr (description, "navy.mil, your own domain"));
  g_assert_null (strstr (description, "contacts"));
  g_clear_pointer (&report, rg_report_free);

  /* Another address for the identity: the user's old cards are contacts again. */
  e_source_mail_identity_set_address (
    e_source_get_extension (identity, E_SOURCE_EXTENSION_MAIL_IDENTITY), "me@new-navy.example");
  e_source_write_sync (identity, NULL, &error);
  g_assert_no_error (error);
  for (n = counter.n_changed; rg_known_domains_get_contact_count (known, "navy.mil") != 4;
       n = counter.n_changed)
    g_assert_true (wait_for_changed (&counter, n));
  g_assert_cmpuint (rg_known_domains_get_contact_count (known, "fleet.example"), ==, 1);
  g_assert_cmpuint (rg_known_domains_get_evidence (known, "navy.mil", RG_SOURCE_IDENTITY), ==,
                    0);

  /* Leave the session as the other tests expect to find it. */
  e_source_remove_sync (identity, NULL, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (known);
}

/* A book whose backend does not exist fails to open; loading must finish anyway, promptly
 * (not by the 30 s time limit), with the other books counted.  load_sync is the command
 * line's way in. */
static void
test_broken_book (void)
{
  g_autoptr (EClient) personal = connect_builtin_book ();
  g_autoptr (ESource) broken = create_book_source ("Broken", "nonexistent");
  RgKnownDomains *known = rg_known_domains_new ();
  g_autoptr (GError) error = NULL;
  GSList *contacts = NULL;
  gint64 start = 0;
  double ms = 0;

  /* Opening it really fails: this test is about that path. */
  g_assert_null (e_book_client_connect_sync (broken, (guint32) -1, NULL, &error));
  g_assert_nonnull (error);
  g_test_message ("the broken book: %s", error->message);
  g_clear_error (&error);

  contacts = g_slist_append (contacts, make_contact ("Gil", "gil@broken-case.example", NULL));
  contacts = g_slist_append (contacts, make_contact ("Hal", "hal@broken-case.example", NULL));
  g_ptr_array_unref (add_contacts (E_BOOK_CLIENT (personal), contacts));

  start = g_get_monotonic_time ();
  g_assert_true (rg_known_domains_load_sync (known, NULL, &error));
  g_assert_no_error (error);
  ms = (g_get_monotonic_time () - start) / 1000.0;
  g_test_message ("loaded with a broken book in %.0f ms", ms);
  g_assert_cmpfloat (ms, <, 20000);
  g_assert_true (rg_known_domains_is_loaded (known));
  g_assert_cmpuint (rg_known_domains_get_contact_count (known, "broken-case.example"), ==, 2);
  g_assert_finalize_object (known);
}

/* A book whose server never answers: an LDAP book pointed at a socket that accepts
 * connections (the kernel does, into the listen backlog) and says nothing.  Loading must
 * finish at its time limit with the other books counted, and not hang. */
static void
test_hung_book (void)
{
  g_autoptr (EClient) personal = connect_builtin_book ();
  g_autoptr (GSocketListener) listener = g_socket_listener_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (ESource) scratch = e_source_new (NULL, NULL, &error);
  g_autoptr (ESource) hung = NULL;
  RgKnownDomains *known = rg_known_domains_new ();
  ESourceAuthentication *auth = NULL;
  ESourceLDAP *ldap = NULL;
  GSList *contacts = NULL;
  double ms = 0;
  guint16 port = 0;

  g_assert_no_error (error);
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);

  e_source_set_display_name (scratch, "Silent LDAP");
  e_source_set_parent (scratch, "ldap-stub");
  e_source_backend_set_backend_name (
    e_source_get_extension (scratch, E_SOURCE_EXTENSION_ADDRESS_BOOK), "ldap");
  auth = e_source_get_extension (scratch, E_SOURCE_EXTENSION_AUTHENTICATION);
  e_source_authentication_set_host (auth, "127.0.0.1");
  e_source_authentication_set_port (auth, port);
  e_source_authentication_set_method (auth, "none");
  ldap = e_source_get_extension (scratch, E_SOURCE_EXTENSION_LDAP_BACKEND);
  e_source_ldap_set_root_dn (ldap, "dc=example,dc=test");
  e_source_ldap_set_authentication (ldap, E_SOURCE_LDAP_AUTHENTICATION_NONE);
  e_source_ldap_set_security (ldap, E_SOURCE_LDAP_SECURITY_NONE);
  e_source_registry_commit_source_sync (get_registry (), scratch, NULL, &error);
  g_assert_no_error (error);
  hung = e_source_registry_ref_source (get_registry (), e_source_get_uid (scratch));
  g_assert_nonnull (hung);

  contacts = g_slist_append (contacts, make_contact ("Ivy", "ivy@hung-case.example", NULL));
  g_ptr_array_unref (add_contacts (E_BOOK_CLIENT (personal), contacts));

  ms = load_known (known);
  g_test_message ("loaded with a silent LDAP book in %.0f ms", ms);
  /* It was the time limit (30 s) that ended the wait: the book really hung. */
  g_assert_cmpfloat (ms, >=, 29000);
  g_assert_cmpfloat (ms, <, 40000);
  g_assert_cmpuint (rg_known_domains_get_contact_count (known, "hung-case.example"), ==, 1);
  g_assert_finalize_object (known);
}

/* Cancelling the wait returns at once with G_IO_ERROR_CANCELLED; the loading itself goes on
 * and ends in "changed" with the counts. */
static void
test_cancelled (void)
{
  g_autoptr (EClient) personal = connect_builtin_book ();
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  RgKnownDomains *known = rg_known_domains_new ();
  ChangedCounter counter = { 0, FALSE };
  LoadResult load = { FALSE, FALSE, NULL };
  GSList *contacts = NULL;

  contacts = g_slist_append (contacts, make_contact ("Kit", "kit@cancel-case.example", NULL));
  g_ptr_array_unref (add_contacts (E_BOOK_CLIENT (personal), contacts));

  g_signal_connect (known, "changed", G_CALLBACK (on_changed), &counter);
  rg_known_domains_load_async (known, cancellable, on_loaded, &load);
  g_cancellable_cancel (cancellable);
  g_assert_true (wait_for_flag (&load.done, WAIT_SECONDS));
  g_assert_error (load.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (load.ok);
  g_clear_error (&load.error);

  g_assert_true (wait_for_changed (&counter, 0));
  g_assert_true (rg_known_domains_is_loaded (known));
  g_assert_cmpuint (rg_known_domains_get_contact_count (known, "cancel-case.example"), ==, 1);
  g_assert_finalize_object (known);
}

/* Without a session bus there is no registry: the load fails, and says why.  A second load is
 * refused (the object loads once). */
static void
test_no_registry (void)
{
  RgKnownDomains *known = rg_known_domains_new ();
  LoadResult load = { FALSE, FALSE, NULL };
  g_autoptr (GError) error = NULL;

  if (registry != NULL)
    {
      g_test_skip ("this session has a bus; meson runs this test in one without");
      g_object_unref (known);
      return;
    }

  rg_known_domains_load_async (known, NULL, on_loaded, &load);
  g_assert_true (wait_for_flag (&load.done, WAIT_SECONDS));
  g_assert_false (load.ok);
  g_assert_nonnull (load.error);
  g_test_message ("without a registry: %s", load.error->message);
  g_clear_error (&load.error);
  g_assert_false (rg_known_domains_is_loaded (known));
  g_assert_cmpuint (rg_known_domains_get_n_domains (known), ==, 0);
  g_assert_nonnull (rg_known_domains_get_own_addresses (known));
  g_assert_null (rg_known_domains_get_own_addresses (known)[0]);

  g_assert_false (rg_known_domains_load_sync (known, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_finalize_object (known);
}

typedef struct
{
  guint pending;
  GError *error;
} AddBatches;

static void
on_batch_added (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  AddBatches *batches = user_data;
  GSList *uids = NULL;

  if (!e_book_client_add_contacts_finish (E_BOOK_CLIENT (object), result, &uids,
                                          batches->error == NULL ? &batches->error : NULL))
    g_assert_nonnull (batches->error);
  g_slist_free_full (uids, g_free);
  batches->pending--;
}

/* @n contacts at p<i>@@domain, and each also at one of @n_other others. */
static GSList *
make_batch (guint       first,
            guint       n,
            const char *domain,
            guint       n_other)
{
  GSList *contacts = NULL;
  guint j = 0;

  for (j = first; j < first + n; j++)
    {
      g_autofree char *name = g_strdup_printf ("Person %05u", j);
      g_autofree char *email_1 = g_strdup_printf ("p%05u@%s", j, domain);
      g_autofree char *email_2 = g_strdup_printf ("p%05u@d%u.scale-other.example", j,
                                                  j % n_other);

      contacts = g_slist_prepend (contacts, make_contact (name, email_1, email_2));
    }
  return contacts;
}

/* Many contacts in batches, as an import would add them; the load is timed and counted
 * exactly.  Then a burst of additions while the view runs: "changed" comes at most once per
 * 200 ms, not once per batch the factory sends. */
static void
test_scale (void)
{
  const guint n_contacts = 20000;
  const guint batch = 1000;
  const guint n_other = 500;
  const guint n_burst = 5000;
  const guint burst_batch = 250;
  g_autoptr (ESource) source = create_book_source ("Large", "local");
  g_autoptr (EClient) client = connect_book (source);
  g_autoptr (RgKnownDomains) known = rg_known_domains_new ();
  g_autoptr (rg_config) config = NULL;
  ChangedCounter counter = { 0, FALSE };
  AddBatches batches = { 0, NULL };
  gint64 start = g_get_monotonic_time ();
  double add_ms = 0;
  double load_ms = 0;
  double burst_ms = 0;
  guint n_before = 0;
  guint i = 0;

  for (i = 0; i < n_contacts; i += batch)
    g_ptr_array_unref (add_contacts (E_BOOK_CLIENT (client),
                                     make_batch (i, batch, "scale.example", n_other)));
  add_ms = (g_get_monotonic_time () - start) / 1000.0;

  g_signal_connect (known, "changed", G_CALLBACK (on_changed), &counter);
  load_ms = load_known (known);
  g_test_message ("%u contacts: added in %.0f ms, loaded in %.0f ms", n_contacts, add_ms,
                  load_ms);
  g_printerr ("# scale: %u contacts added in %.0f ms, loaded in %.0f ms\n", n_contacts, add_ms,
              load_ms);

  g_assert_cmpuint (counter.n_changed, ==, 1);
  g_assert_cmpuint (rg_known_domains_get_contact_count (known, "scale.example"), ==, n_contacts);
  for (i = 0; i < n_other; i++)
    {
      g_autofree char *domain = g_strdup_printf ("d%u.scale-other.example", i);

      g_assert_cmpuint (rg_known_domains_get_contact_count (known, domain), ==,
                        n_contacts / n_other);
    }
  /* The other tests' domains are there too when they ran first in this session. */
  g_assert_cmpuint (rg_known_domains_get_n_domains (known), >=, 1 + n_other);

  start = g_get_monotonic_time ();
  config = rg_config_new ();
  g_assert_cmpuint (rg_known_domains_add_to_config (known, config), ==, 0);
  g_test_message ("added %u domains to a config in %.1f ms",
                  rg_known_domains_get_n_domains (known),
                  (g_get_monotonic_time () - start) / 1000.0);

  /* The burst: many batches in flight at once, the main loop running meanwhile. */
  n_before = counter.n_changed;
  start = g_get_monotonic_time ();
  for (i = 0; i < n_burst; i += burst_batch)
    {
      GSList *contacts = make_batch (n_contacts + i, burst_batch, "burst.example", n_other);

      batches.pending++;
      e_book_client_add_contacts (E_BOOK_CLIENT (client), contacts, E_BOOK_OPERATION_FLAG_NONE,
                                  NULL, on_batch_added, &batches);
      g_slist_free_full (contacts, g_object_unref);
    }
  while (rg_known_domains_get_contact_count (known, "burst.example") != n_burst)
    g_assert_true (wait_for_changed (&counter, counter.n_changed));
  burst_ms = (g_get_monotonic_time () - start) / 1000.0;
  while (batches.pending > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (batches.error);

  g_test_message ("burst of %u contacts in %u batches: %u \"changed\" in %.0f ms", n_burst,
                  n_burst / burst_batch, counter.n_changed - n_before, burst_ms);
  /* One emission, and then at most one more per 200 ms that the burst lasted. */
  g_assert_cmpuint (counter.n_changed - n_before, <=, 1 + (guint) (burst_ms / 200));
  g_assert_cmpuint (rg_known_domains_get_contact_count (known, "d7.scale-other.example"), ==,
                    (n_contacts + n_burst) / n_other);
}

/* ---------------------------------------------------------------------------------------- */

/* evolution-data-server reads its settings with GSettings; under the keyfile backend
 * (GSETTINGS_BACKEND=keyfile, set by meson before the session bus starts, so the activated
 * services inherit it) this file tells it to consider the network always up, so that no
 * backend waits for a network monitor that a container does not have. */
static void
write_settings_keyfile (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "glib-2.0", "settings",
                                           NULL);
  g_autofree char *path = g_build_filename (dir, "keyfile", NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path,
                       "[org/gnome/evolution-data-server]\n"
                       "network-monitor-gio-name='always-online'\n",
                       -1, &error);
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr (GError) error = NULL;
  int status = 0;

  rg_test_init_locale ();
  g_test_init (&argc, &argv, NULL);

  /* These tests write into the address books of whoever runs them: only ever in a throwaway
   * session. */
  if (strstr (g_get_home_dir (), "/rg-session.") == NULL)
    {
      g_printerr ("Bail out! run this test through tests/common/rg-session --dbus "
                  "(meson test does)\n");
      return 1;
    }
  write_settings_keyfile ();

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL)
    {
      registry = e_source_registry_new_sync (NULL, &error);
      g_assert_no_error (error);
    }

  g_test_add_func ("/known-domains/counts-and-updates", test_counts_and_updates);
  g_test_add_func ("/known-domains/collected", test_collected);
  g_test_add_func ("/known-domains/own-addresses", test_own_addresses);
  g_test_add_func ("/known-domains/broken-book", test_broken_book);
  g_test_add_func ("/known-domains/hung-book", test_hung_book);
  g_test_add_func ("/known-domains/cancelled", test_cancelled);
  g_test_add_func ("/known-domains/no-registry", test_no_registry);
  g_test_add_func ("/known-domains/scale", test_scale);
  status = g_test_run ();

  g_clear_object (&registry);
  return status;
}
