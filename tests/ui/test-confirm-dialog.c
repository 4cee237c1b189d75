/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * RgConfirmDialog on a real X display (Xvfb, through tests/common/rg-session): its rows, its
 * choices, its buttons, the keys a keyboard user presses, what a screen reader is told, and
 * screenshots for review and for the README (in $RG_ARTEFACT_DIR).
 *
 * With $RG_TEST_LOCALEDIR (the build tree's po/, holding <lang>/LC_MESSAGES/rcptguard.mo) it
 * also checks that the dialog speaks the language of the environment: /confirm-dialog/translated,
 * run by meson with LANGUAGE=de.
 */
#include "config.h"

#include <gtk/gtk.h>
#include <glib/gi18n-lib.h>
#include <locale.h>
#include <string.h>

#include "rg-confirm-dialog.h"
#include "rg-confirm-row.h"
#include "rg-test-widgets.h"

/* Long enough for a loaded CI machine, short enough that a missing answer fails quickly. */
#define RESPONSE_TIMEOUT_MS 5000

#define ARMY_REASON "army.ml is one letter away from army.mil, which 214 of your contacts use; " \
                    ".ml is the country domain of Mali"
#define GMIAL_REASON "gmial.com is two letters swapped from gmail.com, which 96 of your " \
                     "contacts use"
#define EXAMPL_REASON "exampl.org is not used by any of your contacts"
#define BLOCKED_REASON "Your administrator blocks sending to army.ml"
/* Under the rows when the choices would remove every recipient. */
#define EMPTY_TEXT "Every recipient would be removed: use a suggestion, or go back to the message."

/* A composer stand-in: the dialog is transient for it, as in Evolution. */
static GtkWindow *parent_window;

/* Widget tree helpers */

/* Whether @widget is shown when its window is: it and every parent below the window are
 * visible.  (gtk_widget_is_visible() also wants the window shown, and most tests do not show
 * it.) */
static gboolean
is_shown (GtkWidget *widget)
{
  for (; widget != NULL && !gtk_widget_is_toplevel (widget);
       widget = gtk_widget_get_parent (widget))
    {
      if (!gtk_widget_get_visible (widget))
        return FALSE;
    }
  return TRUE;
}

static gboolean
is_visible_type (GtkWidget     *widget,
                 gconstpointer  data)
{
  GType type = GPOINTER_TO_SIZE (data);

  return G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && is_shown (widget);
}

static GPtrArray *
find_of_type (GtkWidget *root,
              GType      type)
{
  return rg_test_find_widgets (root, is_visible_type, GSIZE_TO_POINTER (type));
}

/* The texts of the visible labels under @root, joined by newlines. */
static char *
dup_label_texts (GtkWidget *root)
{
  g_autoptr (GPtrArray) labels = find_of_type (root, GTK_TYPE_LABEL);
  GString *texts = g_string_new (NULL);

  for (guint i = 0; i < labels->len; i++)
    g_string_append_printf (texts, "%s\n", gtk_label_get_text (g_ptr_array_index (labels, i)));
  return g_string_free (texts, FALSE);
}

static gboolean
is_label_with_text (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && is_shown (widget)
         && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), data) == 0;
}

static gboolean
has_label (GtkWidget  *root,
           const char *text)
{
  g_autoptr (GPtrArray) found = rg_test_find_widgets (root, is_label_with_text, text);

  return found->len > 0;
}

static gboolean
is_label_containing (GtkWidget     *widget,
                     gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && is_shown (widget)
         && strstr (gtk_label_get_text (GTK_LABEL (widget)), data) != NULL;
}

static gboolean
has_label_containing (GtkWidget  *root,
                      const char *text)
{
  g_autoptr (GPtrArray) found = rg_test_find_widgets (root, is_label_containing, text);

  return found->len > 0;
}

static GPtrArray *
find_rows (RgConfirmDialog *dialog)
{
  return find_of_type (GTK_WIDGET (dialog), RG_TYPE_CONFIRM_ROW);
}

/* The visible radio buttons of a row, in the order shown. */
static GPtrArray *
find_radios (GtkWidget *row)
{
  return find_of_type (row, GTK_TYPE_RADIO_BUTTON);
}

/* Whether a visible radio button under @root shows @text. */
static gboolean
has_radio_label (GtkWidget  *root,
                 const char *text)
{
  g_autoptr (GPtrArray) radios = find_radios (root);

  for (guint i = 0; i < radios->len; i++)
    if (has_label (g_ptr_array_index (radios, i), text))
      return TRUE;
  return FALSE;
}

static GtkWidget *
find_radio_named (GtkWidget  *root,
                  const char *name)
{
  g_autoptr (GPtrArray) radios = find_of_type (root, GTK_TYPE_RADIO_BUTTON);

  for (guint i = 0; i < radios->len; i++)
    if (g_strcmp0 (rg_test_accessible_name (g_ptr_array_index (radios, i)), name) == 0)
      return g_ptr_array_index (radios, i);
  return NULL;
}

/* The visible buttons of the action area, left to right. */
static GPtrArray *
find_action_buttons (RgConfirmDialog *dialog)
{
  GtkWidget *edit = gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog),
                                                        RG_CONFIRM_RESPONSE_EDIT);

  g_assert_nonnull (edit);
  return find_of_type (gtk_widget_get_parent (edit), GTK_TYPE_BUTTON);
}

static gboolean
is_button_with_label (GtkWidget     *widget,
                      gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && !GTK_IS_TOGGLE_BUTTON (widget)
         && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0;
}

/* Whether any button, visible or not, anywhere in the dialog, has @label. */
static gboolean
has_button (RgConfirmDialog *dialog,
            const char      *label)
{
  g_autoptr (GPtrArray) found = rg_test_find_widgets (GTK_WIDGET (dialog), is_button_with_label,
                                                      label);

  return found->len > 0;
}

/* Dialog set-ups */

/* A row without a display name, its domain what follows the "@" (the tests' addresses are
 * plain ASCII, where the check's domain is just that). */
static guint
add_row (RgConfirmDialog *dialog,
         const char      *field,
         const char      *address,
         const char      *reason,
         const char      *suggestion,
         gboolean         blocked)
{
  const char *at = strrchr (address, '@');

  return rg_confirm_dialog_add_row (dialog, field, NULL, address, at != NULL ? at + 1 : NULL,
                                    reason, suggestion, blocked);
}

/* The test holds a reference of its own: closing the window (Escape) destroys the dialog
 * unless gtk_dialog_run() is running, as with any GtkDialog, and the test still looks at it. */
static RgConfirmDialog *
hold_dialog (GtkWidget *dialog)
{
  g_assert_true (RG_IS_CONFIRM_DIALOG (dialog));
  return g_object_ref (RG_CONFIRM_DIALOG (dialog));
}

/* Destroys @dialog and checks that nothing else kept it (nor, through it, its rows). */
static void
destroy_dialog (RgConfirmDialog *dialog)
{
  gpointer weak = dialog;

  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  gtk_widget_destroy (GTK_WIDGET (dialog));
  g_object_unref (dialog);
  g_assert_null (weak);
}

static RgConfirmDialog *
new_dialog (void)
{
  return hold_dialog (rg_confirm_dialog_new (parent_window));
}

static RgConfirmDialog *
new_failed_dialog (const char *detail)
{
  return hold_dialog (rg_confirm_dialog_new_failed (parent_window, detail));
}

/* The issue's example: two slips with suggestions and one flagged address without. */
static RgConfirmDialog *
new_warn_dialog (void)
{
  RgConfirmDialog *dialog = new_dialog ();

  g_assert_cmpuint (add_row (dialog, "To", "ops@army.ml", ARMY_REASON,
                                               "ops@army.mil", FALSE), ==, 0);
  g_assert_cmpuint (add_row (dialog, "Cc", "someone@gmial.com", GMIAL_REASON,
                                               "someone@gmail.com", FALSE), ==, 1);
  g_assert_cmpuint (add_row (dialog, "Bcc", "bob@exampl.org", EXAMPL_REASON,
                                               NULL, FALSE), ==, 2);
  return dialog;
}

/* A blocked address with a suggestion, a blocked one without, and a warning; the block list
 * is the administrator's (locked). */
static RgConfirmDialog *
new_blocked_dialog (void)
{
  RgConfirmDialog *dialog = new_dialog ();

  rg_confirm_dialog_set_block_locked (dialog, TRUE);
  add_row (dialog, "To", "ops@army.ml", BLOCKED_REASON, "ops@army.mil", TRUE);
  add_row (dialog, "To", "x@blocked.example",
           "Your administrator blocks sending to blocked.example", NULL, TRUE);
  add_row (dialog, "Cc", "someone@gmial.com", GMIAL_REASON, "someone@gmail.com", FALSE);
  return dialog;
}

/* Showing, waiting, keys */

static gboolean
on_timeout_quit (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until *@done or @timeout_ms; returns whether it was done. */
static gboolean
iterate_until (const gboolean *done,
               guint           timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, on_timeout_quit, &timed_out);

  while (!*done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return *done;
}

static gboolean
on_drawn (GtkWidget *widget,
          cairo_t   *cr,
          gpointer   user_data)
{
  *(gboolean *) user_data = TRUE;
  return FALSE;
}

static void
on_active (GObject    *window,
           GParamSpec *pspec,
           gpointer    user_data)
{
  *(gboolean *) user_data = gtk_window_is_active (GTK_WINDOW (window));
}

/* Shows @dialog and returns once it is mapped, drawn and has the keyboard focus.  There is no
 * window manager on the test's display to give it the focus: gtk_window_present() asks the X
 * server directly.  Without the focus, GTK's Tab chain does not move (a widget must "have"
 * the focus, not just be the window's focus widget, for Tab to leave it). */
static void
show_and_wait (RgConfirmDialog *dialog)
{
  gboolean drawn = FALSE;
  gboolean active = FALSE;
  gulong drawn_id, active_id;

  if (gtk_widget_get_mapped (GTK_WIDGET (dialog)))
    return;
  drawn_id = g_signal_connect_after (dialog, "draw", G_CALLBACK (on_drawn), &drawn);
  active_id = g_signal_connect (dialog, "notify::is-active", G_CALLBACK (on_active), &active);

  gtk_widget_show (GTK_WIDGET (dialog));
  g_assert_true (iterate_until (&drawn, RESPONSE_TIMEOUT_MS));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (dialog)));
  gtk_window_present_with_time (GTK_WINDOW (dialog), GDK_CURRENT_TIME);
  active = gtk_window_is_active (GTK_WINDOW (dialog));
  g_assert_true (iterate_until (&active, RESPONSE_TIMEOUT_MS));
  g_signal_handler_disconnect (dialog, drawn_id);
  g_signal_handler_disconnect (dialog, active_id);

  gdk_display_sync (gtk_widget_get_display (GTK_WIDGET (dialog)));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

typedef struct
{
  gboolean done;
  int response;
} ResponseData;

static void
on_response (GtkDialog *dialog,
             int        response,
             gpointer   user_data)
{
  ResponseData *data = user_data;

  /* Only the first answer counts: a second one would be a bug of its own. */
  g_assert_false (data->done);
  data->done = TRUE;
  data->response = response;
}

/* Connects a response catcher; wait_response() gives the answer. */
static gulong
catch_response (RgConfirmDialog *dialog,
                ResponseData    *data)
{
  data->done = FALSE;
  data->response = GTK_RESPONSE_NONE;
  return g_signal_connect (dialog, "response", G_CALLBACK (on_response), data);
}

static int
wait_response (RgConfirmDialog *dialog,
               ResponseData    *data,
               gulong           id)
{
  g_assert_true (iterate_until (&data->done, RESPONSE_TIMEOUT_MS));
  /* Gone with the handlers if the answer destroyed the dialog. */
  if (g_signal_handler_is_connected (dialog, id))
    g_signal_handler_disconnect (dialog, id);
  return data->response;
}

/* Delivers a key press and release to @toplevel as the X server would: with the hardware
 * keycode, which GTK's key bindings and mnemonics translate, not just the keyval. */
static void
send_key (GtkWidget       *toplevel,
          guint            keyval,
          GdkModifierType  state)
{
  GdkWindow *window = gtk_widget_get_window (toplevel);
  GdkDisplay *display = gdk_window_get_display (window);
  GdkDevice *keyboard = gdk_seat_get_keyboard (gdk_display_get_default_seat (display));
  g_autofree GdkKeymapKey *keys = NULL;
  int n_keys = 0;

  g_assert_true (gdk_keymap_get_entries_for_keyval (gdk_keymap_get_for_display (display),
                                                    keyval, &keys, &n_keys));
  g_assert_cmpint (n_keys, >, 0);

  for (guint i = 0; i < 2; i++)
    {
      GdkEvent *event = gdk_event_new (i == 0 ? GDK_KEY_PRESS : GDK_KEY_RELEASE);

      event->key.window = g_object_ref (window);
      event->key.send_event = TRUE;
      event->key.time = GDK_CURRENT_TIME;
      event->key.state = state;
      event->key.keyval = keyval;
      event->key.hardware_keycode = keys[0].keycode;
      event->key.group = keys[0].group;
      gdk_event_set_device (event, keyboard);
      gtk_main_do_event (event);
      gdk_event_free (event);
    }
}

/* Shows @dialog, presses @keyval and returns the answer. */
static int
response_to_key (RgConfirmDialog *dialog,
                 guint            keyval,
                 GdkModifierType  state)
{
  ResponseData data;
  gulong id;

  show_and_wait (dialog);
  id = catch_response (dialog, &data);
  send_key (GTK_WIDGET (dialog), keyval, state);
  return wait_response (dialog, &data, id);
}

static void screenshot (RgConfirmDialog *dialog, const char *name);
static void get_workarea (GtkWidget *widget, GdkRectangle *workarea);

/* The tests */

static void
test_title_and_parent (void)
{
  RgConfirmDialog *dialog = new_warn_dialog ();

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Check recipients");
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == parent_window);
  g_assert_true (has_label (GTK_WIDGET (dialog),
                            "This message may be going to the wrong place"));
  /* A screen reader announces the heading with the title. */
  g_assert_cmpstr (rg_test_accessible_description (GTK_WIDGET (dialog)), ==,
                   "This message may be going to the wrong place");
  destroy_dialog (dialog);

  /* Without a parent (as in the other tests of other programs): still a dialog. */
  dialog = hold_dialog (rg_confirm_dialog_new (NULL));
  g_assert_null (gtk_window_get_transient_for (GTK_WINDOW (dialog)));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Check recipients");
  destroy_dialog (dialog);
}

static void
test_rows_show_their_recipient (void)
{
  static const struct
  {
    const char *field, *typed, *reason, *use_label;
    RgConfirmChoice choice;
  } expected[] = {
    { "To", "ops@army.ml", ARMY_REASON, "Use ops@army.mil", RG_CONFIRM_CHOICE_CORRECT },
    { "Cc", "someone@gmial.com", GMIAL_REASON, "Use someone@gmail.com",
      RG_CONFIRM_CHOICE_CORRECT },
    { "Bcc", "bob@exampl.org", EXAMPL_REASON, NULL, RG_CONFIRM_CHOICE_KEEP },
  };
  RgConfirmDialog *dialog = new_warn_dialog ();
  g_autoptr (GPtrArray) rows = find_rows (dialog);
  guint n_rows = 0;

  g_object_get (dialog, "n-rows", &n_rows, NULL);
  g_assert_cmpuint (rg_confirm_dialog_get_n_rows (dialog), ==, G_N_ELEMENTS (expected));
  g_assert_cmpuint (n_rows, ==, G_N_ELEMENTS (expected));
  g_assert_cmpuint (rows->len, ==, G_N_ELEMENTS (expected));

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      g_autoptr (GPtrArray) radios = find_radios (row);
      g_autofree char *texts = dup_label_texts (row);

      g_test_message ("row %u shows:\n%s", i, texts);
      g_assert_true (has_label (row, expected[i].field));
      g_assert_true (has_label (row, expected[i].typed));
      g_assert_true (has_label (row, expected[i].reason));
      g_assert_cmpint (rg_confirm_dialog_get_choice (dialog, i), ==, expected[i].choice);

      if (expected[i].use_label != NULL)
        {
          /* The suggestion, then "keep this address"; the suggestion is picked. */
          g_assert_cmpuint (radios->len, ==, 2);
          g_assert_true (has_label (g_ptr_array_index (radios, 0), expected[i].use_label));
          g_assert_true (has_label (g_ptr_array_index (radios, 1), "Keep this address"));
          g_assert_true (gtk_toggle_button_get_active (g_ptr_array_index (radios, 0)));
          g_assert_false (has_label (row, "No suggestion"));
        }
      else
        {
          /* Nothing to pick instead, and the row says so. */
          g_assert_cmpuint (radios->len, ==, 1);
          g_assert_true (has_label (g_ptr_array_index (radios, 0), "Keep this address"));
          g_assert_true (gtk_toggle_button_get_active (g_ptr_array_index (radios, 0)));
          g_assert_true (has_label (row, "No suggestion"));
        }
    }
  destroy_dialog (dialog);
}

static void
test_blocked_rows (void)
{
  RgConfirmDialog *dialog = new_blocked_dialog ();
  g_autoptr (GPtrArray) rows = find_rows (dialog);
  g_autoptr (GPtrArray) radios0 = NULL;
  g_autoptr (GPtrArray) radios1 = NULL;

  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_true (has_label (GTK_WIDGET (dialog), "Your administrator does not allow sending "
                            "to some of these recipients"));

  /* With a suggestion: use it (picked) or remove; never keep. */
  radios0 = find_radios (g_ptr_array_index (rows, 0));
  g_assert_cmpuint (radios0->len, ==, 2);
  g_assert_true (has_label (g_ptr_array_index (radios0, 0), "Use ops@army.mil"));
  g_assert_true (has_label (g_ptr_array_index (radios0, 1), "Remove"));
  g_assert_cmpint (rg_confirm_dialog_get_choice (dialog, 0), ==, RG_CONFIRM_CHOICE_CORRECT);
  g_assert_true (has_label (g_ptr_array_index (rows, 0), BLOCKED_REASON));

  /* Without: only remove. */
  radios1 = find_radios (g_ptr_array_index (rows, 1));
  g_assert_cmpuint (radios1->len, ==, 1);
  g_assert_true (has_label (g_ptr_array_index (radios1, 0), "Remove"));
  g_assert_true (has_label (g_ptr_array_index (rows, 1), "No suggestion"));
  g_assert_cmpint (rg_confirm_dialog_get_choice (dialog, 1), ==, RG_CONFIRM_CHOICE_REMOVE);

  g_assert_cmpint (rg_confirm_dialog_get_choice (dialog, 2), ==, RG_CONFIRM_CHOICE_CORRECT);
  destroy_dialog (dialog);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_choices (void)
{
  RgConfirmDialog *dialog = new_warn_dialog ();
  g_autoptr (GPtrArray) rows = find_rows (dialog);
  g_autoptr (GPtrArray) radios = find_radios (g_ptr_array_index (rows, 0));
  guint notified = 0;
  gpointer row = g_ptr_array_index (rows, 0);

  g_object_add_weak_pointer (row, &row);
  g_signal_connect (row, "notify::choice", G_CALLBACK (count_notify), &notified);

  /* The API moves the radio buttons ... */
  rg_confirm_dialog_set_choice (dialog, 0, RG_CONFIRM_CHOICE_KEEP);
  g_assert_cmpint (rg_confirm_dialog_get_choice (dialog, 0), ==, RG_CONFIRM_CHOICE_KEEP);
  g_assert_true (gtk_toggle_button_get_active (g_ptr_array_index (radios, 1)));
  g_assert_false (gtk_toggle_button_get_active (g_ptr_array_index (radios, 0)));
  g_assert_cmpuint (notified, ==, 1);
  rg_confirm_dialog_set_choice (dialog, 0, RG_CONFIRM_CHOICE_KEEP);
  g_assert_cmpuint (notified, ==, 1);

  /* ... and the user's click moves the choice. */
  gtk_button_clicked (g_ptr_array_index (radios, 0));
  g_assert_cmpint (rg_confirm_dialog_get_choice (dialog, 0), ==, RG_CONFIRM_CHOICE_CORRECT);
  g_assert_cmpuint (notified, ==, 2);
  gtk_toggle_button_set_active (g_ptr_array_index (radios, 1), TRUE);
  g_assert_cmpint (rg_confirm_dialog_get_choice (dialog, 0), ==, RG_CONFIRM_CHOICE_KEEP);

  /* Other rows keep theirs. */
  g_assert_cmpint (rg_confirm_dialog_get_choice (dialog, 1), ==, RG_CONFIRM_CHOICE_CORRECT);
  g_assert_cmpint (rg_confirm_dialog_get_choice (dialog, 2), ==, RG_CONFIRM_CHOICE_KEEP);
  destroy_dialog (dialog);
  /* The rows go with the dialog. */
  g_assert_null (row);
}

static void
test_choices_not_offered (void)
{
  RgConfirmDialog *dialog = new_blocked_dialog ();

  /* A programming error, said as such; the choice stays. */
  g_test_expect_message ("rcptguard", G_LOG_LEVEL_CRITICAL, "*offers_choice*");
  rg_confirm_dialog_set_choice (dialog, 0, RG_CONFIRM_CHOICE_KEEP);
  g_test_assert_expected_messages ();
  g_assert_cmpint (rg_confirm_dialog_get_choice (dialog, 0), ==, RG_CONFIRM_CHOICE_CORRECT);

  g_test_expect_message ("rcptguard", G_LOG_LEVEL_CRITICAL, "*offers_choice*");
  rg_confirm_dialog_set_choice (dialog, 1, RG_CONFIRM_CHOICE_CORRECT);
  g_test_assert_expected_messages ();
  g_assert_cmpint (rg_confirm_dialog_get_choice (dialog, 1), ==, RG_CONFIRM_CHOICE_REMOVE);

  g_test_expect_message ("rcptguard", G_LOG_LEVEL_CRITICAL, "*offers_choice*");
  rg_confirm_dialog_set_choice (dialog, 2, RG_CONFIRM_CHOICE_REMOVE);
  g_test_assert_expected_messages ();

  g_test_expect_message ("rcptguard", G_LOG_LEVEL_CRITICAL, "*row < self->rows->len*");
  g_assert_cmpint (rg_confirm_dialog_get_choice (dialog, 3), ==, RG_CONFIRM_CHOICE_KEEP);
  g_test_assert_expected_messages ();
  destroy_dialog (dialog);
}

static void
test_corrected_sensitivity (void)
{
  RgConfirmDialog *dialog = new_warn_dialog ();
  GtkWidget *corrected = gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog),
                                                             RG_CONFIRM_RESPONSE_CORRECTED);

  g_assert_nonnull (corrected);
  g_assert_true (gtk_widget_get_visible (corrected));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (corrected)), ==, "Send _Corrected");
  g_assert_true (gtk_widget_get_sensitive (corrected));

  rg_confirm_dialog_set_choice (dialog, 0, RG_CONFIRM_CHOICE_KEEP);
  g_assert_true (gtk_widget_get_sensitive (corrected));
  rg_confirm_dialog_set_choice (dialog, 1, RG_CONFIRM_CHOICE_KEEP);
  /* Every row kept: "corrected" would send the same message as "anyway". */
  g_assert_false (gtk_widget_get_sensitive (corrected));
  rg_confirm_dialog_set_choice (dialog, 1, RG_CONFIRM_CHOICE_CORRECT);
  g_assert_true (gtk_widget_get_sensitive (corrected));
  destroy_dialog (dialog);

  /* Only rows without a suggestion: nothing to correct from the start. */
  dialog = new_dialog ();
  corrected = gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog),
                                                  RG_CONFIRM_RESPONSE_CORRECTED);
  add_row (dialog, "To", "bob@exampl.org", EXAMPL_REASON, NULL, FALSE);
  g_assert_false (gtk_widget_get_sensitive (corrected));
  /* A row added later with a suggestion makes it sensitive. */
  add_row (dialog, "To", "ops@army.ml", ARMY_REASON, "ops@army.mil", FALSE);
  g_assert_true (gtk_widget_get_sensitive (corrected));
  destroy_dialog (dialog);

  /* A blocked row is always corrected or removed: a change, when another recipient is left
   * (without one, see /confirm-dialog/never-empty). */
  dialog = new_dialog ();
  corrected = gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog),
                                                  RG_CONFIRM_RESPONSE_CORRECTED);
  rg_confirm_dialog_set_n_recipients (dialog, 2);
  add_row (dialog, "To", "x@blocked.example", BLOCKED_REASON, NULL, TRUE);
  g_assert_true (gtk_widget_get_sensitive (corrected));
  destroy_dialog (dialog);
}

/* The action area's buttons, left to right, as "label,label,...". */
static char *
dup_button_labels (RgConfirmDialog *dialog)
{
  g_autoptr (GPtrArray) buttons = find_action_buttons (dialog);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) labels = NULL;

  for (guint i = 0; i < buttons->len; i++)
    g_strv_builder_add (builder, gtk_button_get_label (g_ptr_array_index (buttons, i)));
  labels = g_strv_builder_end (builder);
  return g_strjoinv (",", labels);
}

static void
test_anyway_absent_when_blocked (void)
{
  RgConfirmDialog *dialog = new_warn_dialog ();
  g_autofree char *labels = NULL;
  gboolean allow = TRUE;

  labels = dup_button_labels (dialog);
  g_assert_cmpstr (labels, ==, "_Edit Message,Send _Anyway,Send _Corrected");
  g_assert_nonnull (gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog),
                                                        RG_CONFIRM_RESPONSE_ANYWAY));

  /* A blocked row added after construction takes "Send _Anyway" away, not just greys it. */
  add_row (dialog, "To", "x@blocked.example", BLOCKED_REASON, NULL, TRUE);
  g_assert_null (gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog),
                                                     RG_CONFIRM_RESPONSE_ANYWAY));
  g_assert_false (has_button (dialog, "Send _Anyway"));
  g_clear_pointer (&labels, g_free);
  labels = dup_button_labels (dialog);
  g_assert_cmpstr (labels, ==, "_Edit Message,Send _Corrected");
  /* Nobody said the block list was locked: the block is the user's own. */
  g_assert_true (has_label (GTK_WIDGET (dialog),
                            "You asked never to send to some of these recipients"));
  g_assert_false (has_label (GTK_WIDGET (dialog), "Your administrator does not allow sending "
                             "to some of these recipients"));
  rg_confirm_dialog_set_block_locked (dialog, TRUE);
  g_assert_true (has_label (GTK_WIDGET (dialog), "Your administrator does not allow sending "
                            "to some of these recipients"));

  /* The administrator's override brings it back, in its place. */
  g_object_get (dialog, "allow-override", &allow, NULL);
  g_assert_false (allow);
  rg_confirm_dialog_set_allow_override (dialog, TRUE);
  g_assert_true (rg_confirm_dialog_get_allow_override (dialog));
  g_assert_nonnull (gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog),
                                                        RG_CONFIRM_RESPONSE_ANYWAY));
  g_clear_pointer (&labels, g_free);
  labels = dup_button_labels (dialog);
  g_assert_cmpstr (labels, ==, "_Edit Message,Send _Anyway,Send _Corrected");

  rg_confirm_dialog_set_allow_override (dialog, FALSE);
  g_assert_false (has_button (dialog, "Send _Anyway"));
  destroy_dialog (dialog);

  /* The override set first, the blocked rows after: it stays. */
  dialog = new_dialog ();
  g_object_set (dialog, "allow-override", TRUE, NULL);
  add_row (dialog, "To", "x@blocked.example", BLOCKED_REASON, NULL, TRUE);
  g_assert_true (has_button (dialog, "Send _Anyway"));
  destroy_dialog (dialog);
}

/* The issue's empty send: To only friend@bamako.ml, blocked by the administrator, no
 * suggestion.  Its one choice is "Remove", and removing it would leave a message to nobody:
 * only "_Edit Message" may answer, and the dialog says why. */
static void
test_never_empty (void)
{
  RgConfirmDialog *dialog = new_dialog ();
  GtkWidget *corrected = gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog),
                                                             RG_CONFIRM_RESPONSE_CORRECTED);
  GtkWidget *edit = gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog),
                                                        RG_CONFIRM_RESPONSE_EDIT);
  g_autofree char *labels = NULL;
  ResponseData data;
  gulong id;

  rg_confirm_dialog_set_block_locked (dialog, TRUE);
  rg_confirm_dialog_set_n_recipients (dialog, 1);
  add_row (dialog, "To", "friend@bamako.ml", "Your administrator does not allow mail to .ml",
           NULL, TRUE);
  g_assert_cmpint (rg_confirm_dialog_get_choice (dialog, 0), ==, RG_CONFIRM_CHOICE_REMOVE);
  g_assert_false (gtk_widget_get_sensitive (corrected));
  g_assert_true (has_label (GTK_WIDGET (dialog), EMPTY_TEXT));
  labels = dup_button_labels (dialog);
  g_assert_cmpstr (labels, ==, "_Edit Message,Send _Corrected");
  g_assert_true (gtk_widget_get_sensitive (edit));
  g_assert_true (gtk_widget_has_default (edit));
  screenshot (dialog, "confirm-dialog-never-empty");

  /* Alt+C does not send either; Enter goes back. */
  id = catch_response (dialog, &data);
  send_key (GTK_WIDGET (dialog), GDK_KEY_c, GDK_MOD1_MASK);
  g_assert_false (iterate_until (&data.done, 600));
  send_key (GTK_WIDGET (dialog), GDK_KEY_Return, 0);
  g_assert_cmpint (wait_response (dialog, &data, id), ==, RG_CONFIRM_RESPONSE_EDIT);
  destroy_dialog (dialog);

  /* Two blocked rows with suggestions, and nothing else: removing both is refused, removing
   * one is a correction.  Left unset, the count is the rows. */
  dialog = new_dialog ();
  corrected = gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog),
                                                  RG_CONFIRM_RESPONSE_CORRECTED);
  add_row (dialog, "To", "ops@army.ml", BLOCKED_REASON, "ops@army.mil", TRUE);
  add_row (dialog, "Cc", "hq@army.ml", BLOCKED_REASON, "hq@army.mil", TRUE);
  g_assert_cmpuint (rg_confirm_dialog_get_n_recipients (dialog), ==, 2);
  g_assert_true (gtk_widget_get_sensitive (corrected));
  g_assert_false (has_label (GTK_WIDGET (dialog), EMPTY_TEXT));
  rg_confirm_dialog_set_choice (dialog, 0, RG_CONFIRM_CHOICE_REMOVE);
  g_assert_true (gtk_widget_get_sensitive (corrected));
  rg_confirm_dialog_set_choice (dialog, 1, RG_CONFIRM_CHOICE_REMOVE);
  g_assert_false (gtk_widget_get_sensitive (corrected));
  g_assert_true (has_label (GTK_WIDGET (dialog), EMPTY_TEXT));
  /* A third recipient, not flagged, still receives it. */
  rg_confirm_dialog_set_n_recipients (dialog, 3);
  g_assert_true (gtk_widget_get_sensitive (corrected));
  g_assert_false (has_label (GTK_WIDGET (dialog), EMPTY_TEXT));
  /* Never fewer recipients than rows. */
  rg_confirm_dialog_set_n_recipients (dialog, 1);
  g_assert_cmpuint (rg_confirm_dialog_get_n_recipients (dialog), ==, 2);
  g_assert_false (gtk_widget_get_sensitive (corrected));
  rg_confirm_dialog_set_choice (dialog, 1, RG_CONFIRM_CHOICE_CORRECT);
  g_assert_true (gtk_widget_get_sensitive (corrected));
  g_assert_false (has_label (GTK_WIDGET (dialog), EMPTY_TEXT));
  destroy_dialog (dialog);
}

/* "Always allow DOMAIN": offered only when the caller can trust, never for a blocked row or a
 * row without a domain; it is a change that "Send _Corrected" applies. */
static void
test_trust (void)
{
  RgConfirmDialog *dialog = new_dialog ();
  GtkWidget *corrected = gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog),
                                                             RG_CONFIRM_RESPONSE_CORRECTED);
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GPtrArray) radios = NULL;
  GtkWidget *trust;
  gboolean can_trust = TRUE;

  rg_confirm_dialog_set_n_recipients (dialog, 5);
  add_row (dialog, "To", "ops@army.ml", ARMY_REASON, "ops@army.mil", FALSE);
  add_row (dialog, "To", "x@blocked.example", BLOCKED_REASON, NULL, TRUE);
  rg_confirm_dialog_add_row (dialog, "Cc", NULL, "not an address", NULL,
                             "This is not an email address", NULL, FALSE);

  /* Not offered by default: the caller must say it can add to the trusted domains. */
  g_object_get (dialog, "can-trust", &can_trust, NULL);
  g_assert_false (can_trust);
  g_assert_null (find_radio_named (GTK_WIDGET (dialog),
                                   "Keep ops@army.ml and always allow army.ml"));
  g_assert_false (has_radio_label (GTK_WIDGET (dialog), "Always allow army.ml"));

  rg_confirm_dialog_set_can_trust (dialog, TRUE);
  rows = find_rows (dialog);
  radios = find_radios (g_ptr_array_index (rows, 0));
  /* Use the suggestion, keep the address, always allow its domain: in that order. */
  g_assert_cmpuint (radios->len, ==, 3);
  g_assert_true (has_label (g_ptr_array_index (radios, 0), "Use ops@army.mil"));
  g_assert_true (has_label (g_ptr_array_index (radios, 1), "Keep this address"));
  g_assert_true (has_label (g_ptr_array_index (radios, 2), "Always allow army.ml"));
  trust = find_radio_named (GTK_WIDGET (dialog), "Keep ops@army.ml and always allow army.ml");
  g_assert_true (trust == g_ptr_array_index (radios, 2));
  g_assert_cmpstr (rg_test_accessible_description (trust), ==, ARMY_REASON);
  /* Neither the blocked row nor the one without a domain offers it. */
  g_clear_pointer (&radios, g_ptr_array_unref);
  radios = find_radios (g_ptr_array_index (rows, 1));
  g_assert_cmpuint (radios->len, ==, 1);
  g_clear_pointer (&radios, g_ptr_array_unref);
  radios = find_radios (g_ptr_array_index (rows, 2));
  g_assert_cmpuint (radios->len, ==, 1);
  g_assert_false (has_radio_label (GTK_WIDGET (dialog), "Always allow blocked.example"));

  /* Trusting is a change: with every other row as it is, "Send _Corrected" applies it. */
  rg_confirm_dialog_set_choice (dialog, 1, RG_CONFIRM_CHOICE_REMOVE);
  rg_confirm_dialog_set_choice (dialog, 0, RG_CONFIRM_CHOICE_KEEP);
  g_assert_true (gtk_widget_get_sensitive (corrected));
  g_test_expect_message ("rcptguard", G_LOG_LEVEL_CRITICAL, "*offers_choice*");
  rg_confirm_dialog_set_choice (dialog, 1, RG_CONFIRM_CHOICE_TRUST);
  g_test_assert_expected_messages ();
  gtk_button_clicked (GTK_BUTTON (trust));
  g_assert_cmpint (rg_confirm_dialog_get_choice (dialog, 0), ==, RG_CONFIRM_CHOICE_TRUST);
  g_assert_true (gtk_widget_get_sensitive (corrected));

  /* Taken away (the administrator locked the list): the row keeps the address instead. */
  rg_confirm_dialog_set_can_trust (dialog, FALSE);
  g_assert_cmpint (rg_confirm_dialog_get_choice (dialog, 0), ==, RG_CONFIRM_CHOICE_KEEP);
  g_assert_false (has_radio_label (GTK_WIDGET (dialog), "Always allow army.ml"));
  g_clear_pointer (&radios, g_ptr_array_unref);
  radios = find_radios (g_ptr_array_index (rows, 0));
  g_assert_cmpuint (radios->len, ==, 2);

  /* Given again, it reaches rows added later too. */
  g_object_set (dialog, "can-trust", TRUE, NULL);
  add_row (dialog, "Bcc", "someone@gmial.com", GMIAL_REASON, "someone@gmail.com", FALSE);
  g_assert_true (has_radio_label (GTK_WIDGET (dialog), "Always allow gmial.com"));
  rg_confirm_dialog_set_choice (dialog, 3, RG_CONFIRM_CHOICE_TRUST);
  g_assert_cmpint (rg_confirm_dialog_get_choice (dialog, 3), ==, RG_CONFIRM_CHOICE_TRUST);
  destroy_dialog (dialog);
}

/* "3 of 150 recipients may be wrong", always there, counting rows against recipients. */
static void
test_count (void)
{
  RgConfirmDialog *dialog = new_warn_dialog ();

  /* Not told: every recipient is a row. */
  g_assert_true (has_label (GTK_WIDGET (dialog), "3 of 3 recipients may be wrong"));
  rg_confirm_dialog_set_n_recipients (dialog, 150);
  g_assert_true (has_label (GTK_WIDGET (dialog), "3 of 150 recipients may be wrong"));
  g_assert_cmpuint (rg_confirm_dialog_get_n_recipients (dialog), ==, 150);
  destroy_dialog (dialog);

  dialog = new_dialog ();
  rg_confirm_dialog_set_n_recipients (dialog, 2);
  add_row (dialog, "To", "ops@army.ml", ARMY_REASON, "ops@army.mil", FALSE);
  g_assert_true (has_label (GTK_WIDGET (dialog), "1 of 2 recipients may be wrong"));
  destroy_dialog (dialog);

  dialog = new_dialog ();
  add_row (dialog, "To", "ops@army.ml", ARMY_REASON, "ops@army.mil", FALSE);
  g_assert_true (has_label (GTK_WIDGET (dialog),
                            "The only recipient of this message may be wrong"));
  destroy_dialog (dialog);

  /* The failed dialog has no rows to count. */
  dialog = new_failed_dialog (NULL);
  g_assert_false (has_label_containing (GTK_WIDGET (dialog), "may be wrong"));
  destroy_dialog (dialog);
}

/* A row shows the person: "Name <address>", the address in bold. */
static void
test_names (void)
{
  RgConfirmDialog *dialog = new_dialog ();
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GPtrArray) labels = NULL;
  GtkLabel *address = NULL;

  rg_confirm_dialog_add_row (dialog, "To", "Ops Center", "ops@army.ml", "army.ml", ARMY_REASON,
                             "ops@army.mil", FALSE);
  rg_confirm_dialog_add_row (dialog, "Cc", "someone@gmial.com", "someone@gmial.com",
                             "gmial.com", GMIAL_REASON, "someone@gmail.com", FALSE);
  rg_confirm_dialog_add_row (dialog, "Cc", "", "bob@exampl.org", "exampl.org", EXAMPL_REASON,
                             NULL, FALSE);
  rows = find_rows (dialog);
  g_assert_true (has_label (g_ptr_array_index (rows, 0), "Ops Center <ops@army.ml>"));
  labels = find_of_type (g_ptr_array_index (rows, 0), GTK_TYPE_LABEL);
  for (guint i = 0; i < labels->len && address == NULL; i++)
    if (g_strcmp0 (gtk_label_get_text (g_ptr_array_index (labels, i)),
                   "Ops Center <ops@army.ml>") == 0)
      address = g_ptr_array_index (labels, i);
  g_assert_nonnull (address);
  g_assert_cmpstr (gtk_label_get_label (address), ==, "Ops Center &lt;<b>ops@army.ml</b>&gt;");
  /* A name that is the address, or empty, is no name. */
  g_assert_true (has_label (g_ptr_array_index (rows, 1), "someone@gmial.com"));
  g_assert_false (has_label_containing (g_ptr_array_index (rows, 1), "<someone@gmial.com>"));
  g_assert_true (has_label (g_ptr_array_index (rows, 2), "bob@exampl.org"));
  /* A screen reader hears the address in each choice. */
  g_assert_nonnull (find_radio_named (GTK_WIDGET (dialog), "Keep ops@army.ml"));
  destroy_dialog (dialog);
}

/* Whose block it is: the administrator's wording only for a locked list. */
static void
test_block_heading (void)
{
  static const struct
  {
    gboolean locked, override;
    const char *heading, *body;
  } cases[] = {
    { FALSE, FALSE, "You asked never to send to some of these recipients",
      "Use the suggestion for each blocked address or remove it, or go back to the message." },
    { FALSE, TRUE, "You asked never to send to some of these recipients",
      "Check each address below. You may still send the message as it is." },
    { TRUE, FALSE, "Your administrator does not allow sending to some of these recipients",
      "Use the suggestion for each blocked address or remove it, or go back to the message." },
    { TRUE, TRUE, "Your administrator advises against sending to some of these recipients",
      "Check each address below. You may still send the message as it is." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      RgConfirmDialog *dialog = new_dialog ();
      gboolean locked = !cases[i].locked;

      g_object_set (dialog, "block-locked", cases[i].locked, NULL);
      rg_confirm_dialog_set_allow_override (dialog, cases[i].override);
      add_row (dialog, "To", "ops@army.ml", "You asked never to send mail to .ml",
               "ops@army.mil", TRUE);
      g_object_get (dialog, "block-locked", &locked, NULL);
      g_assert_cmpint (locked, ==, cases[i].locked);
      g_assert_true (has_label (GTK_WIDGET (dialog), cases[i].heading));
      g_assert_true (has_label (GTK_WIDGET (dialog), cases[i].body));
      g_assert_cmpstr (rg_test_accessible_description (GTK_WIDGET (dialog)), ==,
                       cases[i].heading);
      destroy_dialog (dialog);
    }
}

/* Issue 13: on a 1280x800 screen (meson runs this test on one too) 40 flagged rows, long
 * names, long addresses and "Always allow" still fit: the rows scroll. */
static void
test_fits_small_screen (void)
{
  RgConfirmDialog *dialog = new_dialog ();
  GdkRectangle workarea;
  GdkRectangle geometry;
  GdkMonitor *monitor;
  int x = 0, y = 0;

  rg_confirm_dialog_set_can_trust (dialog, TRUE);
  rg_confirm_dialog_set_n_recipients (dialog, 150);
  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *name = g_strdup_printf ("Operations Centre of the Northern Command, "
                                               "Logistics Directorate, Desk %u", i);
      g_autofree char *address = g_strdup_printf ("operations.centre.logistics.desk%u@"
                                                  "northern-command.army.ml", i);
      g_autofree char *suggestion = g_strdup_printf ("operations.centre.logistics.desk%u@"
                                                     "northern-command.army.mil", i);

      rg_confirm_dialog_add_row (dialog, i % 2 ? "Cc" : "To", name, address,
                                 "northern-command.army.ml", ARMY_REASON, suggestion, FALSE);
    }
  screenshot (dialog, "confirm-dialog-40-rows");

  monitor = gdk_display_get_monitor_at_window (gtk_widget_get_display (GTK_WIDGET (dialog)),
                                               gtk_widget_get_window (GTK_WIDGET (dialog)));
  gdk_monitor_get_geometry (monitor, &geometry);
  get_workarea (GTK_WIDGET (dialog), &workarea);
  gtk_window_get_position (GTK_WINDOW (dialog), &x, &y);
  g_test_message ("screen %dx%d, work area %dx%d, dialog %dx%d at %d,%d", geometry.width,
                  geometry.height, workarea.width, workarea.height,
                  gtk_widget_get_allocated_width (GTK_WIDGET (dialog)),
                  gtk_widget_get_allocated_height (GTK_WIDGET (dialog)), x, y);
  g_assert_cmpint (gtk_widget_get_allocated_height (GTK_WIDGET (dialog)), <=, 800);
  g_assert_cmpint (gtk_widget_get_allocated_width (GTK_WIDGET (dialog)), <=, 1280);
  g_assert_cmpint (gtk_widget_get_allocated_height (GTK_WIDGET (dialog)), <=, workarea.height);
  g_assert_cmpint (gtk_widget_get_allocated_width (GTK_WIDGET (dialog)), <=, workarea.width);
  destroy_dialog (dialog);
}

/* How often @needle occurs in @haystack. */
static guint
count_substrings (const char *haystack,
                  const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* The visible "Details" expander of a failed dialog, or NULL. */
static GtkWidget *
find_details (RgConfirmDialog *dialog)
{
  g_autoptr (GPtrArray) found = find_of_type (GTK_WIDGET (dialog), GTK_TYPE_EXPANDER);

  g_assert_cmpuint (found->len, <=, 1);
  return found->len > 0 ? g_ptr_array_index (found, 0) : NULL;
}

static void
test_failed (void)
{
  RgConfirmDialog *dialog;
  g_autofree char *labels = NULL;
  g_autofree char *texts = NULL;
  g_autoptr (GPtrArray) scrolled = NULL;
  GtkWidget *edit;
  GtkWidget *details;

  dialog = new_failed_dialog ("the core failed: internal error (RG_E_INTERNAL)");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Check recipients");
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_true (has_label (GTK_WIDGET (dialog), "Recipients could not be checked"));
  /* What happened and what to do, in plain words ... */
  g_assert_true (has_label (GTK_WIDGET (dialog), "Recipient Guard could not finish its check. "
                            "Go back to the message and try again, or send anyway if you are "
                            "sure."));
  /* ... and the technical reason behind "Details", closed, not in the sentence. */
  details = find_details (dialog);
  g_assert_nonnull (details);
  g_assert_cmpstr (gtk_expander_get_label (GTK_EXPANDER (details)), ==, "_Details");
  g_assert_false (gtk_expander_get_expanded (GTK_EXPANDER (details)));
  g_assert_true (has_label (details, "the core failed: internal error (RG_E_INTERNAL)"));
  texts = dup_label_texts (GTK_WIDGET (dialog));
  g_assert_cmpuint (count_substrings (texts, "RG_E_INTERNAL"), ==, 1);
  g_assert_cmpuint (rg_confirm_dialog_get_n_rows (dialog), ==, 0);
  /* No empty list either. */
  scrolled = find_of_type (GTK_WIDGET (dialog), GTK_TYPE_SCROLLED_WINDOW);
  g_assert_cmpuint (scrolled->len, ==, 0);
  labels = dup_button_labels (dialog);
  g_assert_cmpstr (labels, ==, "_Edit Message,Send _Anyway");
  g_assert_false (has_button (dialog, "Send _Corrected"));
  edit = gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog), RG_CONFIRM_RESPONSE_EDIT);
  g_assert_true (gtk_widget_get_can_default (edit));
  g_assert_true (gtk_widget_has_default (edit));

  /* A failed dialog takes no rows. */
  g_test_expect_message ("rcptguard", G_LOG_LEVEL_CRITICAL, "*!self->failed*");
  add_row (dialog, "To", "ops@army.ml", ARMY_REASON, "ops@army.mil", FALSE);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (rg_confirm_dialog_get_n_rows (dialog), ==, 0);
  destroy_dialog (dialog);

  /* Without a detail there are no empty "Details". */
  dialog = new_failed_dialog (NULL);
  g_assert_true (has_label (GTK_WIDGET (dialog), "Recipients could not be checked"));
  g_assert_null (find_details (dialog));
  g_assert_false (has_label (GTK_WIDGET (dialog), ""));
  destroy_dialog (dialog);
}

/* on-error "block": the failure is said, and going back is the only way. */
static void
test_refused (void)
{
  RgConfirmDialog *dialog;
  g_autofree char *labels = NULL;
  g_autofree char *labels_user = NULL;
  GtkWidget *edit;

  dialog = hold_dialog (rg_confirm_dialog_new_refused (parent_window,
                                                      "the check took longer than 2000 ms",
                                                      TRUE));
  g_assert_true (has_label (GTK_WIDGET (dialog), "Recipients could not be checked"));
  g_assert_true (has_label (GTK_WIDGET (dialog),
                            "Recipient Guard could not finish its check. Your administrator does "
                            "not allow sending without the check: go back to the message and "
                            "try again."));
  /* The technical reason is behind "Details", as in the other failed dialog. */
  g_assert_true (has_label (find_details (dialog), "the check took longer than 2000 ms"));
  labels = dup_button_labels (dialog);
  g_assert_cmpstr (labels, ==, "_Edit Message");
  edit = gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog), RG_CONFIRM_RESPONSE_EDIT);
  g_assert_true (gtk_widget_has_default (edit));
  /* Still none after the override a policy might allow for blocked rows. */
  rg_confirm_dialog_set_allow_override (dialog, TRUE);
  g_assert_false (has_button (dialog, "Send _Anyway"));
  destroy_dialog (dialog);

  /* on-error set by the user, not locked: the user's own settings, not an administrator. */
  dialog = hold_dialog (rg_confirm_dialog_new_refused (parent_window, NULL, FALSE));
  g_assert_true (has_label (GTK_WIDGET (dialog),
                            "Recipient Guard could not finish its check, and your settings do "
                            "not allow sending without it: go back to the message and try "
                            "again."));
  g_assert_false (has_label_containing (GTK_WIDGET (dialog), "administrator"));
  g_assert_null (find_details (dialog));
  labels_user = dup_button_labels (dialog);
  g_assert_cmpstr (labels_user, ==, "_Edit Message");
  destroy_dialog (dialog);
}

/* Clicking each button gives its answer. */
static void
test_buttons_respond (void)
{
  static const RgConfirmResponse responses[] = {
    RG_CONFIRM_RESPONSE_EDIT, RG_CONFIRM_RESPONSE_CORRECTED, RG_CONFIRM_RESPONSE_ANYWAY,
  };

  for (guint i = 0; i < G_N_ELEMENTS (responses); i++)
    {
      RgConfirmDialog *dialog = new_warn_dialog ();
      GtkWidget *button = gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog),
                                                              responses[i]);
      ResponseData data;
      gulong id = catch_response (dialog, &data);

      gtk_button_clicked (GTK_BUTTON (button));
      g_assert_cmpint (wait_response (dialog, &data, id), ==, responses[i]);
      destroy_dialog (dialog);
    }
}

static void
test_escape_goes_back (void)
{
  RgConfirmDialog *dialog = new_warn_dialog ();

  g_assert_cmpint (response_to_key (dialog, GDK_KEY_Escape, 0), ==, RG_CONFIRM_RESPONSE_EDIT);
  destroy_dialog (dialog);

  dialog = new_blocked_dialog ();
  g_assert_cmpint (response_to_key (dialog, GDK_KEY_Escape, 0), ==, RG_CONFIRM_RESPONSE_EDIT);
  destroy_dialog (dialog);

  dialog = new_failed_dialog (NULL);
  g_assert_cmpint (response_to_key (dialog, GDK_KEY_Escape, 0), ==, RG_CONFIRM_RESPONSE_EDIT);
  destroy_dialog (dialog);
}

/* The window manager's close button is the same as Escape. */
static void
test_close_goes_back (void)
{
  RgConfirmDialog *dialog = new_warn_dialog ();
  ResponseData data;
  gulong id;

  rg_confirm_dialog_set_choice (dialog, 1, RG_CONFIRM_CHOICE_KEEP);
  show_and_wait (dialog);
  id = catch_response (dialog, &data);
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_cmpint (wait_response (dialog, &data, id), ==, RG_CONFIRM_RESPONSE_EDIT);

  /* Closing destroyed the window (GtkDialog's way outside gtk_dialog_run()); whoever still
   * holds the dialog can read the rows. */
  g_assert_false (gtk_widget_get_realized (GTK_WIDGET (dialog)));
  g_assert_cmpuint (rg_confirm_dialog_get_n_rows (dialog), ==, 3);
  g_assert_cmpint (rg_confirm_dialog_get_choice (dialog, 0), ==, RG_CONFIRM_CHOICE_CORRECT);
  g_assert_cmpint (rg_confirm_dialog_get_choice (dialog, 1), ==, RG_CONFIRM_CHOICE_KEEP);
  destroy_dialog (dialog);
}

/* Enter, wherever the focus is among the choices, activates the default: back to the
 * message. */
static void
test_enter_activates_default (void)
{
  RgConfirmDialog *dialog = new_warn_dialog ();
  GtkWidget *focus;

  show_and_wait (dialog);
  focus = gtk_window_get_focus (GTK_WINDOW (dialog));
  g_assert_true (GTK_IS_RADIO_BUTTON (focus));
  g_assert_cmpint (response_to_key (dialog, GDK_KEY_Return, 0), ==, RG_CONFIRM_RESPONSE_EDIT);
  /* Enter did not change the choice that had the focus. */
  g_assert_cmpint (rg_confirm_dialog_get_choice (dialog, 0), ==, RG_CONFIRM_CHOICE_CORRECT);
  destroy_dialog (dialog);

  dialog = new_failed_dialog (NULL);
  g_assert_cmpint (response_to_key (dialog, GDK_KEY_Return, 0), ==, RG_CONFIRM_RESPONSE_EDIT);
  destroy_dialog (dialog);

  /* "Details" comes first in the window, but Enter still goes back rather than open it. */
  dialog = new_failed_dialog ("the check took longer than 2000 ms");
  g_assert_cmpint (response_to_key (dialog, GDK_KEY_Return, 0), ==, RG_CONFIRM_RESPONSE_EDIT);
  g_assert_false (gtk_expander_get_expanded (GTK_EXPANDER (find_details (dialog))));
  destroy_dialog (dialog);
}

static void
test_mnemonics (void)
{
  static const struct
  {
    guint keyval;
    RgConfirmResponse response;
  } keys[] = {
    { GDK_KEY_e, RG_CONFIRM_RESPONSE_EDIT },
    { GDK_KEY_c, RG_CONFIRM_RESPONSE_CORRECTED },
    { GDK_KEY_a, RG_CONFIRM_RESPONSE_ANYWAY },
  };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      RgConfirmDialog *dialog = new_warn_dialog ();

      g_assert_cmpint (response_to_key (dialog, keys[i].keyval, GDK_MOD1_MASK), ==,
                       keys[i].response);
      destroy_dialog (dialog);
    }
}

/* An insensitive "Send _Corrected" does not answer to Alt+C either. */
static void
test_mnemonic_of_insensitive_button (void)
{
  RgConfirmDialog *dialog = new_dialog ();
  ResponseData data;
  gulong id;

  add_row (dialog, "To", "bob@exampl.org", EXAMPL_REASON, NULL, FALSE);
  show_and_wait (dialog);
  id = catch_response (dialog, &data);
  send_key (GTK_WIDGET (dialog), GDK_KEY_c, GDK_MOD1_MASK);
  /* Longer than a button's activation (a quarter of a second in GTK 3). */
  g_assert_false (iterate_until (&data.done, 600));
  g_signal_handler_disconnect (dialog, id);
  destroy_dialog (dialog);
}

/* How Evolution uses it: gtk_dialog_run() sees only the dialog's own answers. */
static gboolean
press_escape (gpointer user_data)
{
  send_key (GTK_WIDGET (user_data), GDK_KEY_Escape, 0);
  return G_SOURCE_REMOVE;
}

static void
test_run_escape (void)
{
  RgConfirmDialog *dialog = new_warn_dialog ();

  show_and_wait (dialog);
  g_timeout_add (100, press_escape, dialog);
  g_assert_cmpint (gtk_dialog_run (GTK_DIALOG (dialog)), ==, RG_CONFIRM_RESPONSE_EDIT);
  destroy_dialog (dialog);
}

/* Tab from the dialog until the focus comes round again; returns the widgets focused. */
static GPtrArray *
walk_tab_chain (RgConfirmDialog *dialog)
{
  GPtrArray *focused = g_ptr_array_new ();
  GtkWindow *window = GTK_WINDOW (dialog);

  for (guint step = 0; step < 100; step++)
    {
      GtkWidget *focus;

      g_assert_true (gtk_widget_child_focus (GTK_WIDGET (dialog), GTK_DIR_TAB_FORWARD));
      focus = gtk_window_get_focus (window);
      g_assert_nonnull (focus);
      g_test_message ("Tab %u: %s \"%s\"", step, G_OBJECT_TYPE_NAME (focus),
                      rg_test_accessible_name (focus));
      if (focused->len > 0 && focus == g_ptr_array_index (focused, 0))
        return focused;
      g_assert_false (g_ptr_array_find (focused, focus, NULL));
      g_ptr_array_add (focused, focus);
    }
  g_assert_not_reached ();
}

static void
test_keyboard_traversal (void)
{
  RgConfirmDialog *dialog = new_blocked_dialog ();
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GPtrArray) buttons = NULL;
  g_autoptr (GPtrArray) focused = NULL;
  g_autoptr (GPtrArray) radios = NULL;
  GtkWidget *other;
  guint first = 0;

  /* Override allowed, so that all three buttons are there. */
  rg_confirm_dialog_set_allow_override (dialog, TRUE);
  show_and_wait (dialog);
  rows = find_rows (dialog);
  buttons = find_action_buttons (dialog);
  focused = walk_tab_chain (dialog);

  /* One stop per row (its chosen radio button, as with any radio group: the arrows move
   * within it) and one per button; nothing else takes the focus. */
  g_assert_cmpuint (focused->len, ==, rows->len + buttons->len);
  g_assert_cmpuint (buttons->len, ==, 3);
  /* The chain is a circle: read it from the first row's stop. */
  radios = find_radios (g_ptr_array_index (rows, 0));
  while (first < focused->len && !g_ptr_array_find (radios, g_ptr_array_index (focused, first),
                                                    NULL))
    first++;
  g_assert_cmpuint (first, <, focused->len);
  for (guint i = 0; i < rows->len; i++)
    {
      g_autoptr (GPtrArray) row_radios = find_radios (g_ptr_array_index (rows, i));
      GtkWidget *stop = g_ptr_array_index (focused, (first + i) % focused->len);

      for (guint j = 0; j < row_radios->len; j++)
        g_assert_true (gtk_widget_get_can_focus (g_ptr_array_index (row_radios, j)));
      g_assert_true (g_ptr_array_find (row_radios, stop, NULL));
      g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (stop)));
    }
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (buttons, i);

      g_assert_true (gtk_widget_get_can_focus (button));
      g_assert_true (g_ptr_array_index (focused, (first + rows->len + i) % focused->len)
                     == button);
    }

  /* The arrows reach the other choice of a row, and pick it. */
  gtk_widget_grab_focus (g_ptr_array_index (radios, 0));
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (dialog), GTK_DIR_RIGHT));
  other = gtk_window_get_focus (GTK_WINDOW (dialog));
  g_assert_true (other == g_ptr_array_index (radios, 1));
  g_assert_cmpint (rg_confirm_dialog_get_choice (dialog, 0), ==, RG_CONFIRM_CHOICE_REMOVE);
  destroy_dialog (dialog);
}

static void
test_accessible_names (void)
{
  RgConfirmDialog *dialog = new_blocked_dialog ();
  g_autoptr (GPtrArray) buttons = NULL;
  g_autoptr (GPtrArray) all_radios = NULL;
  g_autoptr (GPtrArray) scrolled = NULL;
  static const struct
  {
    const char *name, *description;
  } radios[] = {
    { "Use ops@army.mil instead of ops@army.ml", BLOCKED_REASON },
    { "Remove ops@army.ml", BLOCKED_REASON },
    { "Remove x@blocked.example", "Your administrator blocks sending to blocked.example" },
    { "Use someone@gmail.com instead of someone@gmial.com", GMIAL_REASON },
    { "Keep someone@gmial.com", GMIAL_REASON },
  };
  static const char *const button_names[] = { "Edit Message", "Send Anyway", "Send Corrected" };

  rg_confirm_dialog_set_allow_override (dialog, TRUE);

  all_radios = find_of_type (GTK_WIDGET (dialog), GTK_TYPE_RADIO_BUTTON);
  g_assert_cmpuint (all_radios->len, ==, G_N_ELEMENTS (radios));
  for (guint i = 0; i < G_N_ELEMENTS (radios); i++)
    {
      GtkWidget *radio = g_ptr_array_index (all_radios, i);

      g_assert_true (find_radio_named (GTK_WIDGET (dialog), radios[i].name) == radio);
      g_assert_cmpstr (rg_test_accessible_description (radio), ==, radios[i].description);
      g_assert_cmpint (atk_object_get_role (gtk_widget_get_accessible (radio)), ==,
                       ATK_ROLE_RADIO_BUTTON);
    }

  /* The list says what it lists. */
  scrolled = find_of_type (GTK_WIDGET (dialog), GTK_TYPE_SCROLLED_WINDOW);
  g_assert_cmpuint (scrolled->len, ==, 1);
  g_assert_cmpstr (rg_test_accessible_name (g_ptr_array_index (scrolled, 0)), ==,
                   "Flagged recipients");

  buttons = find_action_buttons (dialog);
  g_assert_cmpuint (buttons->len, ==, G_N_ELEMENTS (button_names));
  for (guint i = 0; i < buttons->len; i++)
    g_assert_cmpstr (rg_test_accessible_name (g_ptr_array_index (buttons, i)), ==, button_names[i]);

  /* A warning row without suggestion has its one choice named too. */
  destroy_dialog (dialog);
  dialog = new_warn_dialog ();
  g_assert_nonnull (find_radio_named (GTK_WIDGET (dialog), "Keep bob@exampl.org"));
  g_assert_nonnull (find_radio_named (GTK_WIDGET (dialog), "Keep ops@army.ml"));
  destroy_dialog (dialog);
}

static void
get_workarea (GtkWidget    *widget,
              GdkRectangle *workarea)
{
  GdkDisplay *display = gtk_widget_get_display (widget);
  GdkMonitor *monitor = gdk_display_get_monitor_at_window (display,
                                                           gtk_widget_get_window (widget));

  g_assert_nonnull (monitor);
  gdk_monitor_get_workarea (monitor, workarea);
}

static void
test_many_rows_fit (void)
{
  RgConfirmDialog *dialog = new_dialog ();
  GtkAdjustment *vadjustment;
  g_autoptr (GPtrArray) scrolled = NULL;
  g_autoptr (GPtrArray) last_radios = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  GdkRectangle workarea;
  int minimum = 0, natural = 0;
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *typed = g_strdup_printf ("user%u@army.ml", i);
      g_autofree char *suggestion = g_strdup_printf ("user%u@army.mil", i);

      add_row (dialog, i % 2 ? "Cc" : "To", typed, ARMY_REASON, suggestion,
                                 FALSE);
    }
  screenshot (dialog, "confirm-dialog-300-rows");
  g_test_message ("300 rows built and shown in %.0f ms",
                  (g_get_monotonic_time () - start) / 1000.0);
  g_assert_cmpuint (rg_confirm_dialog_get_n_rows (dialog), ==, 300);

  get_workarea (GTK_WIDGET (dialog), &workarea);
  gtk_widget_get_preferred_height (GTK_WIDGET (dialog), &minimum, &natural);
  g_test_message ("work area %dx%d, dialog wants %d (minimum %d), has %d", workarea.width,
                  workarea.height, natural, minimum,
                  gtk_widget_get_allocated_height (GTK_WIDGET (dialog)));
  g_assert_cmpint (natural, <=, workarea.height);
  g_assert_cmpint (gtk_widget_get_allocated_height (GTK_WIDGET (dialog)), <=, workarea.height);
  g_assert_cmpint (gtk_widget_get_allocated_width (GTK_WIDGET (dialog)), <=, workarea.width);

  /* The rows scroll ... */
  scrolled = find_of_type (GTK_WIDGET (dialog), GTK_TYPE_SCROLLED_WINDOW);
  g_assert_cmpuint (scrolled->len, ==, 1);
  vadjustment = gtk_scrolled_window_get_vadjustment (g_ptr_array_index (scrolled, 0));
  g_assert_cmpfloat (gtk_adjustment_get_upper (vadjustment), >,
                     2 * gtk_adjustment_get_page_size (vadjustment));
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), ==, 0);

  /* ... and follow the keyboard focus. */
  rows = find_rows (dialog);
  last_radios = find_radios (g_ptr_array_index (rows, rows->len - 1));
  gtk_widget_grab_focus (g_ptr_array_index (last_radios, 0));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), >=,
                     gtk_adjustment_get_upper (vadjustment)
                     - 2 * gtk_adjustment_get_page_size (vadjustment));
  destroy_dialog (dialog);
}

static void
test_translated (void)
{
  RgConfirmDialog *dialog = new_warn_dialog ();
  g_autoptr (GPtrArray) rows = find_rows (dialog);
  g_autoptr (GPtrArray) radios = find_radios (g_ptr_array_index (rows, 0));
  g_autoptr (GPtrArray) buttons = find_action_buttons (dialog);
  g_autoptr (GPtrArray) scrolled = find_of_type (GTK_WIDGET (dialog), GTK_TYPE_SCROLLED_WINDOW);
  g_autofree char *use_label = NULL;
  g_autofree char *use_name = NULL;
  g_autofree char *keep_name = NULL;
  g_autofree char *trust_label = NULL;
  g_autofree char *count = NULL;

  /* From the template (its translation domain) ... */
  rg_test_assert_translated (gtk_window_get_title (GTK_WINDOW (dialog)), "dialog title",
                             "Check recipients");
  rg_test_assert_translated (rg_test_accessible_name (g_ptr_array_index (scrolled, 0)), NULL,
                             "Flagged recipients");
  /* ... and from the code. */
  g_assert_true (has_label (GTK_WIDGET (dialog),
                            g_dgettext (GETTEXT_PACKAGE,
                                        "This message may be going to the wrong place")));
  rg_test_assert_translated (gtk_button_get_label (g_ptr_array_index (buttons, 0)), NULL,
                             "_Edit Message");
  rg_test_assert_translated (gtk_button_get_label (g_ptr_array_index (buttons, 1)), NULL,
                             "Send _Anyway");
  rg_test_assert_translated (gtk_button_get_label (g_ptr_array_index (buttons, 2)), NULL,
                             "Send _Corrected");

  use_label = g_strdup_printf (g_dpgettext2 (GETTEXT_PACKAGE, "recipient choice",
                                             "Use <b>%s</b>"), "ops@army.mil");
  g_assert_cmpstr (g_dpgettext2 (GETTEXT_PACKAGE, "recipient choice", "Use <b>%s</b>"), !=,
                   "Use <b>%s</b>");
  /* The label's markup, since the translation carries the <b>. */
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gtk_bin_get_child (
                     g_ptr_array_index (radios, 0)))), ==, use_label);
  use_name = g_strdup_printf (g_dpgettext2 (GETTEXT_PACKAGE, "recipient choice",
                                            "Use %s instead of %s"),
                              "ops@army.mil", "ops@army.ml");
  g_assert_cmpstr (rg_test_accessible_name (g_ptr_array_index (radios, 0)), ==, use_name);
  keep_name = g_strdup_printf (g_dpgettext2 (GETTEXT_PACKAGE, "recipient choice",
                                             "Keep %s"), "ops@army.ml");
  g_assert_cmpstr (rg_test_accessible_name (g_ptr_array_index (radios, 1)), ==, keep_name);
  g_assert_true (has_label (GTK_WIDGET (dialog),
                            g_dpgettext2 (GETTEXT_PACKAGE, "recipient choice",
                                          "No suggestion")));
  g_assert_false (has_label (GTK_WIDGET (dialog), "No suggestion"));
  g_assert_true (has_radio_label (GTK_WIDGET (dialog),
                                  g_dpgettext2 (GETTEXT_PACKAGE, "recipient choice",
                                                "Keep this address")));
  g_assert_false (has_radio_label (GTK_WIDGET (dialog), "Keep this address"));

  /* "Always allow", the count line and the line under the rows. */
  rg_confirm_dialog_set_can_trust (dialog, TRUE);
  trust_label = g_strdup_printf (g_dpgettext2 (GETTEXT_PACKAGE, "recipient choice",
                                               "Always allow %s"), "army.ml");
  g_assert_cmpstr (trust_label, !=, "Always allow army.ml");
  g_assert_true (has_radio_label (GTK_WIDGET (dialog), trust_label));
  rg_confirm_dialog_set_n_recipients (dialog, 150);
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u recipients may be wrong",
                                        "%u of %u recipients may be wrong", 3), 3, 150);
  g_assert_cmpstr (count, !=, "3 of 150 recipients may be wrong");
  g_assert_true (has_label (GTK_WIDGET (dialog), count));
  destroy_dialog (dialog);

  dialog = new_dialog ();
  add_row (dialog, "To", "friend@bamako.ml", BLOCKED_REASON, NULL, TRUE);
  g_assert_true (has_label (GTK_WIDGET (dialog), g_dgettext (GETTEXT_PACKAGE, EMPTY_TEXT)));
  g_assert_false (has_label (GTK_WIDGET (dialog), EMPTY_TEXT));
  g_assert_true (has_label (GTK_WIDGET (dialog),
                            g_dgettext (GETTEXT_PACKAGE, "You asked never to send to some of "
                                        "these recipients")));
  destroy_dialog (dialog);

  /* The failed dialog's advice and its "Details". */
  dialog = new_failed_dialog ("the check took longer than 2000 ms");
  g_assert_true (has_label (GTK_WIDGET (dialog),
                            g_dgettext (GETTEXT_PACKAGE, "Recipient Guard could not finish its "
                                        "check. Go back to the message and try again, or send "
                                        "anyway if you are sure.")));
  /* (German keeps the word "Details": the same text, looked up all the same.) */
  g_assert_cmpstr (gtk_expander_get_label (GTK_EXPANDER (find_details (dialog))), ==,
                   g_dgettext (GETTEXT_PACKAGE, "_Details"));
  destroy_dialog (dialog);
}

/* Screenshots */

/* Whether @pixbuf has more than a handful of colours: a dialog that drew nothing (or only its
 * background) is one colour. */
static gboolean
has_content (GdkPixbuf *pixbuf)
{
  const guchar *pixels = gdk_pixbuf_read_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  g_autoptr (GHashTable) colours = g_hash_table_new (NULL, NULL);

  for (int y = 0; y < gdk_pixbuf_get_height (pixbuf); y++)
    for (int x = 0; x < gdk_pixbuf_get_width (pixbuf); x++)
      {
        const guchar *p = pixels + y * stride + x * channels;

        g_hash_table_add (colours, GUINT_TO_POINTER (p[0] << 16 | p[1] << 8 | p[2]));
      }
  return g_hash_table_size (colours) > 16;
}

/* Shows @dialog, checks that it drew itself, and saves it as $RG_ARTEFACT_DIR/@name.png. */
static void
screenshot (RgConfirmDialog *dialog,
            const char      *name)
{
  const char *dir = g_getenv ("RG_ARTEFACT_DIR");
  GdkWindow *window;
  g_autoptr (GdkPixbuf) pixbuf = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;

  show_and_wait (dialog);
  window = gtk_widget_get_window (GTK_WIDGET (dialog));
  pixbuf = gdk_pixbuf_get_from_window (window, 0, 0, gdk_window_get_width (window),
                                       gdk_window_get_height (window));
  g_assert_nonnull (pixbuf);
  g_assert_true (has_content (pixbuf));

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

static void
test_screenshots (void)
{
  RgConfirmDialog *dialog = new_dialog ();

  add_row (dialog, "To", "ops@army.ml", ARMY_REASON, "ops@army.mil", FALSE);
  add_row (dialog, "Cc", "someone@gmial.com", GMIAL_REASON,
                             "someone@gmail.com", FALSE);
  add_row (dialog, "Bcc", "bob@exampl.org", EXAMPL_REASON, NULL, FALSE);
  screenshot (dialog, "confirm-dialog-warn");
  destroy_dialog (dialog);

  dialog = new_blocked_dialog ();
  screenshot (dialog, "confirm-dialog-blocked");
  destroy_dialog (dialog);

  dialog = new_failed_dialog ("Recipient Guard could not finish its check (the input is not "
                              "valid UTF-8).");
  screenshot (dialog, "confirm-dialog-failed");
  destroy_dialog (dialog);
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("RG_TEST_LOCALEDIR");
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  /* GTest's log handler prints debug messages whatever G_MESSAGES_DEBUG says, and GdkPixbuf
   * writes five lines for each radio button's image: leave those to GLib's own handler, which
   * prints them only when asked. */
  g_log_set_handler ("GdkPixbuf", G_LOG_LEVEL_DEBUG, g_log_default_handler, NULL);
  if (!gtk_init_check (&argc, &argv))
    {
      /* Not a skip: this test is only ever run with a display (tests/common/rg-session). */
      g_printerr ("no display: run under tests/common/rg-session --x11\n");
      return 1;
    }
  /* Every widget here must be reachable by a screen reader, and GTK builds its ATK objects
   * in-process even without the AT-SPI bridge (NO_AT_BRIDGE=1). */
  g_assert_true (GTK_IS_ACCESSIBLE (gtk_widget_get_accessible (gtk_label_new (""))));

  if (localedir != NULL)
    {
      /* What the Evolution module does in e_module_load(). */
      bindtextdomain (GETTEXT_PACKAGE, localedir);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      g_test_add_func ("/confirm-dialog/translated", test_translated);
    }

  parent_window = GTK_WINDOW (gtk_window_new (GTK_WINDOW_TOPLEVEL));
  gtk_window_set_title (parent_window, "Compose Message");

  g_test_add_func ("/confirm-dialog/title-and-parent", test_title_and_parent);
  g_test_add_func ("/confirm-dialog/rows", test_rows_show_their_recipient);
  g_test_add_func ("/confirm-dialog/blocked-rows", test_blocked_rows);
  g_test_add_func ("/confirm-dialog/choices", test_choices);
  g_test_add_func ("/confirm-dialog/choices-not-offered", test_choices_not_offered);
  g_test_add_func ("/confirm-dialog/corrected-sensitivity", test_corrected_sensitivity);
  g_test_add_func ("/confirm-dialog/anyway-absent-when-blocked", test_anyway_absent_when_blocked);
  g_test_add_func ("/confirm-dialog/failed", test_failed);
  g_test_add_func ("/confirm-dialog/refused", test_refused);
  g_test_add_func ("/confirm-dialog/buttons-respond", test_buttons_respond);
  g_test_add_func ("/confirm-dialog/keys/escape", test_escape_goes_back);
  g_test_add_func ("/confirm-dialog/keys/enter", test_enter_activates_default);
  g_test_add_func ("/confirm-dialog/keys/mnemonics", test_mnemonics);
  g_test_add_func ("/confirm-dialog/keys/insensitive-mnemonic",
                   test_mnemonic_of_insensitive_button);
  g_test_add_func ("/confirm-dialog/keys/tab", test_keyboard_traversal);
  g_test_add_func ("/confirm-dialog/close", test_close_goes_back);
  g_test_add_func ("/confirm-dialog/run", test_run_escape);
  g_test_add_func ("/confirm-dialog/accessible", test_accessible_names);
  g_test_add_func ("/confirm-dialog/many-rows", test_many_rows_fit);
  g_test_add_func ("/confirm-dialog/fits-1280x800", test_fits_small_screen);
  g_test_add_func ("/confirm-dialog/never-empty", test_never_empty);
  g_test_add_func ("/confirm-dialog/trust", test_trust);
  g_test_add_func ("/confirm-dialog/count", test_count);
  g_test_add_func ("/confirm-dialog/names", test_names);
  g_test_add_func ("/confirm-dialog/block-heading", test_block_heading);
  g_test_add_func ("/confirm-dialog/screenshots", test_screenshots);

  status = g_test_run ();
  gtk_widget_destroy (GTK_WIDGET (parent_window));
  return status;
}
