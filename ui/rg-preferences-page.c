/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "rcptguard"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rg-domain-list.h"
#include "rg-lock-indicator.h"
#include "rg-preferences-page.h"
#include "rg-settings.h"
#include "rg-ui-resources.h"

/* GLib's in-memory backend, by type name (it has no public type): it keeps nothing after the
 * process ends, which the warning bar then says as well. */
#define MEMORY_BACKEND_NAME "GMemorySettingsBackend"

typedef enum
{
  SECTION_GENERAL,
  SECTION_CHECKS,
  SECTION_LOG,
} Section;

/* One choice of a combo box: the enum's nick, as stored, and its label. */
typedef struct
{
  const char *nick;
  const char *context;
  const char *label;
} Choice;

/* One switch or combo box of the page, bound to a key of the same type. */
typedef struct
{
  const char *key;
  Section section;
  const char *title;       /* with a mnemonic */
  const char *description; /* a sentence under the title, or NULL */
  const Choice *choices;   /* NULL for a switch */
  gsize n_choices;
} SettingRow;

/* One of the four lists, and where it sits in the grid. */
typedef struct
{
  const char *key;
  const char *title;
  const char *description;
  int column;
  int row;
} ListRow;

static const Choice on_error_choices[] = {
  /* Translators: what happens to a message whose recipients could not be checked (the
   * check itself failed); the choices of "If recipients cannot be checked". */
  { "allow", "check failed", NC_("check failed", "Send without asking") },
  { "warn", "check failed", NC_("check failed", "Ask before sending") },
  { "block", "check failed", NC_("check failed", "Do not send") },
};

static const Choice log_local_parts_choices[] = {
  /* Translators: how the decision log records the part of an address before the "@" (the
   * name of the mailbox); the choices of "Names before the “@”".  A keyed hash lets
   * repeated recipients be told apart without naming them. */
  { "none", "logged name", NC_("logged name", "Not recorded") },
  { "hmac", "logged name", NC_("logged name", "Recorded as a keyed hash") },
  { "plain", "logged name", NC_("logged name", "Recorded as typed") },
};

static const SettingRow setting_rows[] = {
  { "enabled", SECTION_GENERAL, N_("_Check recipients at Send"),
    N_("Ask before a message goes to a domain that looks like a slip of one you write to, or "
        "that is listed below."),
    NULL, 0 },
  { "check-lookalikes", SECTION_CHECKS, N_("Check for _lookalike domains"),
    N_("Flag domains that look like a known one but use other characters, such as a Cyrillic "
        "“а” for a Latin “a”."),
    NULL, 0 },
  { "notice-new-domains", SECTION_CHECKS, N_("Point out ne_w domains"),
    N_("Mention recipients at domains you have never written to. This alone does not stop a "
        "message."),
    NULL, 0 },
  { "allow-block-override", SECTION_CHECKS, N_("Allow sending to _blocked domains"),
    /* Translators: "Send Anyway" is the button of the "Check recipients" dialog. */
    N_("Offer “Send Anyway” for blocked recipients too, which turns a block into a warning."),
    NULL, 0 },
  { "on-error", SECTION_CHECKS, N_("_If recipients cannot be checked"),
    N_("When the check itself fails. The failure is logged in any case."),
    on_error_choices, G_N_ELEMENTS (on_error_choices) },
  { "log-decisions", SECTION_LOG, N_("_Record decisions in the log"),
    N_("What was flagged and what you chose, for your administrator. The content of messages "
        "is never recorded."),
    NULL, 0 },
  /* Translators: the part of an e-mail address before the "@", e.g. "ops" in
   * "ops@army.mil"; how the decision log records it is chosen next to this. */
  { "log-local-parts", SECTION_LOG, N_("Na_mes before the “@”"),
    N_("How the log records the part of an address before the “@”. A keyed hash tells "
        "repeated recipients apart without naming them."),
    log_local_parts_choices, G_N_ELEMENTS (log_local_parts_choices) },
};

static const ListRow list_rows[] = {
  { "trusted-domains", N_("_Trusted domains"),
    N_("Never warned about, and recognised when mistyped. Each entry covers its "
        "subdomains."),
    0, 0 },
  /* Translators: the heading of the list of known-domains: organisations the user writes
   * to that are not in the address books. */
  { "known-domains", N_("_Partner domains"),
    N_("Domains you write to besides those in your address books. An address one slip away "
        "from one of them is flagged."),
    1, 0 },
  { "warn-domains", N_("Always _ask"),
    /* Translators: "ml" and ".ml" are a domain (Mali's); keep them. */
    N_("Sending to these domains always asks first. “ml” covers every address under .ml."),
    0, 1 },
  { "block-domains", N_("_Never send"),
    N_("Messages to these domains are not sent until the address is corrected or removed."),
    1, 1 },
};

struct _RgPreferencesPage
{
  GtkBox parent_instance;

  GtkWidget *backend_bar;
  GtkLabel *backend_heading;
  GtkLabel *backend_label;
  GtkBox *general_box;
  GtkGrid *lists_grid;
  GtkBox *checks_box;
  GtkBox *log_box;

  GSettings *settings;
};

G_DEFINE_TYPE (RgPreferencesPage, rg_preferences_page, GTK_TYPE_BOX)

enum
{
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static GtkBox *
get_section (RgPreferencesPage *self,
             Section            section)
{
  switch (section)
    {
    case SECTION_GENERAL: return self->general_box;
    case SECTION_CHECKS: return self->checks_box;
    case SECTION_LOG: return self->log_box;
    default: g_return_val_if_reached (self->general_box);
    }
}

static GtkWidget *
new_control (const SettingRow  *row,
             const char       **property)
{
  GtkWidget *combo;

  if (row->choices == NULL)
    {
      *property = "active";
      return gtk_switch_new ();
    }

  *property = "active-id";
  combo = gtk_combo_box_text_new ();
  for (gsize i = 0; i < row->n_choices; i++)
    gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (combo), row->choices[i].nick,
                               g_dpgettext2 (GETTEXT_PACKAGE, row->choices[i].context,
                                             row->choices[i].label));
  return combo;
}

/* A row: the title and its description on the left, then the lock indicator and the control.
 * g_settings_bind () also makes the control insensitive while the key is not writable (it
 * binds "sensitive" unless told G_SETTINGS_BIND_NO_SENSITIVITY); the indicator says why. */
static void
add_setting_row (RgPreferencesPage *self,
                 const SettingRow  *row)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new_with_mnemonic (_(row->title));
  GtkWidget *lock = rg_lock_indicator_new ();
  const char *property = NULL;
  GtkWidget *control = new_control (row, &property);
  AtkObject *accessible = gtk_widget_get_accessible (control);

  gtk_widget_set_hexpand (texts, TRUE);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (title), control);
  gtk_container_add (GTK_CONTAINER (texts), title);
  if (row->description != NULL)
    {
      GtkWidget *description = gtk_label_new (_(row->description));

      gtk_label_set_xalign (GTK_LABEL (description), 0);
      gtk_label_set_line_wrap (GTK_LABEL (description), TRUE);
      /* Measured at this width rather than at its longest word, which would make it tall. */
      gtk_label_set_width_chars (GTK_LABEL (description), 50);
      gtk_label_set_max_width_chars (GTK_LABEL (description), 70);
      gtk_style_context_add_class (gtk_widget_get_style_context (description), "dim-label");
      gtk_container_add (GTK_CONTAINER (texts), description);
      atk_object_set_description (accessible, _(row->description));
    }
  atk_object_set_name (accessible, gtk_label_get_text (GTK_LABEL (title)));

  gtk_widget_set_valign (control, GTK_ALIGN_CENTER);
  gtk_container_add (GTK_CONTAINER (box), texts);
  gtk_container_add (GTK_CONTAINER (box), lock);
  gtk_container_add (GTK_CONTAINER (box), control);
  gtk_widget_show_all (box);
  gtk_container_add (GTK_CONTAINER (get_section (self, row->section)), box);

  g_settings_bind (self->settings, row->key, control, property, G_SETTINGS_BIND_DEFAULT);
  rg_lock_indicator_bind (RG_LOCK_INDICATOR (lock), self->settings, row->key, control);
}

static void
add_list (RgPreferencesPage *self,
          const ListRow     *row)
{
  GtkWidget *list = rg_domain_list_new (row->key, _(row->title), _(row->description));

  rg_domain_list_set_settings (RG_DOMAIN_LIST (list), self->settings);
  gtk_widget_show (list);
  gtk_grid_attach (self->lists_grid, list, row->column, row->row, 1, 1);
}

static void
show_bar (RgPreferencesPage *self,
          GtkMessageType     type,
          const char        *heading,
          const char        *text)
{
  if (heading != NULL)
    gtk_label_set_text (self->backend_heading, heading);
  gtk_label_set_text (self->backend_label, text);
  gtk_info_bar_set_message_type (GTK_INFO_BAR (self->backend_bar), type);
  atk_object_set_name (gtk_widget_get_accessible (self->backend_bar),
                       gtk_label_get_text (self->backend_heading));
  atk_object_set_description (gtk_widget_get_accessible (self->backend_bar), text);
  gtk_widget_show (self->backend_bar);
}

/* GLib falls back to another backend, silently, when the dconf module is missing (or when
 * GSETTINGS_BACKEND says so); the administrator's values and locks are then gone and every
 * key reads as writable.  The page would look as if the user were free to change what policy
 * decides, so it says so. */
static void
update_backend_bar (RgPreferencesPage *self)
{
  g_autofree char *problem = rg_settings_dup_backend_problem ();
  g_autofree char *text = NULL;

  if (problem == NULL)
    {
      gtk_widget_hide (self->backend_bar);
      return;
    }

  if (strcmp (rg_settings_get_backend_name (), MEMORY_BACKEND_NAME) == 0)
    text = g_strconcat (problem, " ", _("Changes made here are lost when Evolution closes."),
                        NULL);
  else
    text = g_steal_pointer (&problem);
  show_bar (self, GTK_MESSAGE_WARNING, NULL, text);
}

static void
rg_preferences_page_constructed (GObject *object)
{
  RgPreferencesPage *self = RG_PREFERENCES_PAGE (object);

  G_OBJECT_CLASS (rg_preferences_page_parent_class)->constructed (object);

  if (self->settings == NULL)
    return;

  for (gsize i = 0; i < G_N_ELEMENTS (setting_rows); i++)
    add_setting_row (self, &setting_rows[i]);
  for (gsize i = 0; i < G_N_ELEMENTS (list_rows); i++)
    add_list (self, &list_rows[i]);
  update_backend_bar (self);
}

static void
rg_preferences_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  RgPreferencesPage *self = RG_PREFERENCES_PAGE (object);

  switch (prop_id)
    {
    case PROP_SETTINGS: g_value_set_object (value, self->settings); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_preferences_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  RgPreferencesPage *self = RG_PREFERENCES_PAGE (object);

  switch (prop_id)
    {
    case PROP_SETTINGS: self->settings = g_value_dup_object (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_preferences_page_dispose (GObject *object)
{
  RgPreferencesPage *self = RG_PREFERENCES_PAGE (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (rg_preferences_page_parent_class)->dispose (object);
}

static void
rg_preferences_page_class_init (RgPreferencesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = rg_preferences_page_constructed;
  object_class->get_property = rg_preferences_page_get_property;
  object_class->set_property = rg_preferences_page_set_property;
  object_class->dispose = rg_preferences_page_dispose;

  /* The settings shown and edited; NULL for a page that only says why there are none. */
  props[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  (void) rg_ui_get_resource ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rcptguard/ui/rg-preferences-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RgPreferencesPage, backend_bar);
  gtk_widget_class_bind_template_child (widget_class, RgPreferencesPage, backend_heading);
  gtk_widget_class_bind_template_child (widget_class, RgPreferencesPage, backend_label);
  gtk_widget_class_bind_template_child (widget_class, RgPreferencesPage, general_box);
  gtk_widget_class_bind_template_child (widget_class, RgPreferencesPage, lists_grid);
  gtk_widget_class_bind_template_child (widget_class, RgPreferencesPage, checks_box);
  gtk_widget_class_bind_template_child (widget_class, RgPreferencesPage, log_box);
}

static void
rg_preferences_page_init (RgPreferencesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * rg_preferences_page_new:
 * @settings: settings of the schema %RG_SETTINGS_SCHEMA_ID (from rg_settings_new ()), on
 *   GSettings' default backend: the warning bar judges that one
 *
 * Every change is written to @settings at once; the page follows changes made elsewhere and
 * the keys' locks while it lives.
 *
 * Returns: (transfer floating): the page, shown; it holds a reference to @settings.
 *
 * Since: 0.1
 */
GtkWidget *
rg_preferences_page_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (RG_TYPE_PREFERENCES_PAGE, "settings", settings, "visible", TRUE, NULL);
}

/**
 * rg_preferences_page_new_unavailable:
 * @message: a translated sentence saying why there are no settings, e.g. the message of
 *   rg_settings_new ()'s error
 *
 * The page in place of the settings when they cannot be had: a host shows this rather than
 * nothing, or a crash (g_settings_new () aborts on a missing schema).
 *
 * Returns: (transfer floating): the page, shown.
 *
 * Since: 0.1
 */
GtkWidget *
rg_preferences_page_new_unavailable (const char *message)
{
  RgPreferencesPage *self;
  g_autoptr (GList) children = NULL;

  g_return_val_if_fail (message != NULL, NULL);

  self = g_object_new (RG_TYPE_PREFERENCES_PAGE, "visible", TRUE, NULL);
  children = gtk_container_get_children (GTK_CONTAINER (self));
  for (GList *l = children; l != NULL; l = l->next)
    {
      if (l->data == self->backend_bar)
        continue;
      gtk_widget_hide (l->data);
      gtk_widget_set_no_show_all (l->data, TRUE);
    }
  show_bar (self, GTK_MESSAGE_ERROR, _("Recipient Guard settings are not available"), message);
  return GTK_WIDGET (self);
}

/**
 * rg_preferences_page_get_settings:
 * @self: a page
 *
 * Returns: (transfer none) (nullable): the settings shown, or %NULL on a page from
 * rg_preferences_page_new_unavailable (); valid as long as @self.
 *
 * Since: 0.1
 */
GSettings *
rg_preferences_page_get_settings (RgPreferencesPage *self)
{
  g_return_val_if_fail (RG_IS_PREFERENCES_PAGE (self), NULL);

  return self->settings;
}
