/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "rcptguard"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rg-confirm-dialog.h"
#include "rg-confirm-row.h"
#include "rg-ui-resources.h"

/* The list of rows takes at most this share of the monitor's work area, and never less than
 * the minimum (a few rows) or more than the maximum: the heading and the buttons need the rest,
 * and a taller list is harder to take in than a scrolling one. */
#define ROWS_SCREEN_SHARE 0.5
#define ROWS_MIN_HEIGHT 160
#define ROWS_MAX_HEIGHT 560

struct _RgConfirmDialog
{
  GtkDialog parent_instance;

  GtkImage *icon;
  GtkLabel *heading_label;
  GtkLabel *body_label;
  GtkWidget *rows_area;
  GtkLabel *count_label;
  GtkScrolledWindow *scrolled;
  GtkBox *rows_box;
  GtkLabel *empty_label;
  GtkWidget *details_expander;
  GtkLabel *details_label;

  /* Aligns the field column ("To", "Cc", "Bcc") of all rows. */
  GtkSizeGroup *field_group;
  /* RgConfirmRow, in the order added; also children of rows_box. */
  GPtrArray *rows;
  guint n_blocked;
  /* What the caller said (rg_confirm_dialog_set_n_recipients); see get_n_recipients (). */
  guint n_recipients;
  gboolean allow_override;
  gboolean can_trust;
  gboolean block_locked;
  /* Made by rg_confirm_dialog_new_failed(): no rows, no "Send _Corrected". */
  gboolean failed;
  /* Made by rg_confirm_dialog_new_refused(): no "Send _Anyway" either, ever. */
  gboolean refused;

  /* Borrowed from the action area, which owns them; anyway_button is NULL while absent. */
  GtkWidget *edit_button;
  GtkWidget *corrected_button;
  GtkWidget *anyway_button;
};

G_DEFINE_TYPE (RgConfirmDialog, rg_confirm_dialog, GTK_TYPE_DIALOG)

enum
{
  PROP_0,
  PROP_ALLOW_OVERRIDE,
  PROP_N_ROWS,
  PROP_N_RECIPIENTS,
  PROP_CAN_TRUST,
  PROP_BLOCK_LOCKED,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* The heading says what is wrong, the body what to do about it; the dialog's accessible
 * description repeats the heading so that a screen reader announces it with the title. */
static void
set_message (RgConfirmDialog *self,
             const char      *icon_name,
             const char      *heading,
             const char      *body)
{
  gtk_image_set_from_icon_name (self->icon, icon_name, GTK_ICON_SIZE_DIALOG);
  gtk_label_set_text (self->heading_label, heading);
  gtk_label_set_text (self->body_label, body != NULL ? body : "");
  gtk_widget_set_visible (GTK_WIDGET (self->body_label), body != NULL && body[0] != '\0');
  atk_object_set_description (gtk_widget_get_accessible (GTK_WIDGET (self)), heading);
}

static void
update_message (RgConfirmDialog *self)
{
  if (self->failed)
    return;

  /* Only a block the administrator locked is the administrator's: one on a list the user
   * may change is the user's own. */
  if (self->n_blocked == 0)
    set_message (self, "dialog-warning",
                 _("This message may be going to the wrong place"),
                 _("Check each address below: use the suggestion, or keep the address if it "
                   "is right."));
  else if (!self->block_locked)
    set_message (self, self->allow_override ? "dialog-warning" : "dialog-error",
                 _("You asked never to send to some of these recipients"),
                 self->allow_override
                   ? _("Check each address below. You may still send the message as it is.")
                   : _("Use the suggestion for each blocked address or remove it, or go back "
                       "to the message."));
  else if (!self->allow_override)
    set_message (self, "dialog-error",
                 _("Your administrator does not allow sending to some of these recipients"),
                 _("Use the suggestion for each blocked address or remove it, or go back to "
                   "the message."));
  else
    set_message (self, "dialog-warning",
                 _("Your administrator advises against sending to some of these recipients"),
                 _("Check each address below. You may still send the message as it is."));
}

/* The recipients of the message: never fewer than the rows, each of which is one. */
static guint
count_recipients (RgConfirmDialog *self)
{
  return MAX (self->n_recipients, self->rows->len);
}

/* "3 of 150 recipients may be wrong": how much of the message the rows are. */
static void
update_count (RgConfirmDialog *self)
{
  guint n_recipients = count_recipients (self);
  g_autofree char *text = NULL;

  if (n_recipients == 1)
    text = g_strdup (_("The only recipient of this message may be wrong"));
  else
    /* Translators: above the list of flagged recipients; the first %u is how many are
     * flagged (the plural form follows it), the second how many the message has, e.g.
     * "3 of 150 recipients may be wrong". */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u recipients may be wrong",
                                         "%u of %u recipients may be wrong", self->rows->len),
                            self->rows->len, n_recipients);
  gtk_label_set_text (self->count_label, text);
}

static GtkWidget *
add_anyway_button (RgConfirmDialog *self)
{
  GtkWidget *action_area = gtk_widget_get_parent (self->edit_button);
  /* Translators: a button; sends the message to the recipients exactly as they are. */
  GtkWidget *button = gtk_dialog_add_button (GTK_DIALOG (self), _("Send _Anyway"),
                                             RG_CONFIRM_RESPONSE_ANYWAY);
  g_autoptr (GList) children = NULL;

  /* Always between "_Edit Message" and "Send _Corrected", however often it comes and goes:
   * buttons that change places invite the wrong click.  (A header bar, which only a caller
   * of g_object_new() could ask for, orders its buttons itself.) */
  if (!GTK_IS_BOX (action_area))
    return button;
  children = gtk_container_get_children (GTK_CONTAINER (action_area));
  gtk_box_reorder_child (GTK_BOX (action_area), button,
                         g_list_index (children, self->edit_button) + 1);
  return button;
}

/* "Send _Anyway" is absent, not merely insensitive, while a blocked row may not be
 * overridden: an insensitive button would still promise a way that the policy closes. */
static void
update_anyway (RgConfirmDialog *self)
{
  gboolean wanted = !self->refused && (self->n_blocked == 0 || self->allow_override);

  if (wanted && self->anyway_button == NULL)
    self->anyway_button = add_anyway_button (self);
  else if (!wanted && self->anyway_button != NULL)
    {
      gtk_widget_destroy (self->anyway_button);
      self->anyway_button = NULL;
    }
}

/* "Send _Corrected" makes sense only when a choice changes something (trusting a domain is a
 * change), and never when the choices would remove every recipient: Evolution checks for
 * recipients before this dialog, not after, and would send a message to nobody.  The line
 * under the rows says why. */
static void
update_corrected (RgConfirmDialog *self)
{
  gboolean changes = FALSE;
  guint n_removed = 0;
  gboolean empty;

  if (self->corrected_button == NULL)
    return;

  for (guint i = 0; i < self->rows->len; i++)
    {
      RgConfirmChoice choice = rg_confirm_row_get_choice (g_ptr_array_index (self->rows, i));

      changes |= choice != RG_CONFIRM_CHOICE_KEEP;
      n_removed += choice == RG_CONFIRM_CHOICE_REMOVE;
    }
  empty = n_removed > 0 && n_removed >= count_recipients (self);
  gtk_widget_set_sensitive (self->corrected_button, changes && !empty);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), empty);
}

static void
on_row_choice_changed (RgConfirmDialog *self)
{
  update_corrected (self);
}

/* Escape and the window's close button answer GTK_RESPONSE_DELETE_EVENT; the header promises
 * RG_CONFIRM_RESPONSE_EDIT, the safe answer.  This handler is connected at construction, so it
 * runs before those of gtk_dialog_run() and of the caller, which then see only the
 * translated answer. */
static void
on_response (GtkDialog *dialog,
             int        response_id)
{
  if (response_id != GTK_RESPONSE_DELETE_EVENT)
    return;

  g_signal_stop_emission_by_name (dialog, "response");
  gtk_dialog_response (dialog, RG_CONFIRM_RESPONSE_EDIT);
}

/* Where to measure the screen: the composer's monitor, else the primary or the first one. */
static GdkMonitor *
get_monitor (RgConfirmDialog *self)
{
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (self));
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  GdkMonitor *monitor = NULL;

  if (parent != NULL && gtk_widget_get_realized (GTK_WIDGET (parent)))
    monitor = gdk_display_get_monitor_at_window (display,
                                                 gtk_widget_get_window (GTK_WIDGET (parent)));
  if (monitor == NULL)
    monitor = gdk_display_get_primary_monitor (display);
  if (monitor == NULL)
    monitor = gdk_display_get_monitor (display, 0);
  return monitor;
}

/* The window's size is settled when it is realized, so the list's limit is set just before. */
static void
rg_confirm_dialog_realize (GtkWidget *widget)
{
  RgConfirmDialog *self = RG_CONFIRM_DIALOG (widget);
  GdkMonitor *monitor = get_monitor (self);
  int height = ROWS_MAX_HEIGHT;

  if (monitor != NULL)
    {
      GdkRectangle workarea;

      gdk_monitor_get_workarea (monitor, &workarea);
      height = CLAMP ((int) (workarea.height * ROWS_SCREEN_SHARE), ROWS_MIN_HEIGHT,
                      ROWS_MAX_HEIGHT);
    }
  gtk_scrolled_window_set_max_content_height (self->scrolled, height);

  GTK_WIDGET_CLASS (rg_confirm_dialog_parent_class)->realize (widget);
}

/* The buttons are added once GtkDialog knows whether they go into a header bar. */
static void
rg_confirm_dialog_constructed (GObject *object)
{
  RgConfirmDialog *self = RG_CONFIRM_DIALOG (object);

  G_OBJECT_CLASS (rg_confirm_dialog_parent_class)->constructed (object);

  /* Translators: a button; closes the dialog and goes back to the message unchanged. */
  self->edit_button = gtk_dialog_add_button (GTK_DIALOG (self), _("_Edit Message"),
                                             RG_CONFIRM_RESPONSE_EDIT);
  /* Translators: a button; sends the message with the recipients as chosen above. */
  self->corrected_button = gtk_dialog_add_button (GTK_DIALOG (self), _("Send _Corrected"),
                                                  RG_CONFIRM_RESPONSE_CORRECTED);
  gtk_dialog_set_default_response (GTK_DIALOG (self), RG_CONFIRM_RESPONSE_EDIT);
  update_corrected (self);
  update_anyway (self);
  update_message (self);
  update_count (self);
}

static void
rg_confirm_dialog_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  RgConfirmDialog *self = RG_CONFIRM_DIALOG (object);

  switch (prop_id)
    {
    case PROP_ALLOW_OVERRIDE: g_value_set_boolean (value, self->allow_override); break;
    case PROP_N_ROWS: g_value_set_uint (value, self->rows->len); break;
    case PROP_N_RECIPIENTS: g_value_set_uint (value, count_recipients (self)); break;
    case PROP_CAN_TRUST: g_value_set_boolean (value, self->can_trust); break;
    case PROP_BLOCK_LOCKED: g_value_set_boolean (value, self->block_locked); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_confirm_dialog_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  RgConfirmDialog *self = RG_CONFIRM_DIALOG (object);

  switch (prop_id)
    {
    case PROP_ALLOW_OVERRIDE:
      rg_confirm_dialog_set_allow_override (self, g_value_get_boolean (value));
      break;
    case PROP_N_RECIPIENTS:
      rg_confirm_dialog_set_n_recipients (self, g_value_get_uint (value));
      break;
    case PROP_CAN_TRUST:
      rg_confirm_dialog_set_can_trust (self, g_value_get_boolean (value));
      break;
    case PROP_BLOCK_LOCKED:
      rg_confirm_dialog_set_block_locked (self, g_value_get_boolean (value));
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_confirm_dialog_dispose (GObject *object)
{
  RgConfirmDialog *self = RG_CONFIRM_DIALOG (object);

  /* The buttons go with the action area. */
  self->edit_button = NULL;
  self->corrected_button = NULL;
  self->anyway_button = NULL;
  g_clear_object (&self->field_group);

  G_OBJECT_CLASS (rg_confirm_dialog_parent_class)->dispose (object);
}

/* The rows outlive dispose: a caller holding a reference reads the choices even after the
 * window was closed (which destroys a GtkDialog that is not being run). */
static void
rg_confirm_dialog_finalize (GObject *object)
{
  RgConfirmDialog *self = RG_CONFIRM_DIALOG (object);

  g_ptr_array_unref (self->rows);

  G_OBJECT_CLASS (rg_confirm_dialog_parent_class)->finalize (object);
}

static void
rg_confirm_dialog_class_init (RgConfirmDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = rg_confirm_dialog_get_property;
  object_class->set_property = rg_confirm_dialog_set_property;
  object_class->constructed = rg_confirm_dialog_constructed;
  object_class->dispose = rg_confirm_dialog_dispose;
  object_class->finalize = rg_confirm_dialog_finalize;
  widget_class->realize = rg_confirm_dialog_realize;

  /* Whether blocked rows may still be sent as they are ("Send _Anyway"). */
  props[PROP_ALLOW_OVERRIDE] =
    g_param_spec_boolean ("allow-override", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The number of flagged recipients shown. */
  props[PROP_N_ROWS] =
    g_param_spec_uint ("n-rows", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The number of recipients of the message, flagged or not; never less than n-rows. */
  props[PROP_N_RECIPIENTS] =
    g_param_spec_uint ("n-recipients", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Whether rows that are not blocked offer "Always allow DOMAIN". */
  props[PROP_CAN_TRUST] =
    g_param_spec_boolean ("can-trust", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Whether the administrator locked the block list (the heading of a block says so). */
  props[PROP_BLOCK_LOCKED] =
    g_param_spec_boolean ("block-locked", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /* Referring to the resource links its object file out of the static library; its
   * constructor registers the templates. */
  (void) rg_ui_get_resource ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rcptguard/ui/rg-confirm-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RgConfirmDialog, icon);
  gtk_widget_class_bind_template_child (widget_class, RgConfirmDialog, heading_label);
  gtk_widget_class_bind_template_child (widget_class, RgConfirmDialog, body_label);
  gtk_widget_class_bind_template_child (widget_class, RgConfirmDialog, rows_area);
  gtk_widget_class_bind_template_child (widget_class, RgConfirmDialog, count_label);
  gtk_widget_class_bind_template_child (widget_class, RgConfirmDialog, scrolled);
  gtk_widget_class_bind_template_child (widget_class, RgConfirmDialog, rows_box);
  gtk_widget_class_bind_template_child (widget_class, RgConfirmDialog, empty_label);
  gtk_widget_class_bind_template_child (widget_class, RgConfirmDialog, details_expander);
  gtk_widget_class_bind_template_child (widget_class, RgConfirmDialog, details_label);
}

static void
rg_confirm_dialog_init (RgConfirmDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_ptr_array_new_with_free_func (g_object_unref);
  self->field_group = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);
  gtk_label_set_text (self->empty_label,
                      _("Every recipient would be removed: use a suggestion, or go back to the "
                        "message."));

  /* Keep the focused row in view when Tab walks down a long list. */
  gtk_container_set_focus_vadjustment (GTK_CONTAINER (self->rows_box),
                                       gtk_scrolled_window_get_vadjustment (self->scrolled));

  g_signal_connect (self, "response", G_CALLBACK (on_response), NULL);
}

static RgConfirmDialog *
confirm_dialog_new (GtkWindow *parent)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  /* Buttons at the bottom whatever the desktop's gtk-dialogs-use-header: "Send _Anyway"
   * comes and goes, and at the bottom the answers follow the choices they apply. */
  return g_object_new (RG_TYPE_CONFIRM_DIALOG,
                       "use-header-bar", FALSE,
                       "transient-for", parent,
                       NULL);
}

/**
 * rg_confirm_dialog_new:
 * @parent: (nullable): the composer window; the dialog is modal on it and transient for it
 *
 * Returns: (transfer floating): a "Check recipients" dialog without rows yet; add them with
 * rg_confirm_dialog_add_row(), then run it.
 *
 * Since: 0.1
 */
GtkWidget *
rg_confirm_dialog_new (GtkWindow *parent)
{
  return GTK_WIDGET (confirm_dialog_new (parent));
}

/**
 * rg_confirm_dialog_new_failed:
 * @parent: (nullable): the composer window
 * @detail: (nullable): the technical reason, shown behind "Details" (it may be English)
 *
 * The fallback when the check itself failed: no rows, what to do in plain words, "_Edit
 * Message" (the default, and Escape) and "Send _Anyway".
 *
 * Returns: (transfer floating): the dialog
 *
 * Since: 0.1
 */
GtkWidget *
rg_confirm_dialog_new_failed (GtkWindow  *parent,
                              const char *detail)
{
  RgConfirmDialog *self = confirm_dialog_new (parent);

  g_return_val_if_fail (self != NULL, NULL);

  self->failed = TRUE;
  gtk_widget_destroy (self->corrected_button);
  self->corrected_button = NULL;
  set_message (self, "dialog-warning", _("Recipients could not be checked"),
               _("Recipient Guard could not finish its check. Go back to the message and try "
                 "again, or send anyway if you are sure."));
  gtk_widget_hide (self->rows_area);
  if (detail != NULL && detail[0] != '\0')
    {
      gtk_label_set_text (self->details_label, detail);
      gtk_widget_show (self->details_expander);
    }
  /* The first control is the expander, where Enter would open it: it goes back instead. */
  gtk_widget_grab_focus (self->edit_button);
  return GTK_WIDGET (self);
}

/**
 * rg_confirm_dialog_new_refused:
 * @parent: (nullable): the composer window
 * @detail: (nullable): the technical reason, shown behind "Details" (it may be English)
 * @locked: whether the administrator locked on-error: then the administrator's policy forbids
 *   it, else the user's own settings
 *
 * The check itself failed and the policy (on-error "block") forbids sending unchecked
 * mail: "Recipients could not be checked" with "_Edit Message" alone.
 *
 * Returns: (transfer floating): the dialog
 *
 * Since: 0.1
 */
GtkWidget *
rg_confirm_dialog_new_refused (GtkWindow  *parent,
                               const char *detail,
                               gboolean    locked)
{
  RgConfirmDialog *self = RG_CONFIRM_DIALOG (rg_confirm_dialog_new_failed (parent, detail));

  self->refused = TRUE;
  update_anyway (self);
  set_message (self, "dialog-error", _("Recipients could not be checked"),
               locked ? _("Recipient Guard could not finish its check. Your administrator does "
                          "not allow sending without the check: go back to the message and "
                          "try again.")
                      : _("Recipient Guard could not finish its check, and your settings do "
                          "not allow sending without it: go back to the message and try "
                          "again."));
  return GTK_WIDGET (self);
}

/**
 * rg_confirm_dialog_add_row:
 * @self: a dialog from rg_confirm_dialog_new()
 * @field: the translated header name ("To", "Cc", "Bcc")
 * @name: (nullable): the recipient's display name; NULL or "" for none
 * @address: the address as it is in the message (UTF-8)
 * @domain: (nullable): the domain of @address as the check saw it, which "Always allow"
 *   would trust; NULL: that choice is never offered for this row
 * @reason: a translated sentence saying why @address was flagged
 * @suggestion: (nullable): the corrected address; NULL or "" for none
 * @blocked: whether the policy forbids @address
 *
 * Adds a row below the others; the strings are copied.  The row shows "@name <@address>".
 * The initial choice is CORRECT where there is a suggestion, else KEEP (REMOVE when
 * @blocked).  A blocked row removes "Send _Anyway" unless
 * rg_confirm_dialog_set_allow_override() allowed it, and never offers "Always allow".  Cost:
 * linear in the number of rows (the "Send _Corrected" check).
 *
 * Returns: the row's index, counting from 0
 *
 * Since: 0.1
 */
guint
rg_confirm_dialog_add_row (RgConfirmDialog *self,
                           const char      *field,
                           const char      *name,
                           const char      *address,
                           const char      *domain,
                           const char      *reason,
                           const char      *suggestion,
                           gboolean         blocked)
{
  GtkWidget *row;

  g_return_val_if_fail (RG_IS_CONFIRM_DIALOG (self), 0);
  g_return_val_if_fail (!self->failed, 0);
  g_return_val_if_fail (address != NULL, 0);

  if (self->rows->len > 0)
    {
      GtkWidget *separator = gtk_separator_new (GTK_ORIENTATION_HORIZONTAL);

      gtk_widget_show (separator);
      gtk_container_add (GTK_CONTAINER (self->rows_box), separator);
    }

  row = rg_confirm_row_new (field, name, address, domain, reason, suggestion, blocked);
  rg_confirm_row_set_can_trust (RG_CONFIRM_ROW (row), self->can_trust);
  gtk_size_group_add_widget (self->field_group,
                             rg_confirm_row_get_field_label (RG_CONFIRM_ROW (row)));
  gtk_container_add (GTK_CONTAINER (self->rows_box), row);
  g_ptr_array_add (self->rows, g_object_ref (row));
  g_signal_connect_object (row, "notify::choice", G_CALLBACK (on_row_choice_changed), self,
                           G_CONNECT_SWAPPED);

  update_corrected (self);
  update_count (self);
  if (blocked)
    {
      self->n_blocked++;
      update_anyway (self);
      update_message (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_ROWS]);

  return self->rows->len - 1;
}

/**
 * rg_confirm_dialog_set_allow_override:
 * @self: a dialog
 * @allow: whether blocked rows may still be sent as they are
 *
 * The administrator's allow-block-override: with it, "Send _Anyway" stays even when a row is
 * blocked.  FALSE by default.
 *
 * Since: 0.1
 */
void
rg_confirm_dialog_set_allow_override (RgConfirmDialog *self,
                                      gboolean         allow)
{
  g_return_if_fail (RG_IS_CONFIRM_DIALOG (self));

  allow = !!allow;
  if (self->allow_override == allow)
    return;

  self->allow_override = allow;
  update_anyway (self);
  update_message (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ALLOW_OVERRIDE]);
}

/**
 * rg_confirm_dialog_get_allow_override:
 * @self: a dialog
 *
 * Returns: what rg_confirm_dialog_set_allow_override() set, FALSE by default
 *
 * Since: 0.1
 */
gboolean
rg_confirm_dialog_get_allow_override (RgConfirmDialog *self)
{
  g_return_val_if_fail (RG_IS_CONFIRM_DIALOG (self), FALSE);

  return self->allow_override;
}

/**
 * rg_confirm_dialog_get_n_rows:
 * @self: a dialog
 *
 * Returns: the number of rows added
 *
 * Since: 0.1
 */
guint
rg_confirm_dialog_get_n_rows (RgConfirmDialog *self)
{
  g_return_val_if_fail (RG_IS_CONFIRM_DIALOG (self), 0);

  return self->rows->len;
}

/**
 * rg_confirm_dialog_get_choice:
 * @self: a dialog
 * @row: an index from rg_confirm_dialog_add_row()
 *
 * Returns: the row's current choice; KEEP for a row that does not exist (with a critical)
 *
 * Since: 0.1
 */
RgConfirmChoice
rg_confirm_dialog_get_choice (RgConfirmDialog *self,
                              guint            row)
{
  g_return_val_if_fail (RG_IS_CONFIRM_DIALOG (self), RG_CONFIRM_CHOICE_KEEP);
  g_return_val_if_fail (row < self->rows->len, RG_CONFIRM_CHOICE_KEEP);

  return rg_confirm_row_get_choice (g_ptr_array_index (self->rows, row));
}

/**
 * rg_confirm_dialog_set_choice:
 * @self: a dialog
 * @row: an index from rg_confirm_dialog_add_row()
 * @choice: a choice the row offers: CORRECT needs a suggestion, KEEP an address that is not
 *   blocked, REMOVE a blocked one, TRUST one that is not blocked, a domain and
 *   rg_confirm_dialog_set_can_trust()
 *
 * Selects @choice as if the user had; anything else is a programming error (a critical, and
 * the choice stays).
 *
 * Since: 0.1
 */
void
rg_confirm_dialog_set_choice (RgConfirmDialog *self,
                              guint            row,
                              RgConfirmChoice  choice)
{
  g_return_if_fail (RG_IS_CONFIRM_DIALOG (self));
  g_return_if_fail (row < self->rows->len);

  rg_confirm_row_set_choice (g_ptr_array_index (self->rows, row), choice);
}

/**
 * rg_confirm_dialog_set_n_recipients:
 * @self: a dialog
 * @n_recipients: how many recipients the message has: To, Cc and Bcc, contact lists
 *   expanded (what the check saw), flagged or not
 *
 * The count line says how many of them the rows are ("3 of 150 recipients may be wrong"),
 * and "Send _Corrected" is insensitive, with a line that says why, while the choices would
 * remove every recipient.  The dialog never takes the message for smaller than its rows: left
 * at 0, every recipient is taken to be a row.
 *
 * Since: 0.2
 */
void
rg_confirm_dialog_set_n_recipients (RgConfirmDialog *self,
                                    guint            n_recipients)
{
  g_return_if_fail (RG_IS_CONFIRM_DIALOG (self));

  if (self->n_recipients == n_recipients)
    return;

  self->n_recipients = n_recipients;
  update_count (self);
  update_corrected (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_RECIPIENTS]);
}

/**
 * rg_confirm_dialog_get_n_recipients:
 * @self: a dialog
 *
 * Returns: the recipients the dialog counts: what rg_confirm_dialog_set_n_recipients() set,
 * or the number of rows if that is more
 *
 * Since: 0.2
 */
guint
rg_confirm_dialog_get_n_recipients (RgConfirmDialog *self)
{
  g_return_val_if_fail (RG_IS_CONFIRM_DIALOG (self), 0);

  return count_recipients (self);
}

/**
 * rg_confirm_dialog_set_can_trust:
 * @self: a dialog
 * @can_trust: whether the caller can add a domain to the user's trusted domains
 *
 * With it, every row that is not blocked and has a domain offers "Always allow DOMAIN"
 * (RG_CONFIRM_CHOICE_TRUST), for rows added before and after.  Without it (the default, and
 * what an administrator's lock on the trusted domains means) none does, and a row that had
 * chosen it goes back to KEEP.
 *
 * Since: 0.2
 */
void
rg_confirm_dialog_set_can_trust (RgConfirmDialog *self,
                                 gboolean         can_trust)
{
  g_return_if_fail (RG_IS_CONFIRM_DIALOG (self));

  can_trust = !!can_trust;
  if (self->can_trust == can_trust)
    return;

  self->can_trust = can_trust;
  for (guint i = 0; i < self->rows->len; i++)
    rg_confirm_row_set_can_trust (g_ptr_array_index (self->rows, i), can_trust);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CAN_TRUST]);
}

/**
 * rg_confirm_dialog_set_block_locked:
 * @self: a dialog
 * @locked: whether the administrator locked the block list
 *
 * Whose block a blocked row is: the administrator's ("Your administrator does not allow
 * sending to some of these recipients") only when locked; else the user's own ("You asked
 * never to send to some of these recipients").  FALSE by default.
 *
 * Since: 0.2
 */
void
rg_confirm_dialog_set_block_locked (RgConfirmDialog *self,
                                    gboolean         locked)
{
  g_return_if_fail (RG_IS_CONFIRM_DIALOG (self));

  locked = !!locked;
  if (self->block_locked == locked)
    return;

  self->block_locked = locked;
  update_message (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_BLOCK_LOCKED]);
}
