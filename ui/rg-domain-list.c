/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "rcptguard"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rg-domain-list.h"
#include "rg-lock-indicator.h"
#include "rg-settings.h"
#include "rg-ui-resources.h"

/* The entry a row shows, exactly as stored in the setting. */
#define ROW_DOMAIN_KEY "rg-domain"

struct _RgDomainList
{
  GtkBox parent_instance;

  GtkLabel *title_label;
  RgLockIndicator *lock_indicator;
  GtkLabel *description_label;
  GtkListBox *list_box;
  GtkEntry *entry;
  GtkButton *add_button;
  GtkButton *remove_button;
  GtkWidget *error_box;
  GtkLabel *error_label;

  char *key;
  GSettings *settings;
};

G_DEFINE_TYPE (RgDomainList, rg_domain_list, GTK_TYPE_BOX)

enum
{
  PROP_0,
  PROP_KEY,
  PROP_TITLE,
  PROP_DESCRIPTION,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* The form in which an entry is stored and compared: without the optional leading "*." or
 * "." (the core ignores them), without a trailing root dot, lower-cased and in NFC.
 * Lower-casing goes code point by code point with g_unichar_tolower (), which does not depend
 * on the locale: g_utf8_strdown () would store "MAIL.MIL" as "maıl.mil", with a dotless "ı",
 * in a Turkish locale.  @text is valid UTF-8 (rg_settings_validate_domain () accepted it). */
static char *
dup_canonical (const char *text)
{
  g_autoptr (GString) lower = g_string_new (NULL);
  const char *start = text;
  gsize length;

  if (g_str_has_prefix (start, "*."))
    start += 2;
  else if (start[0] == '.')
    start++;
  length = strlen (start);
  if (length > 0 && start[length - 1] == '.')
    length--;

  for (const char *p = start; p < start + length; p = g_utf8_next_char (p))
    g_string_append_unichar (lower, g_unichar_tolower (g_utf8_get_char (p)));
  return g_utf8_normalize (lower->str, (gssize) lower->len, G_NORMALIZE_NFC);
}

/* Whether @entries holds @canonical in any spelling (an administrator or the command line
 * may have stored "Example.COM"). */
static gboolean
contains_canonical (char *const *entries,
                    const char  *canonical)
{
  for (guint i = 0; entries[i] != NULL; i++)
    {
      g_autofree char *other = NULL;

      if (!g_utf8_validate (entries[i], -1, NULL))
        continue;
      other = dup_canonical (entries[i]);
      if (g_strcmp0 (other, canonical) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The screen reader hears the message with the field, where the focus stays. */
static void
show_error (RgDomainList *self,
            const char   *message)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self->entry));

  gtk_label_set_text (self->error_label, message);
  gtk_widget_show (self->error_box);
  gtk_style_context_add_class (context, GTK_STYLE_CLASS_ERROR);
  atk_object_set_description (gtk_widget_get_accessible (GTK_WIDGET (self->entry)), message);
}

/* What was typed stays, selected, with the keyboard in the field: typing replaces it, and
 * the arrow keys let it be corrected. */
static void
refuse_typed (RgDomainList *self,
              const char   *message)
{
  show_error (self, message);
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
  gtk_editable_select_region (GTK_EDITABLE (self->entry), 0, -1);
}

static void
clear_error (RgDomainList *self)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self->entry));

  if (!gtk_widget_get_visible (self->error_box))
    return;
  gtk_widget_hide (self->error_box);
  gtk_label_set_text (self->error_label, "");
  gtk_style_context_remove_class (context, GTK_STYLE_CLASS_ERROR);
  atk_object_set_description (gtk_widget_get_accessible (GTK_WIDGET (self->entry)), "");
}

static gboolean
is_writable (RgDomainList *self)
{
  return self->settings != NULL && g_settings_is_writable (self->settings, self->key);
}

static void
update_sensitivity (RgDomainList *self)
{
  gboolean writable = is_writable (self);

  gtk_widget_set_sensitive (GTK_WIDGET (self->list_box), writable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->entry), writable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), writable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->remove_button),
                            writable && gtk_list_box_get_selected_row (self->list_box) != NULL);
  if (!writable)
    clear_error (self);
}

static const char *
row_get_domain (GtkListBoxRow *row)
{
  return g_object_get_data (G_OBJECT (row), ROW_DOMAIN_KEY);
}

static GtkListBoxRow *
find_row (RgDomainList *self,
          const char   *domain)
{
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->list_box, i)) != NULL; i++)
    {
      if (g_strcmp0 (row_get_domain (row), domain) == 0)
        return row;
    }
  return NULL;
}

static GtkWidget *
new_row (const char *domain)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label = gtk_label_new (domain);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  g_object_set (label, "margin-start", 6, "margin-end", 6, "margin-top", 3, "margin-bottom", 3,
                NULL);
  gtk_container_add (GTK_CONTAINER (row), label);
  g_object_set_data_full (G_OBJECT (row), ROW_DOMAIN_KEY, g_strdup (domain), g_free);
  gtk_widget_show_all (row);
  return row;
}

/* The rows follow the setting, whoever changed it (this page, another window, the command
 * line, an administrator's update); the selection stays on its entry if that is still there. */
static void
reload (RgDomainList *self)
{
  g_auto (GStrv) entries = g_settings_get_strv (self->settings, self->key);
  GtkListBoxRow *selected = gtk_list_box_get_selected_row (self->list_box);
  g_autofree char *selected_domain = NULL;
  g_autoptr (GList) children = NULL;

  if (selected != NULL)
    selected_domain = g_strdup (row_get_domain (selected));

  children = gtk_container_get_children (GTK_CONTAINER (self->list_box));
  for (GList *l = children; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);

  for (guint i = 0; entries[i] != NULL; i++)
    gtk_container_add (GTK_CONTAINER (self->list_box), new_row (entries[i]));

  if (selected_domain != NULL)
    {
      GtkListBoxRow *row = find_row (self, selected_domain);

      if (row != NULL)
        gtk_list_box_select_row (self->list_box, row);
    }
  update_sensitivity (self);
}

static void
write_entries (RgDomainList *self,
               char *const  *entries)
{
  if (!g_settings_set_strv (self->settings, self->key, (const char *const *) entries))
    {
      /* Locked between the click and now. */
      show_error (self, _("This list is set by your administrator and cannot be changed."));
    }
}

static void
add_typed (RgDomainList *self)
{
  g_autofree char *typed = g_strstrip (g_strdup (gtk_entry_get_text (self->entry)));
  g_autofree char *message = NULL;
  g_autofree char *canonical = NULL;
  g_auto (GStrv) entries = NULL;
  g_autoptr (GStrvBuilder) builder = NULL;
  g_auto (GStrv) updated = NULL;
  GtkListBoxRow *row;

  if (!is_writable (self))
    return;

  if (!rg_settings_validate_domain (self->key, typed, &message))
    {
      refuse_typed (self, message);
      return;
    }

  canonical = dup_canonical (typed);
  entries = g_settings_get_strv (self->settings, self->key);
  if (contains_canonical (entries, canonical))
    {
      g_autofree char *duplicate = NULL;

      /* Translators: %s is a domain, e.g. "example.com". */
      duplicate = g_strdup_printf (_("“%s” is already in the list."), canonical);
      refuse_typed (self, duplicate);
      return;
    }

  builder = g_strv_builder_new ();
  g_strv_builder_addv (builder, (const char **) entries);
  g_strv_builder_add (builder, canonical);
  updated = g_strv_builder_end (builder);

  clear_error (self);
  write_entries (self, updated);
  gtk_entry_set_text (self->entry, "");

  /* The new row is there: GSettings reports a change of its own object at once. */
  row = find_row (self, canonical);
  if (row != NULL)
    gtk_list_box_select_row (self->list_box, row);
}

static void
remove_selected (RgDomainList *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->list_box);
  g_autofree char *domain = NULL;
  g_auto (GStrv) entries = NULL;
  g_autoptr (GStrvBuilder) builder = NULL;
  g_auto (GStrv) updated = NULL;
  gboolean removed = FALSE;
  int index;

  if (row == NULL || !is_writable (self))
    return;

  domain = g_strdup (row_get_domain (row));
  index = gtk_list_box_row_get_index (row);
  entries = g_settings_get_strv (self->settings, self->key);
  builder = g_strv_builder_new ();
  for (guint i = 0; entries[i] != NULL; i++)
    {
      /* One entry: should the setting hold it twice, each row removes one. */
      if (!removed && g_strcmp0 (entries[i], domain) == 0)
        removed = TRUE;
      else
        g_strv_builder_add (builder, entries[i]);
    }
  if (!removed)
    return;
  updated = g_strv_builder_end (builder);

  clear_error (self);
  write_entries (self, updated);

  /* Keep the keyboard in the list: the next entry, or the last. */
  row = gtk_list_box_get_row_at_index (self->list_box, index);
  if (row == NULL && index > 0)
    row = gtk_list_box_get_row_at_index (self->list_box, index - 1);
  if (row != NULL)
    gtk_list_box_select_row (self->list_box, row);
}

static void
on_entry_activate (RgDomainList *self)
{
  add_typed (self);
}

static void
on_add_clicked (RgDomainList *self)
{
  add_typed (self);
}

static void
on_remove_clicked (RgDomainList *self)
{
  remove_selected (self);
}

static void
on_entry_changed (RgDomainList *self)
{
  clear_error (self);
}

static void
on_row_selected (RgDomainList *self)
{
  update_sensitivity (self);
}

static gboolean
on_list_key_press (RgDomainList *self,
                   GdkEventKey  *event)
{
  if (event->keyval != GDK_KEY_Delete && event->keyval != GDK_KEY_KP_Delete)
    return GDK_EVENT_PROPAGATE;
  remove_selected (self);
  return GDK_EVENT_STOP;
}

static void
on_settings_changed (GSettings  *settings,
                     const char *key,
                     gpointer    user_data)
{
  reload (RG_DOMAIN_LIST (user_data));
}

static void
on_writable_changed (GSettings  *settings,
                     const char *key,
                     gpointer    user_data)
{
  update_sensitivity (RG_DOMAIN_LIST (user_data));
}

/* The controls of four lists sit on one page: each is named after its list. */
static void
update_accessible_names (RgDomainList *self)
{
  const char *title = gtk_label_get_text (self->title_label);
  g_autofree char *entry_name = NULL;
  g_autofree char *add_name = NULL;
  g_autofree char *remove_name = NULL;

  /* Translators: the accessible name of a text field; %s is the name of a list of domains,
   * e.g. "Trusted domains". */
  entry_name = g_strdup_printf (_("Domain to add to “%s”"), title);
  /* Translators: the accessible name of a button; %s is the name of a list of domains. */
  add_name = g_strdup_printf (_("Add to “%s”"), title);
  /* Translators: the accessible name of a button; %s is the name of a list of domains. */
  remove_name = g_strdup_printf (_("Remove the selected domain from “%s”"), title);

  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self->list_box)), title);
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self->entry)), entry_name);
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self->add_button)), add_name);
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self->remove_button)),
                       remove_name);
}

static void
set_title (RgDomainList *self,
           const char   *title)
{
  gtk_label_set_text_with_mnemonic (self->title_label, title != NULL ? title : "");
  update_accessible_names (self);
}

static void
set_description (RgDomainList *self,
                 const char   *description)
{
  gtk_label_set_text (self->description_label, description != NULL ? description : "");
  gtk_widget_set_visible (GTK_WIDGET (self->description_label),
                          description != NULL && description[0] != '\0');
  atk_object_set_description (gtk_widget_get_accessible (GTK_WIDGET (self->list_box)),
                              description != NULL ? description : "");
}

static void
rg_domain_list_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  RgDomainList *self = RG_DOMAIN_LIST (object);

  switch (prop_id)
    {
    case PROP_KEY: g_value_set_string (value, self->key); break;
    case PROP_TITLE: g_value_set_string (value, gtk_label_get_label (self->title_label)); break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, gtk_label_get_text (self->description_label));
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_domain_list_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  RgDomainList *self = RG_DOMAIN_LIST (object);

  switch (prop_id)
    {
    case PROP_KEY: self->key = g_value_dup_string (value); break;
    case PROP_TITLE: set_title (self, g_value_get_string (value)); break;
    case PROP_DESCRIPTION: set_description (self, g_value_get_string (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_domain_list_dispose (GObject *object)
{
  RgDomainList *self = RG_DOMAIN_LIST (object);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (rg_domain_list_parent_class)->dispose (object);
}

static void
rg_domain_list_finalize (GObject *object)
{
  RgDomainList *self = RG_DOMAIN_LIST (object);

  g_free (self->key);

  G_OBJECT_CLASS (rg_domain_list_parent_class)->finalize (object);
}

static void
rg_domain_list_class_init (RgDomainListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = rg_domain_list_get_property;
  object_class->set_property = rg_domain_list_set_property;
  object_class->dispose = rg_domain_list_dispose;
  object_class->finalize = rg_domain_list_finalize;

  /* The settings key: "trusted-domains", "known-domains", "warn-domains" or
   * "block-domains". */
  props[PROP_KEY] =
    g_param_spec_string ("key", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* The heading, with a mnemonic for the field. */
  props[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /* A sentence under the heading saying what the list does. */
  props[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  g_type_ensure (RG_TYPE_LOCK_INDICATOR);
  (void) rg_ui_get_resource ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rcptguard/ui/rg-domain-list.ui");
  gtk_widget_class_bind_template_child (widget_class, RgDomainList, title_label);
  gtk_widget_class_bind_template_child (widget_class, RgDomainList, lock_indicator);
  gtk_widget_class_bind_template_child (widget_class, RgDomainList, description_label);
  gtk_widget_class_bind_template_child (widget_class, RgDomainList, list_box);
  gtk_widget_class_bind_template_child (widget_class, RgDomainList, entry);
  gtk_widget_class_bind_template_child (widget_class, RgDomainList, add_button);
  gtk_widget_class_bind_template_child (widget_class, RgDomainList, remove_button);
  gtk_widget_class_bind_template_child (widget_class, RgDomainList, error_box);
  gtk_widget_class_bind_template_child (widget_class, RgDomainList, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_list_key_press);
}

static void
rg_domain_list_init (RgDomainList *self)
{
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));

  placeholder = gtk_label_new (_("No domains"));
  gtk_style_context_add_class (gtk_widget_get_style_context (placeholder), "dim-label");
  gtk_widget_show (placeholder);
  gtk_list_box_set_placeholder (self->list_box, placeholder);

  /* Nothing to edit until there are settings. */
  update_sensitivity (self);
}

/**
 * rg_domain_list_new:
 * @key: the settings key
 * @title: the translated heading, with a mnemonic
 * @description: (nullable): a translated sentence saying what the list does
 *
 * Returns: (transfer floating): the list, empty and insensitive until
 * rg_domain_list_set_settings ().
 *
 * Since: 0.1
 */
GtkWidget *
rg_domain_list_new (const char *key,
                    const char *title,
                    const char *description)
{
  g_return_val_if_fail (key != NULL, NULL);

  return g_object_new (RG_TYPE_DOMAIN_LIST,
                       "key", key,
                       "title", title,
                       "description", description,
                       NULL);
}

/**
 * rg_domain_list_set_settings:
 * @self: a list
 * @settings: settings of the schema %RG_SETTINGS_SCHEMA_ID
 *
 * Shows the entries of the list's key in @settings and edits them from now on; the rows
 * follow the setting whoever changes it, and the controls its lock.  Call once.
 *
 * Since: 0.1
 */
void
rg_domain_list_set_settings (RgDomainList *self,
                             GSettings    *settings)
{
  g_autofree char *changed = NULL;
  g_autofree char *writable_changed = NULL;

  g_return_if_fail (RG_IS_DOMAIN_LIST (self));
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (self->settings == NULL);
  g_return_if_fail (self->key != NULL);

  self->settings = g_object_ref (settings);
  changed = g_strconcat ("changed::", self->key, NULL);
  writable_changed = g_strconcat ("writable-changed::", self->key, NULL);
  g_signal_connect (settings, changed, G_CALLBACK (on_settings_changed), self);
  g_signal_connect (settings, writable_changed, G_CALLBACK (on_writable_changed), self);
  /* The field: the list describes itself already, and the field's description is otherwise
   * only an error, which a locked list does not have. */
  rg_lock_indicator_bind (self->lock_indicator, settings, self->key, GTK_WIDGET (self->entry));
  reload (self);
}

/**
 * rg_domain_list_get_key:
 * @self: a list
 *
 * Returns: (transfer none): the settings key; valid as long as @self.
 *
 * Since: 0.1
 */
const char *
rg_domain_list_get_key (RgDomainList *self)
{
  g_return_val_if_fail (RG_IS_DOMAIN_LIST (self), NULL);

  return self->key;
}
