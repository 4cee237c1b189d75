/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "rcptguard"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rg-lock-indicator.h"

struct _RgLockIndicator
{
  GtkBox parent_instance;

  GtkWidget *label;

  GSettings *settings;
  char *key;
  /* Weak: the control is a sibling of ours and may go first. */
  GtkWidget *control;
};

G_DEFINE_TYPE (RgLockIndicator, rg_lock_indicator, GTK_TYPE_BOX)

static void
update (RgLockIndicator *self)
{
  gboolean locked = !g_settings_is_writable (self->settings, self->key);
  const char *text = gtk_label_get_text (GTK_LABEL (self->label));

  gtk_widget_set_visible (GTK_WIDGET (self), locked);
  if (self->control == NULL)
    return;

  /* A screen reader reads the insensitive control, not the indicator beside it.  Only our
   * own description is taken back: the control may describe itself otherwise meanwhile. */
  {
    AtkObject *accessible = gtk_widget_get_accessible (self->control);

    if (locked)
      atk_object_set_description (accessible, text);
    else if (g_strcmp0 (atk_object_get_description (accessible), text) == 0)
      atk_object_set_description (accessible, "");
  }
}

static void
on_writable_changed (GSettings  *settings,
                     const char *key,
                     gpointer    user_data)
{
  update (RG_LOCK_INDICATOR (user_data));
}

static void
rg_lock_indicator_dispose (GObject *object)
{
  RgLockIndicator *self = RG_LOCK_INDICATOR (object);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_weak_pointer (&self->control);

  G_OBJECT_CLASS (rg_lock_indicator_parent_class)->dispose (object);
}

static void
rg_lock_indicator_finalize (GObject *object)
{
  RgLockIndicator *self = RG_LOCK_INDICATOR (object);

  g_free (self->key);

  G_OBJECT_CLASS (rg_lock_indicator_parent_class)->finalize (object);
}

static void
rg_lock_indicator_class_init (RgLockIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rg_lock_indicator_dispose;
  object_class->finalize = rg_lock_indicator_finalize;
}

static void
rg_lock_indicator_init (RgLockIndicator *self)
{
  GtkWidget *image = gtk_image_new_from_icon_name ("changes-prevent-symbolic",
                                                   GTK_ICON_SIZE_BUTTON);

  gtk_box_set_spacing (GTK_BOX (self), 6);
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
  /* Shown only while the key is locked, whatever a gtk_widget_show_all () of the host's
   * says. */
  gtk_widget_set_no_show_all (GTK_WIDGET (self), TRUE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self),
                               _("Your administrator has locked this setting, so it cannot "
                                 "be changed here."));

  /* The words say it; the picture only repeats them. */
  atk_object_set_role (gtk_widget_get_accessible (image), ATK_ROLE_REDUNDANT_OBJECT);
  gtk_widget_show (image);
  gtk_container_add (GTK_CONTAINER (self), image);

  self->label = gtk_label_new (_("Set by your administrator"));
  gtk_style_context_add_class (gtk_widget_get_style_context (self->label), "dim-label");
  gtk_widget_show (self->label);
  gtk_container_add (GTK_CONTAINER (self), self->label);
}

/**
 * rg_lock_indicator_new:
 *
 * Returns: (transfer floating): an indicator, hidden until rg_lock_indicator_bind () finds
 * its key locked.
 *
 * Since: 0.1
 */
GtkWidget *
rg_lock_indicator_new (void)
{
  return g_object_new (RG_TYPE_LOCK_INDICATOR, NULL);
}

/**
 * rg_lock_indicator_bind:
 * @self: an indicator
 * @settings: the settings holding @key
 * @key: the key whose lock to show
 * @control: (nullable): the widget that edits @key; its accessible description says
 *   "Set by your administrator" while @key is locked
 *
 * Shows @self while @key is not writable, from now on.  It does not change the sensitivity
 * of @control: g_settings_bind () does that for the keys it binds, and the lists do it
 * themselves.  Call once.
 *
 * Since: 0.1
 */
void
rg_lock_indicator_bind (RgLockIndicator *self,
                        GSettings       *settings,
                        const char      *key,
                        GtkWidget       *control)
{
  g_autofree char *signal = NULL;

  g_return_if_fail (RG_IS_LOCK_INDICATOR (self));
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (key != NULL);
  g_return_if_fail (control == NULL || GTK_IS_WIDGET (control));
  g_return_if_fail (self->settings == NULL);

  self->settings = g_object_ref (settings);
  self->key = g_strdup (key);
  g_set_weak_pointer (&self->control, control);

  signal = g_strconcat ("writable-changed::", key, NULL);
  g_signal_connect (settings, signal, G_CALLBACK (on_writable_changed), self);
  update (self);
}

/**
 * rg_lock_indicator_get_key:
 * @self: an indicator
 *
 * Returns: (nullable) (transfer none): the key it follows, NULL before
 * rg_lock_indicator_bind (); valid as long as @self.
 *
 * Since: 0.1
 */
const char *
rg_lock_indicator_get_key (RgLockIndicator *self)
{
  g_return_val_if_fail (RG_IS_LOCK_INDICATOR (self), NULL);

  return self->key;
}
