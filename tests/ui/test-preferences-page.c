/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * RgPreferencesPage on a real X display (Xvfb, through tests/common/rg-session) with real
 * settings: the schema compiled in the build tree ($GSETTINGS_SCHEMA_DIR) and, with
 * RG_TEST_BACKEND=dconf, a real dconf profile whose system database, compiled here with
 * `dconf compile` ($RG_TEST_DCONF), locks block-domains (['ml']) and allow-block-override;
 * writes go through dconf-service on the session bus (rg-session --dbus) and are read back
 * with `dconf read` from another process.  With RG_TEST_BACKEND=memory (GSETTINGS_BACKEND=
 * memory) it checks that the page says the administrator's settings are not enforced.
 *
 * With $RG_TEST_LOCALEDIR (the build tree's po/) it also checks the German text:
 * /preferences-page/translated, run by meson with LANGUAGE=de.
 *
 * Screenshots go to $RG_ARTEFACT_DIR.
 */
#include "config.h"

#include <gtk/gtk.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "rg-domain-list.h"
#include "rg-lock-indicator.h"
#include "rg-preferences-page.h"
#include "rg-settings.h"
#include "rg-test-files.h"
#include "rg-test-locale.h"
#include "rg-test-settings.h"
#include "rg-test-widgets.h"

/* Long enough for a loaded CI machine (a write goes through dconf-service), short enough that
 * a missing write fails quickly. */
#define WAIT_TIMEOUT_MS 5000

#define SCHEMA_PATH "/org/rcptguard/RecipientGuard/"

/* What the administrator's database sets and locks (RG_TEST_BACKEND=dconf). */
static const char admin_keyfile[] =
  "[org/rcptguard/RecipientGuard]\n"
  "block-domains=['ml']\n"
  "allow-block-override=false\n";
static const char admin_locks[] =
  SCHEMA_PATH "block-domains\n"
  SCHEMA_PATH "allow-block-override\n";

static gboolean use_dconf;
static const char *dconf_program;
/* The folder of the administrator's database, removed at the end. */
static char *dconf_dir;

typedef struct
{
  GSettings *settings;
  GtkWidget *window;
  RgPreferencesPage *page;
} Fixture;

/* dconf */

/* The administrator's side, as an administrator deploys it (keyfile, locks, `dconf compile`,
 * a profile), in a temporary folder named by DCONF_PROFILE; dconf reads DCONF_PROFILE when
 * GSettings creates its backend, so this runs before anything touches GSettings. */
static void
setup_dconf (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *profile = NULL;

  /* In the session's runtime folder, which rg-session removes even after a failed run. */
  dconf_dir = g_build_filename (g_get_user_runtime_dir (), "rg-preferences-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (dconf_dir));
  profile = rg_test_dconf_profile_new (dconf_dir, admin_keyfile, admin_locks, dconf_program,
                                       &error);
  g_assert_no_error (error);
  g_setenv ("DCONF_PROFILE", profile, TRUE);
}

static GVariant *
dconf_read (const char *key)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_strconcat (SCHEMA_PATH, key, NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { dconf_program, "read", path, NULL };
  int status = 0;
  GVariant *value;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("dconf read %s failed: %s\n%s", path, error->message, err);
  g_strstrip (out);
  if (out[0] == '\0')
    return NULL;
  value = g_variant_parse (NULL, out, NULL, NULL, &error);
  g_assert_no_error (error);
  return value;
}

/* Waiting */

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (gpointer data);

/* Runs the main loop until @condition holds or @timeout_ms pass; returns whether it holds. */
static gboolean
iterate_until (Condition condition,
               gpointer  data,
               guint     timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, on_timeout, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return condition (data);
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *) data;
}

typedef struct
{
  GSettings *settings;
  const char *key;
  GVariant *expected;
} ValueWait;

static gboolean
value_is_expected (gpointer data)
{
  ValueWait *wait = data;
  g_autoptr (GVariant) value = g_settings_get_value (wait->settings, wait->key);

  return g_variant_equal (value, wait->expected);
}

static void
on_changed_wake (GSettings  *settings,
                 const char *key,
                 gpointer    user_data)
{
  /* Only wakes the loop up: value_is_expected () looks. */
  g_main_context_wakeup (NULL);
}

/* Asserts that @key was written as @expected (floating references are sunk): read back
 * through a GSettings of its own, waiting for the change to arrive, and with dconf also from
 * the database by another process once GSettings has flushed its writes. */
static void
assert_written (const char *key,
                GVariant   *expected)
{
  g_autoptr (GVariant) owned = g_variant_ref_sink (expected);
  g_autoptr (GSettings) fresh = rg_settings_new (NULL);
  g_autofree char *signal = g_strconcat ("changed::", key, NULL);
  g_autofree char *printed = g_variant_print (owned, TRUE);
  ValueWait wait = { fresh, key, owned };
  gulong id;

  g_assert_nonnull (fresh);
  id = g_signal_connect (fresh, signal, G_CALLBACK (on_changed_wake), NULL);
  if (!iterate_until (value_is_expected, &wait, WAIT_TIMEOUT_MS))
    {
      g_autoptr (GVariant) got = g_settings_get_value (fresh, key);
      g_autofree char *got_printed = g_variant_print (got, TRUE);

      g_error ("%s is %s, expected %s", key, got_printed, printed);
    }
  g_signal_handler_disconnect (fresh, id);

  if (use_dconf)
    {
      g_autoptr (GVariant) stored = NULL;

      g_settings_sync ();
      stored = dconf_read (key);
      g_assert_nonnull (stored);
      g_assert_true (g_variant_equal (stored, owned));
    }
  g_test_message ("%s = %s", key, printed);
}

static void
assert_strv_written (const char        *key,
                     const char *const *expected)
{
  assert_written (key, g_variant_new_strv (expected, -1));
}

/* Asserts that the user has no value of their own for @key: what was refused was not
 * written. */
static void
assert_unchanged (GSettings  *settings,
                  const char *key)
{
  g_autoptr (GVariant) user_value = NULL;

  /* Anything on its way would have arrived by now. */
  g_settings_sync ();
  while (g_main_context_iteration (NULL, FALSE))
    ;
  user_value = g_settings_get_user_value (settings, key);
  g_assert_null (user_value);
  if (use_dconf)
    {
      g_autoptr (GVariant) stored = dconf_read (key);
      g_autoptr (GVariant) admin = g_settings_get_default_value (settings, key);

      /* Nothing, or the administrator's value. */
      g_assert_true (stored == NULL || (admin != NULL && g_variant_equal (stored, admin)));
    }
}

/* The widget tree */

/* Whether @widget is shown when its window is: it and every parent are visible. */
static gboolean
is_shown (GtkWidget *widget)
{
  for (; widget != NULL; widget = gtk_widget_get_parent (widget))
    {
      if (!gtk_widget_get_visible (widget))
        return FALSE;
    }
  return TRUE;
}

static gboolean
is_type (GtkWidget     *widget,
         gconstpointer  data)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (data));
}

static GPtrArray *
find_of_type (GtkWidget *root,
              GType      type)
{
  return rg_test_find_widgets (root, is_type, GSIZE_TO_POINTER (type));
}

static GtkWidget *
find_one_of_type (GtkWidget *root,
                  GType      type)
{
  g_autoptr (GPtrArray) found = find_of_type (root, type);

  g_assert_cmpuint (found->len, ==, 1);
  return g_ptr_array_index (found, 0);
}

static gboolean
is_named (GtkWidget     *widget,
          gconstpointer  data)
{
  return !GTK_IS_LABEL (widget) && g_strcmp0 (rg_test_accessible_name (widget), data) == 0;
}

/* The one control that screen readers know as @name. */
static GtkWidget *
find_named (RgPreferencesPage *page,
            const char        *name)
{
  g_autoptr (GPtrArray) found = rg_test_find_widgets (GTK_WIDGET (page), is_named, name);

  if (found->len != 1)
    g_error ("%u controls are named \"%s\"", found->len, name);
  return g_ptr_array_index (found, 0);
}

static gboolean
is_shown_label_with_text (GtkWidget     *widget,
                          gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && is_shown (widget)
         && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), data) == 0;
}

static gboolean
shows_label (GtkWidget  *root,
             const char *text)
{
  g_autoptr (GPtrArray) found = rg_test_find_widgets (root, is_shown_label_with_text, text);

  return found->len > 0;
}

static RgDomainList *
find_list (RgPreferencesPage *page,
           const char        *key)
{
  g_autoptr (GPtrArray) lists = find_of_type (GTK_WIDGET (page), RG_TYPE_DOMAIN_LIST);

  for (guint i = 0; i < lists->len; i++)
    {
      if (g_strcmp0 (rg_domain_list_get_key (g_ptr_array_index (lists, i)), key) == 0)
        return g_ptr_array_index (lists, i);
    }
  g_error ("no list for %s", key);
  return NULL;
}

static RgLockIndicator *
find_lock (RgPreferencesPage *page,
           const char        *key)
{
  g_autoptr (GPtrArray) locks = find_of_type (GTK_WIDGET (page), RG_TYPE_LOCK_INDICATOR);

  for (guint i = 0; i < locks->len; i++)
    {
      if (g_strcmp0 (rg_lock_indicator_get_key (g_ptr_array_index (locks, i)), key) == 0)
        return g_ptr_array_index (locks, i);
    }
  g_error ("no lock indicator for %s", key);
  return NULL;
}

/* The parts of a domain list, as a user sees them. */
typedef struct
{
  GtkWidget *list_box;
  GtkWidget *entry;
  GtkWidget *add;
  GtkWidget *remove;
} ListParts;

static gboolean
is_button_with_label (GtkWidget     *widget,
                      gconstpointer  data)
{
  return GTK_IS_BUTTON (widget)
         && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0;
}

static GtkWidget *
find_button (RgDomainList *list,
             const char   *label)
{
  g_autoptr (GPtrArray) found = rg_test_find_widgets (GTK_WIDGET (list), is_button_with_label,
                                                      label);

  g_assert_cmpuint (found->len, ==, 1);
  return g_ptr_array_index (found, 0);
}

static ListParts
get_parts (RgDomainList *list)
{
  ListParts parts;

  parts.list_box = find_one_of_type (GTK_WIDGET (list), GTK_TYPE_LIST_BOX);
  parts.entry = find_one_of_type (GTK_WIDGET (list), GTK_TYPE_ENTRY);
  parts.add = find_button (list, g_dpgettext2 (GETTEXT_PACKAGE, "domain list", "Add"));
  parts.remove = find_button (list, g_dpgettext2 (GETTEXT_PACKAGE, "domain list", "Remove"));
  return parts;
}

/* The entries the list shows, in order, as one string joined by spaces. */
static char *
dup_rows_text (GtkWidget *list_box)
{
  GString *text = g_string_new (NULL);
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list_box), i)) != NULL;
       i++)
    {
      GtkWidget *label = gtk_bin_get_child (GTK_BIN (row));

      g_assert_true (GTK_IS_LABEL (label));
      g_string_append_printf (text, "%s%s", i > 0 ? " " : "",
                              gtk_label_get_text (GTK_LABEL (label)));
    }
  return g_string_free (text, FALSE);
}

static void
assert_rows (GtkWidget  *list_box,
             const char *expected)
{
  g_autofree char *text = dup_rows_text (list_box);

  g_assert_cmpstr (text, ==, expected);
}

static GtkListBoxRow *
find_row (GtkWidget  *list_box,
          const char *domain)
{
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list_box), i)) != NULL;
       i++)
    {
      if (g_strcmp0 (gtk_label_get_text (GTK_LABEL (gtk_bin_get_child (GTK_BIN (row)))),
                     domain) == 0)
        return row;
    }
  g_error ("no row %s", domain);
  return NULL;
}

/* Types @text into the list's field and adds it, with the button or with Enter. */
static void
add_text (ListParts  *parts,
          const char *text,
          gboolean    with_enter)
{
  gtk_entry_set_text (GTK_ENTRY (parts->entry), text);
  if (with_enter)
    gtk_widget_activate (parts->entry);
  else
    gtk_button_clicked (GTK_BUTTON (parts->add));
}

/* Selects the row of @domain and clicks Remove, as a user does. */
static void
remove_row (ListParts  *parts,
            const char *domain)
{
  gtk_list_box_select_row (GTK_LIST_BOX (parts->list_box), find_row (parts->list_box, domain));
  g_assert_true (gtk_widget_is_sensitive (parts->remove));
  gtk_button_clicked (GTK_BUTTON (parts->remove));
}

/* A key typed into @widget as the keyboard would (the key press goes through the input
 * method, as typing does), whether or not its window has the X focus. */
static void
type_key (GtkWidget *widget,
          guint      keyval)
{
  GdkDisplay *display = gtk_widget_get_display (widget);
  GdkEvent *event = gdk_event_new (GDK_KEY_PRESS);

  event->key.window = g_object_ref (gtk_widget_get_window (widget));
  event->key.send_event = TRUE;
  event->key.time = GDK_CURRENT_TIME;
  event->key.keyval = keyval;
  gdk_event_set_device (event, gdk_seat_get_keyboard (gdk_display_get_default_seat (display)));
  gtk_widget_event (widget, event);
  event->type = GDK_KEY_RELEASE;
  gtk_widget_event (widget, event);
  gdk_event_free (event);
}

/* After a refusal the keyboard is in the field and all of what was typed is selected, so
 * that typing replaces it. */
static void
assert_refused_text_selected (GtkWidget *entry)
{
  const char *text = gtk_entry_get_text (GTK_ENTRY (entry));
  int start = -1, end = -1;

  g_assert_true (gtk_widget_is_focus (entry));
  if (text[0] == '\0')
    return;
  g_assert_true (gtk_editable_get_selection_bounds (GTK_EDITABLE (entry), &start, &end));
  g_assert_cmpint (start, ==, 0);
  g_assert_cmpint (end, ==, g_utf8_strlen (text, -1));
}

/* Whether the list shows exactly @message as the reason for a refusal. */
static gboolean
shows_error (RgDomainList *list,
             const char   *message)
{
  return shows_label (GTK_WIDGET (list), message);
}

/* Fixtures */

static gboolean
on_drawn (GtkWidget *widget,
          cairo_t   *cr,
          gpointer   user_data)
{
  *(gboolean *) user_data = TRUE;
  return FALSE;
}

/* Every key of the schema, back to the administrator's value or the default, for a test
 * that starts from scratch (the user's dconf database lives through the whole run). */
static void
reset_settings (GSettings *settings)
{
  g_autoptr (GSettingsSchema) schema = NULL;
  g_auto (GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      if (g_settings_is_writable (settings, keys[i]))
        g_settings_reset (settings, keys[i]);
    }
  g_settings_sync ();
}

/* The page in a window, as Evolution shows it: in a scrolled window of the host's. */
static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  GtkWidget *scrolled;
  gboolean drawn = FALSE;
  gulong drawn_id;

  fixture->settings = rg_settings_new (&error);
  g_assert_no_error (error);
  reset_settings (fixture->settings);

  fixture->window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  gtk_window_set_title (GTK_WINDOW (fixture->window), "Evolution Preferences");
  scrolled = gtk_scrolled_window_new (NULL, NULL);
  gtk_scrolled_window_set_propagate_natural_width (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 1000);
  gtk_container_add (GTK_CONTAINER (fixture->window), scrolled);

  fixture->page = RG_PREFERENCES_PAGE (rg_preferences_page_new (fixture->settings));
  g_assert_true (rg_preferences_page_get_settings (fixture->page) == fixture->settings);
  gtk_container_add (GTK_CONTAINER (scrolled), GTK_WIDGET (fixture->page));
  gtk_widget_show (scrolled);

  drawn_id = g_signal_connect_after (fixture->window, "draw", G_CALLBACK (on_drawn), &drawn);
  gtk_widget_show (fixture->window);
  g_assert_true (iterate_until (flag_is_set, &drawn, WAIT_TIMEOUT_MS));
  g_signal_handler_disconnect (fixture->window, drawn_id);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  gpointer page = fixture->page;

  g_object_add_weak_pointer (G_OBJECT (page), &page);
  gtk_widget_destroy (fixture->window);
  /* Nothing (a signal handler, a binding) keeps the page alive. */
  g_assert_null (page);
  reset_settings (fixture->settings);
  g_clear_object (&fixture->settings);
}

/* Screenshots */

static void
screenshot (GtkWidget  *window,
            const char *name)
{
  const char *dir = g_getenv ("RG_ARTEFACT_DIR");
  GdkWindow *gdk_window = gtk_widget_get_window (window);
  g_autoptr (GdkPixbuf) pixbuf = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  gboolean drawn = FALSE;
  gulong drawn_id;

  /* What the test changed is on the screen once the window has drawn itself again. */
  drawn_id = g_signal_connect_after (window, "draw", G_CALLBACK (on_drawn), &drawn);
  gtk_widget_queue_draw (window);
  g_assert_true (iterate_until (flag_is_set, &drawn, WAIT_TIMEOUT_MS));
  g_signal_handler_disconnect (window, drawn_id);
  gdk_display_sync (gtk_widget_get_display (window));
  pixbuf = gdk_pixbuf_get_from_window (gdk_window, 0, 0, gdk_window_get_width (gdk_window),
                                       gdk_window_get_height (gdk_window));
  g_assert_nonnull (pixbuf);
  if (dir == NULL)
    {
      g_test_message ("RG_ARTEFACT_DIR is not set: %s.png not saved", name);
      return;
    }
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
  g_assert_no_error (error);
  g_test_message ("saved %s (%dx%d)", path, gdk_pixbuf_get_width (pixbuf),
                  gdk_pixbuf_get_height (pixbuf));
}

/* The tests */

static void
test_backend_dconf (Fixture       *fixture,
                    gconstpointer  data)
{
  GtkWidget *bar = find_one_of_type (GTK_WIDGET (fixture->page), GTK_TYPE_INFO_BAR);

  g_assert_cmpstr (rg_settings_get_backend_name (), ==, "DConfSettingsBackend");
  g_assert_false (is_shown (bar));
}

/* The lock-loss trap: without dconf, GLib silently uses another backend, the administrator's
 * values and locks are gone, and block-domains reads as writable.  The page must say so. */
static void
test_lock_loss (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWidget *bar = find_one_of_type (GTK_WIDGET (fixture->page), GTK_TYPE_INFO_BAR);
  RgDomainList *block = find_list (fixture->page, "block-domains");
  ListParts parts = get_parts (block);
  g_autoptr (GPtrArray) labels = find_of_type (bar, GTK_TYPE_LABEL);
  gboolean named = FALSE;

  g_assert_false (rg_settings_backend_is_dconf ());
  g_assert_cmpstr (rg_settings_get_backend_name (), ==, "GMemorySettingsBackend");
  g_assert_true (is_shown (bar));
  g_assert_cmpint (gtk_info_bar_get_message_type (GTK_INFO_BAR (bar)), ==, GTK_MESSAGE_WARNING);
  g_assert_true (shows_label (bar, g_dgettext (GETTEXT_PACKAGE,
                                               "Administrator settings are not enforced")));
  for (guint i = 0; i < labels->len; i++)
    {
      const char *text = gtk_label_get_text (g_ptr_array_index (labels, i));

      g_test_message ("bar: %s", text);
      named = named || (is_shown (g_ptr_array_index (labels, i))
                        && strstr (text, "GMemorySettingsBackend") != NULL);
    }
  g_assert_true (named);
  /* A screen reader hears it too. */
  g_assert_nonnull (strstr (rg_test_accessible_description (bar), "GMemorySettingsBackend"));

  /* The trap itself: nothing looks locked. */
  g_assert_true (gtk_widget_is_sensitive (parts.entry));
  g_assert_false (is_shown (GTK_WIDGET (find_lock (fixture->page, "block-domains"))));
  screenshot (fixture->window, "preferences-page-lock-loss");
}

static void
test_locked (Fixture       *fixture,
             gconstpointer  data)
{
  static const char *const unlocked_lists[] = { "trusted-domains", "known-domains",
                                                "warn-domains" };
  static const char *const unlocked_keys[] = { "enabled", "check-lookalikes",
                                               "notice-new-domains", "on-error",
                                               "log-decisions", "log-local-parts" };
  const char *lock_text = g_dgettext (GETTEXT_PACKAGE, "Set by your administrator");
  RgDomainList *block = find_list (fixture->page, "block-domains");
  ListParts parts = get_parts (block);
  RgLockIndicator *lock = find_lock (fixture->page, "block-domains");
  GtkWidget *override = find_named (fixture->page, "Allow sending to blocked domains");
  const char *const ml[] = { "ml", NULL };
  g_auto (GStrv) value = NULL;

  g_assert_false (g_settings_is_writable (fixture->settings, "block-domains"));
  value = g_settings_get_strv (fixture->settings, "block-domains");
  g_assert_cmpstrv (value, ml);

  /* The administrator's list is shown, cannot be edited, and says why. */
  assert_rows (parts.list_box, "ml");
  g_assert_false (gtk_widget_is_sensitive (parts.list_box));
  g_assert_false (gtk_widget_is_sensitive (parts.entry));
  g_assert_false (gtk_widget_is_sensitive (parts.add));
  g_assert_false (gtk_widget_is_sensitive (parts.remove));
  g_assert_true (is_shown (GTK_WIDGET (lock)));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (lock)));
  g_assert_true (shows_label (GTK_WIDGET (lock), lock_text));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (lock)), !=, NULL);
  g_assert_cmpstr (rg_test_accessible_description (parts.entry), ==, lock_text);

  /* Even selecting the row and pressing the buttons' code paths changes nothing. */
  gtk_list_box_select_row (GTK_LIST_BOX (parts.list_box), find_row (parts.list_box, "ml"));
  g_assert_false (gtk_widget_is_sensitive (parts.remove));
  gtk_button_clicked (GTK_BUTTON (parts.remove));
  add_text (&parts, "example.org", FALSE);
  assert_rows (parts.list_box, "ml");
  assert_unchanged (fixture->settings, "block-domains");

  /* A switch bound with g_settings_bind (): insensitive through the binding, and says why. */
  g_assert_false (gtk_widget_is_sensitive (override));
  g_assert_true (is_shown (GTK_WIDGET (find_lock (fixture->page, "allow-block-override"))));
  g_assert_cmpstr (rg_test_accessible_description (override), ==, lock_text);

  /* Everything else is the user's. */
  for (gsize i = 0; i < G_N_ELEMENTS (unlocked_lists); i++)
    {
      ListParts other = get_parts (find_list (fixture->page, unlocked_lists[i]));

      g_assert_true (gtk_widget_is_sensitive (other.list_box));
      g_assert_true (gtk_widget_is_sensitive (other.entry));
      g_assert_true (gtk_widget_is_sensitive (other.add));
      g_assert_false (is_shown (GTK_WIDGET (find_lock (fixture->page, unlocked_lists[i]))));
    }
  for (gsize i = 0; i < G_N_ELEMENTS (unlocked_keys); i++)
    g_assert_false (is_shown (GTK_WIDGET (find_lock (fixture->page, unlocked_keys[i]))));
  g_assert_true (gtk_widget_is_sensitive (find_named (fixture->page,
                                                      "Check recipients at Send")));
}

static void
test_list_add (Fixture       *fixture,
               gconstpointer  data)
{
  RgDomainList *known = find_list (fixture->page, "known-domains");
  ListParts parts = get_parts (known);
  const char *const one[] = { "partner.example", NULL };
  const char *const two[] = { "partner.example", "bundeswehr.org", NULL };
  const char *const three[] = { "partner.example", "bundeswehr.org", "bücher.example", NULL };
  const char *const four[] = { "partner.example", "bundeswehr.org", "bücher.example",
                               "mail.mil", NULL };

  assert_rows (parts.list_box, "");

  /* The button, and the entry stored in lower case. */
  add_text (&parts, "Partner.Example", FALSE);
  assert_strv_written ("known-domains", one);
  assert_rows (parts.list_box, "partner.example");
  g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (parts.entry)), ==, "");

  /* Enter; white space around is dropped. */
  add_text (&parts, "  BUNDESWEHR.org ", TRUE);
  assert_strv_written ("known-domains", two);
  assert_rows (parts.list_box, "partner.example bundeswehr.org");

  /* Lower case by code point, whatever the locale: "Ü" becomes "ü". */
  add_text (&parts, "BÜCHER.example", FALSE);
  assert_strv_written ("known-domains", three);
  /* And "I" becomes "i", not the dotless "ı" of a Turkish locale (meson runs this test in
   * tr_TR.UTF-8 too). */
  add_text (&parts, "MAIL.MIL", TRUE);
  assert_strv_written ("known-domains", four);

  /* Nothing else changed. */
  assert_unchanged (fixture->settings, "trusted-domains");
  assert_unchanged (fixture->settings, "warn-domains");
}

static void
test_list_duplicate (Fixture       *fixture,
                     gconstpointer  data)
{
  RgDomainList *warn = find_list (fixture->page, "warn-domains");
  ListParts parts = get_parts (warn);
  const char *const one[] = { "ml", NULL };
  g_autofree char *message = NULL;

  add_text (&parts, "ml", FALSE);
  assert_strv_written ("warn-domains", one);

  /* The same domain in other spellings: refused, and said why. */
  message = g_strdup_printf (g_dgettext (GETTEXT_PACKAGE, "“%s” is already in the list."),
                             "ml");
  add_text (&parts, "ML", FALSE);
  g_assert_true (shows_error (warn, message));
  g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (parts.entry)), ==, "ML");
  add_text (&parts, "*.ml", TRUE);
  g_assert_true (shows_error (warn, message));
  assert_strv_written ("warn-domains", one);
  assert_rows (parts.list_box, "ml");
}

static void
test_list_remove (Fixture       *fixture,
                  gconstpointer  data)
{
  RgDomainList *trusted = find_list (fixture->page, "trusted-domains");
  ListParts parts = get_parts (trusted);
  const char *const two[] = { "army.mil", "example.org", NULL };
  const char *const one[] = { "example.org", NULL };
  const char *const none[] = { NULL };

  g_assert_false (gtk_widget_is_sensitive (parts.remove));
  add_text (&parts, "army.mil", FALSE);
  add_text (&parts, "example.org", FALSE);
  assert_strv_written ("trusted-domains", two);

  remove_row (&parts, "army.mil");
  assert_strv_written ("trusted-domains", one);
  assert_rows (parts.list_box, "example.org");

  /* The selection moved to the remaining row, so Remove goes on working. */
  g_assert_nonnull (gtk_list_box_get_selected_row (GTK_LIST_BOX (parts.list_box)));
  gtk_button_clicked (GTK_BUTTON (parts.remove));
  assert_strv_written ("trusted-domains", none);
  assert_rows (parts.list_box, "");
  g_assert_false (gtk_widget_is_sensitive (parts.remove));
}

static void
test_list_invalid (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char *const invalid[] = { "a..b", "exa mple", "", "   ", "co.uk" };
  RgDomainList *known = find_list (fixture->page, "known-domains");
  ListParts parts = get_parts (known);
  GtkStyleContext *style = gtk_widget_get_style_context (parts.entry);
  g_autofree char *last_message = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (invalid[i]));
      g_autofree char *message = NULL;

      g_assert_false (rg_settings_validate_domain ("known-domains", stripped, &message));
      g_assert_nonnull (message);
      g_test_message ("\"%s\": %s", invalid[i], message);

      add_text (&parts, invalid[i], i % 2 == 1);
      g_assert_true (shows_error (known, message));
      g_assert_true (gtk_style_context_has_class (style, GTK_STYLE_CLASS_ERROR));
      g_assert_cmpstr (rg_test_accessible_description (parts.entry), ==, message);
      /* What was typed stays, to be corrected, and selected, to be typed over. */
      g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (parts.entry)), ==, invalid[i]);
      assert_refused_text_selected (parts.entry);
      assert_rows (parts.list_box, "");
      assert_unchanged (fixture->settings, "known-domains");
      if (i == 0)
        screenshot (fixture->window, "preferences-page-invalid");
      g_free (last_message);
      last_message = g_steal_pointer (&message);
    }

  /* Typing replaces the refused text (not appended to it) and takes the message away. */
  add_text (&parts, "a..b", FALSE);
  assert_refused_text_selected (parts.entry);
  type_key (parts.entry, GDK_KEY_x);
  g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (parts.entry)), ==, "x");
  g_assert_false (gtk_style_context_has_class (style, GTK_STYLE_CLASS_ERROR));
  g_assert_false (shows_error (known, last_message));
  g_assert_cmpstr (rg_test_accessible_description (parts.entry), ==, "");

  /* The same after a duplicate. */
  add_text (&parts, "example.org", FALSE);
  assert_strv_written ("known-domains", (const char *const[]) { "example.org", NULL });
  add_text (&parts, "Example.ORG", TRUE);
  assert_refused_text_selected (parts.entry);
  type_key (parts.entry, GDK_KEY_y);
  g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (parts.entry)), ==, "y");
}

/* Every list refuses what is not a domain, inline: the sentence under the field, nothing
 * added, nothing written (issue 13: "not a domain!" was taken by three lists of four). */
static void
test_list_every_list_refuses (Fixture       *fixture,
                              gconstpointer  data)
{
  static const char *const keys[] = { "trusted-domains", "known-domains", "warn-domains",
                                      "block-domains" };
  static const char *const invalid[] = { "not a domain!", "foo bar", "a..b", "-ml" };

  for (gsize k = 0; k < G_N_ELEMENTS (keys); k++)
    {
      RgDomainList *list = find_list (fixture->page, keys[k]);
      ListParts parts = get_parts (list);
      g_autofree char *rows_before = NULL;

      /* block-domains may be locked (RG_TEST_BACKEND=dconf): nothing to type then. */
      if (!gtk_widget_is_sensitive (parts.entry))
        continue;
      rows_before = dup_rows_text (parts.list_box);
      for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
        {
          g_autofree char *message = NULL;

          g_assert_false (rg_settings_validate_domain (keys[k], invalid[i], &message));
          add_text (&parts, invalid[i], i % 2 == 0);
          g_test_message ("%s \"%s\": %s", keys[k], invalid[i], message);
          g_assert_true (shows_error (list, message));
          assert_refused_text_selected (parts.entry);
          assert_rows (parts.list_box, rows_before);
          assert_unchanged (fixture->settings, keys[k]);
        }
    }
}

/* A change made elsewhere (another window, the command line) shows at once. */
static void
test_list_follows_setting (Fixture       *fixture,
                           gconstpointer  data)
{
  ListParts parts = get_parts (find_list (fixture->page, "warn-domains"));
  g_autoptr (GSettings) other = rg_settings_new (NULL);
  const char *const entries[] = { "example.org", "Example.NET", NULL };

  g_assert_true (g_settings_set_strv (other, "warn-domains", entries));
  g_settings_sync ();
  assert_strv_written ("warn-domains", entries);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  assert_rows (parts.list_box, "example.org Example.NET");

  /* And is refused again in any spelling. */
  add_text (&parts, "example.net", FALSE);
  assert_strv_written ("warn-domains", entries);
}

/* The dialog's "Always allow" adds a domain to trusted-domains through GSettings while
 * Preferences is open: the list shows it at once, and Remove takes it back. */
static void
test_list_always_allow (Fixture       *fixture,
                        gconstpointer  data)
{
  ListParts parts = get_parts (find_list (fixture->page, "trusted-domains"));
  g_autoptr (GSettings) dialog = rg_settings_new (NULL);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) before = NULL;
  g_auto (GStrv) after = NULL;
  const char *const one[] = { "example.org", NULL };
  const char *const two[] = { "example.org", "army.ml", NULL };

  add_text (&parts, "example.org", FALSE);
  assert_strv_written ("trusted-domains", one);

  /* As the dialog does it: read, append, write, from a GSettings object of its own. */
  before = g_settings_get_strv (dialog, "trusted-domains");
  g_strv_builder_addv (builder, (const char **) before);
  g_strv_builder_add (builder, "army.ml");
  after = g_strv_builder_end (builder);
  g_assert_true (g_settings_set_strv (dialog, "trusted-domains", (const char *const *) after));
  g_settings_sync ();
  assert_strv_written ("trusted-domains", two);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  assert_rows (parts.list_box, "example.org army.ml");

  remove_row (&parts, "army.ml");
  assert_strv_written ("trusted-domains", one);
  assert_rows (parts.list_box, "example.org");
}

static void
test_enabled_switch (Fixture       *fixture,
                     gconstpointer  data)
{
  GtkWidget *control = find_named (fixture->page, "Check recipients at Send");
  g_autoptr (GSettings) other = rg_settings_new (NULL);

  g_assert_true (GTK_IS_SWITCH (control));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (control)));

  /* As a click or the space bar would. */
  gtk_widget_activate (control);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (control)));
  assert_written ("enabled", g_variant_new_boolean (FALSE));

  /* And back from elsewhere. */
  g_settings_set_boolean (other, "enabled", TRUE);
  g_settings_sync ();
  assert_written ("enabled", g_variant_new_boolean (TRUE));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (control)));

  /* The other switches are bound too. */
  gtk_widget_activate (find_named (fixture->page, "Point out new domains"));
  assert_written ("notice-new-domains", g_variant_new_boolean (TRUE));
  gtk_widget_activate (find_named (fixture->page, "Record decisions in the log"));
  assert_written ("log-decisions", g_variant_new_boolean (FALSE));
  gtk_widget_activate (find_named (fixture->page, "Check for lookalike domains"));
  assert_written ("check-lookalikes", g_variant_new_boolean (FALSE));
}

static void
test_combos (Fixture       *fixture,
             gconstpointer  data)
{
  GtkWidget *on_error = find_named (fixture->page, "If recipients cannot be checked");
  GtkWidget *local_parts = find_named (fixture->page, "Names before the “@”");
  g_autoptr (GSettings) other = rg_settings_new (NULL);

  g_assert_true (GTK_IS_COMBO_BOX (on_error));
  g_assert_cmpstr (gtk_combo_box_get_active_id (GTK_COMBO_BOX (on_error)), ==, "warn");
  g_assert_cmpstr (gtk_combo_box_text_get_active_text (GTK_COMBO_BOX_TEXT (on_error)), ==,
                   "Ask before sending");

  gtk_combo_box_set_active_id (GTK_COMBO_BOX (on_error), "block");
  assert_written ("on-error", g_variant_new_string ("block"));
  gtk_combo_box_set_active (GTK_COMBO_BOX (on_error), 0);
  assert_written ("on-error", g_variant_new_string ("allow"));

  g_settings_set_string (other, "on-error", "warn");
  g_settings_sync ();
  assert_written ("on-error", g_variant_new_string ("warn"));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpstr (gtk_combo_box_get_active_id (GTK_COMBO_BOX (on_error)), ==, "warn");

  g_assert_cmpstr (gtk_combo_box_get_active_id (GTK_COMBO_BOX (local_parts)), ==, "hmac");
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (local_parts), "none");
  assert_written ("log-local-parts", g_variant_new_string ("none"));
}

static gboolean
is_control (GtkWidget     *widget,
            gconstpointer  data)
{
  return GTK_IS_SWITCH (widget) || GTK_IS_COMBO_BOX (widget) || GTK_IS_ENTRY (widget)
         || GTK_IS_BUTTON (widget) || GTK_IS_LIST_BOX (widget);
}

static gboolean
is_mnemonic_label (GtkWidget     *widget,
                   gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && is_shown (widget)
         && gtk_label_get_mnemonic_keyval (GTK_LABEL (widget)) != GDK_KEY_VoidSymbol;
}

/* Alt plus a letter reaches one control: no two labels of the page share their letter (in
 * the language of the run). */
static void
assert_unique_mnemonics (RgPreferencesPage *page)
{
  g_autoptr (GPtrArray) labels = rg_test_find_widgets (GTK_WIDGET (page), is_mnemonic_label, NULL);
  g_autoptr (GHashTable) keys = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = g_ptr_array_index (labels, i);
      guint key = gdk_keyval_to_lower (gtk_label_get_mnemonic_keyval (label));

      g_test_message ("Alt+%s: %s", gdk_keyval_name (key), gtk_label_get_label (label));
      g_assert_false (g_hash_table_contains (keys, GUINT_TO_POINTER (key)));
      g_hash_table_add (keys, GUINT_TO_POINTER (key));
      g_assert_nonnull (gtk_label_get_mnemonic_widget (label));
    }
  /* Five switches, two combo boxes, four lists. */
  g_assert_cmpuint (labels->len, ==, 11);
}

/* Every control has a name of its own for screen readers: four lists with "Add" buttons must
 * not sound alike. */
static void
test_accessible_names (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr (GPtrArray) controls = rg_test_find_widgets (GTK_WIDGET (fixture->page), is_control,
                                                         NULL);
  g_autoptr (GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_switches = 0;
  GtkWidget *add;

  for (guint i = 0; i < controls->len; i++)
    {
      GtkWidget *control = g_ptr_array_index (controls, i);
      const char *name = rg_test_accessible_name (control);

      /* The combo boxes' inner toggle buttons are the combo's own business. */
      if (!GTK_IS_COMBO_BOX (control)
          && gtk_widget_get_ancestor (control, GTK_TYPE_COMBO_BOX) != NULL)
        continue;
      if (!is_shown (control))
        continue;
      g_test_message ("%s: %s", G_OBJECT_TYPE_NAME (control), name);
      g_assert_nonnull (name);
      g_assert_cmpstr (name, !=, "");
      g_assert_false (g_hash_table_contains (names, name));
      g_hash_table_add (names, (gpointer) name);
      n_switches += GTK_IS_SWITCH (control);
    }
  /* 5 switches, 2 combo boxes, 4 lists of 4 controls. */
  g_assert_cmpuint (n_switches, ==, 5);
  g_assert_cmpuint (g_hash_table_size (names), ==, 5 + 2 + 4 * 4);

  add = get_parts (find_list (fixture->page, "block-domains")).add;
  g_assert_cmpstr (rg_test_accessible_name (add), ==, "Add to “Never send”");
  g_assert_nonnull (rg_test_accessible_description (
    find_named (fixture->page, "Check recipients at Send")));
  assert_unique_mnemonics (fixture->page);
}

static void
test_screenshot (Fixture       *fixture,
                 gconstpointer  data)
{
  ListParts known = get_parts (find_list (fixture->page, "known-domains"));
  ListParts trusted = get_parts (find_list (fixture->page, "trusted-domains"));
  int width = gtk_widget_get_allocated_width (fixture->window);
  int height = gtk_widget_get_allocated_height (fixture->window);

  add_text (&trusted, "army.mil", FALSE);
  add_text (&known, "partner.example", FALSE);
  add_text (&known, "bundeswehr.org", FALSE);
  g_test_message ("window %dx%d", width, height);
  /* Fits a 1280x1024 screen without scrolling sideways. */
  g_assert_cmpint (width, <=, 1280);
  screenshot (fixture->window, use_dconf ? "preferences-page" : "preferences-page-memory");
}

/* Evolution's Edit → Preferences (3.46) makes its window as tall as the natural height of its
 * tallest page, plus its own sidebar and header (e_util_resize_window_for_screen ()): the
 * Recipient Guard page made it 956 pixels tall on a 900-pixel screen (issue 13).  On a
 * 1280x800 screen, the page itself may take this much, leaving the rest to Evolution's window
 * and the desktop's panels. */
#define MAX_PAGE_HEIGHT 640
/* Evolution's sidebar of pages takes about 200 pixels of the 1280. */
#define MAX_PAGE_WIDTH 1000

static gboolean
is_scrolled_window (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_SCROLLED_WINDOW (widget);
}

static void
test_fits_screen (Fixture       *fixture,
                  gconstpointer  data)
{
  static const char *const keys[] = { "trusted-domains", "known-domains", "warn-domains",
                                      "block-domains" };
  ListParts known = get_parts (find_list (fixture->page, "known-domains"));
  g_autoptr (GPtrArray) scrolled = NULL;
  GtkRequisition minimum, natural;

  /* Long lists, and a refusal shown under one field. */
  for (gsize k = 0; k < G_N_ELEMENTS (keys); k++)
    {
      g_autoptr (GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);

      if (!g_settings_is_writable (fixture->settings, keys[k]))
        continue;
      for (guint i = 0; i < 60; i++)
        g_ptr_array_add (entries,
                         g_strdup_printf ("office-%02u.a-rather-long-partner-name.example", i));
      g_ptr_array_add (entries, NULL);
      g_assert_true (g_settings_set_strv (fixture->settings, keys[k],
                                          (const char *const *) entries->pdata));
    }
  g_settings_sync ();
  while (g_main_context_iteration (NULL, FALSE))
    ;
  add_text (&known, "not a domain!", FALSE);
  gtk_widget_queue_resize (fixture->window);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  screenshot (fixture->window,
              use_dconf ? "preferences-page-long" : "preferences-page-long-memory");
  gtk_widget_get_preferred_size (GTK_WIDGET (fixture->page), &minimum, &natural);
  g_test_message ("page: minimum %dx%d, natural %dx%d", minimum.width, minimum.height,
                  natural.width, natural.height);
  g_assert_cmpint (natural.height, <=, MAX_PAGE_HEIGHT);
  g_assert_cmpint (natural.width, <=, MAX_PAGE_WIDTH);

  /* The lists scroll: each shows fewer rows than it has. */
  scrolled = rg_test_find_widgets (GTK_WIDGET (fixture->page), is_scrolled_window, NULL);
  g_assert_cmpuint (scrolled->len, ==, G_N_ELEMENTS (keys));
  for (guint i = 0; i < scrolled->len; i++)
    {
      GtkAdjustment *adjustment =
        gtk_scrolled_window_get_vadjustment (g_ptr_array_index (scrolled, i));

      if (gtk_adjustment_get_upper (adjustment) < 200)
        continue; /* the administrator's short list */
      g_assert_cmpfloat (gtk_adjustment_get_page_size (adjustment), <,
                         gtk_adjustment_get_upper (adjustment));
    }
}

/* When the settings cannot be had, the page says so instead of showing nothing. */
static void
test_unavailable (void)
{
  GtkWidget *page = g_object_ref_sink (
    rg_preferences_page_new_unavailable ("The settings schema x is not installed"));
  GtkWidget *bar = find_one_of_type (page, GTK_TYPE_INFO_BAR);
  g_autoptr (GPtrArray) switches = find_of_type (page, GTK_TYPE_SWITCH);

  g_assert_null (rg_preferences_page_get_settings (RG_PREFERENCES_PAGE (page)));
  g_assert_true (is_shown (bar));
  g_assert_cmpint (gtk_info_bar_get_message_type (GTK_INFO_BAR (bar)), ==, GTK_MESSAGE_ERROR);
  g_assert_true (shows_label (bar, "The settings schema x is not installed"));
  g_assert_cmpuint (switches->len, ==, 0);
  gtk_widget_destroy (page);
  g_object_unref (page);
}

static gboolean
is_label_with_label (GtkWidget     *widget,
                     gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), data) == 0;
}

/* Asserts that the page shows a label whose text (mnemonic included) is @msgid translated. */
static void
assert_label_translated (RgPreferencesPage *page,
                         const char        *context,
                         const char        *msgid)
{
  const char *expected = context != NULL ? g_dpgettext2 (GETTEXT_PACKAGE, context, msgid)
                                         : g_dgettext (GETTEXT_PACKAGE, msgid);
  g_autoptr (GPtrArray) found = rg_test_find_widgets (GTK_WIDGET (page), is_label_with_label,
                                                      expected);

  g_assert_cmpstr (expected, !=, msgid);
  g_assert_cmpuint (found->len, ==, 1);
}

static void
test_translated (Fixture       *fixture,
                 gconstpointer  data)
{
  GtkWidget *bar = find_one_of_type (GTK_WIDGET (fixture->page), GTK_TYPE_INFO_BAR);
  ListParts parts = get_parts (find_list (fixture->page, "known-domains"));
  GtkWidget *on_error = NULL;
  g_autoptr (GPtrArray) combos = find_of_type (GTK_WIDGET (fixture->page), GTK_TYPE_COMBO_BOX);
  g_autofree char *message = NULL;

  /* From the code's table ... */
  assert_label_translated (fixture->page, NULL, "_Check recipients at Send");
  assert_label_translated (fixture->page, NULL, "_Partner domains");
  /* ... from the template ... */
  assert_label_translated (fixture->page, "preferences section", "Checks");
  g_assert_true (shows_label (bar, g_dgettext (GETTEXT_PACKAGE,
                                               "Administrator settings are not enforced")));
  rg_test_assert_translated (gtk_button_get_label (GTK_BUTTON (parts.add)), "domain list", "Add");
  /* ... the choices of a combo box ... */
  on_error = g_ptr_array_index (combos, 0);
  rg_test_assert_translated (gtk_combo_box_text_get_active_text (GTK_COMBO_BOX_TEXT (on_error)),
                             "check failed", "Ask before sending");
  /* ... and a refusal. */
  add_text (&parts, "a..b", FALSE);
  g_assert_true (rg_settings_validate_domain ("known-domains", "a..b", &message) == FALSE);
  g_assert_true (shows_error (find_list (fixture->page, "known-domains"), message));
  assert_unique_mnemonics (fixture->page);
  screenshot (fixture->window, "preferences-page-de");
}

static void
add_test (const char *path,
          void (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown);
}

int
main (int   argc,
      char *argv[])
{
  const char *backend = g_getenv ("RG_TEST_BACKEND");
  const char *localedir = g_getenv ("RG_TEST_LOCALEDIR");
  int status;

  rg_test_init_locale ();
  g_test_init (&argc, &argv, NULL);
  g_log_set_handler ("GdkPixbuf", G_LOG_LEVEL_DEBUG, g_log_default_handler, NULL);

  /* Which backend this run is about is the run's choice, not whatever GLib falls back to:
   * a dconf run that silently got the memory backend must fail, not pass. */
  if (g_strcmp0 (backend, "dconf") == 0)
    {
      use_dconf = TRUE;
      dconf_program = g_getenv ("RG_TEST_DCONF");
      if (dconf_program == NULL)
        g_error ("RG_TEST_DCONF must name the dconf program");
      setup_dconf ();
    }
  else if (g_strcmp0 (backend, "memory") != 0)
    g_error ("RG_TEST_BACKEND must be dconf or memory");

  if (!gtk_init_check (&argc, &argv))
    {
      g_printerr ("no display: run under tests/common/rg-session --x11\n");
      return 1;
    }
  g_assert_cmpint (rg_settings_backend_is_dconf (), ==, use_dconf);
  /* A switch then moves at once when activated, rather than at the end of its animation. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  if (localedir != NULL)
    {
      bindtextdomain (GETTEXT_PACKAGE, localedir);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      add_test ("/preferences-page/translated", test_translated);
    }

  if (use_dconf)
    {
      add_test ("/preferences-page/backend-dconf", test_backend_dconf);
      add_test ("/preferences-page/locked", test_locked);
    }
  else
    add_test ("/preferences-page/lock-loss", test_lock_loss);
  add_test ("/preferences-page/list/add", test_list_add);
  add_test ("/preferences-page/list/duplicate", test_list_duplicate);
  add_test ("/preferences-page/list/remove", test_list_remove);
  add_test ("/preferences-page/list/invalid", test_list_invalid);
  add_test ("/preferences-page/list/every-list-refuses", test_list_every_list_refuses);
  add_test ("/preferences-page/list/follows-setting", test_list_follows_setting);
  add_test ("/preferences-page/list/always-allow", test_list_always_allow);
  add_test ("/preferences-page/fits-screen", test_fits_screen);
  add_test ("/preferences-page/switches", test_enabled_switch);
  add_test ("/preferences-page/combos", test_combos);
  add_test ("/preferences-page/accessible", test_accessible_names);
  add_test ("/preferences-page/screenshot", test_screenshot);
  g_test_add_func ("/preferences-page/unavailable", test_unavailable);

  status = g_test_run ();
  if (dconf_dir != NULL)
    rg_test_remove_tree (dconf_dir);
  return status;
}
