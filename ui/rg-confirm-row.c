/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "rcptguard"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rg-confirm-row.h"
#include "rg-ui-resources.h"

#define N_CHOICES (RG_CONFIRM_CHOICE_REMOVE + 1)

/* An address label longer than this many characters breaks anywhere (addresses have no
 * spaces) rather than widen the dialog.  Shorter ones do not wrap at all: a wrapping label is
 * measured again for every width tried, and with hundreds of rows that is what makes the
 * dialog slow to appear. */
#define ADDRESS_WRAP_CHARS 48

struct _RgConfirmRow
{
  GtkBox parent_instance;

  GtkLabel *field_label;
  GtkLabel *address_label;
  GtkLabel *reason_label;
  GtkBox *choice_box;

  char *field;
  char *typed;
  char *reason;
  char *suggestion;
  gboolean blocked;

  /* One radio button per choice this row offers, NULL for the others; the choice box owns
   * them. */
  GtkWidget *radios[N_CHOICES];
  RgConfirmChoice choice;
};

G_DEFINE_TYPE (RgConfirmRow, rg_confirm_row, GTK_TYPE_BOX)

enum
{
  PROP_0,
  PROP_FIELD,
  PROP_TYPED,
  PROP_REASON,
  PROP_SUGGESTION,
  PROP_BLOCKED,
  PROP_CHOICE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* See ADDRESS_WRAP_CHARS. */
static void
set_wrap_if_long (GtkLabel   *label,
                  const char *text)
{
  if (g_utf8_strlen (text, -1) <= ADDRESS_WRAP_CHARS)
    return;
  gtk_label_set_line_wrap (label, TRUE);
  gtk_label_set_line_wrap_mode (label, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (label, ADDRESS_WRAP_CHARS);
}

static void
on_radio_toggled (GtkToggleButton *radio,
                  gpointer         user_data)
{
  RgConfirmRow *self = RG_CONFIRM_ROW (user_data);

  /* Each change toggles two buttons; the one that became active carries the choice. */
  if (!gtk_toggle_button_get_active (radio))
    return;

  for (guint i = 0; i < N_CHOICES; i++)
    {
      if (self->radios[i] == GTK_WIDGET (radio) && self->choice != i)
        {
          self->choice = i;
          g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CHOICE]);
        }
    }
}

/* Adds the radio button for @choice.  @markup is what it shows, with @address (or NULL) in it;
 * @accessible_name says the whole choice, address included, because a screen reader user
 * hears the button without the address label next to it.  The reason, read after the name,
 * says why the question is asked at all. */
static void
add_choice (RgConfirmRow    *self,
            RgConfirmChoice  choice,
            const char      *markup,
            const char      *address,
            const char      *accessible_name)
{
  GtkWidget *group = NULL;
  GtkWidget *radio;
  GtkWidget *label;
  AtkObject *accessible;

  for (guint i = 0; i < N_CHOICES && group == NULL; i++)
    group = self->radios[i];

  radio = gtk_radio_button_new_from_widget (group != NULL ? GTK_RADIO_BUTTON (group) : NULL);
  label = gtk_label_new (NULL);
  gtk_label_set_markup (GTK_LABEL (label), markup);
  if (address != NULL)
    set_wrap_if_long (GTK_LABEL (label), address);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_container_add (GTK_CONTAINER (radio), label);
  gtk_widget_show_all (radio);

  accessible = gtk_widget_get_accessible (radio);
  atk_object_set_name (accessible, accessible_name);
  atk_object_set_description (accessible, self->reason);

  self->radios[choice] = radio;
  gtk_container_add (GTK_CONTAINER (self->choice_box), radio);
  g_signal_connect_object (radio, "toggled", G_CALLBACK (on_radio_toggled), self, 0);
}

/* Shown in place of "Use …" so that a row without a suggestion does not look broken: the one
 * choice left is all there is. */
static void
add_no_suggestion (RgConfirmRow *self)
{
  /* Translators: shown where "Use <address>" would be when there is no address to suggest. */
  GtkWidget *label = gtk_label_new (C_("recipient choice", "No suggestion"));

  gtk_style_context_add_class (gtk_widget_get_style_context (label), "dim-label");
  gtk_widget_show (label);
  gtk_container_add (GTK_CONTAINER (self->choice_box), label);
}

static void
rg_confirm_row_constructed (GObject *object)
{
  RgConfirmRow *self = RG_CONFIRM_ROW (object);
  g_autofree char *markup = NULL;
  g_autofree char *name = NULL;

  G_OBJECT_CLASS (rg_confirm_row_parent_class)->constructed (object);

  gtk_label_set_text (self->field_label, self->field);
  gtk_label_set_text (self->address_label, self->typed);
  set_wrap_if_long (self->address_label, self->typed);
  gtk_label_set_text (self->reason_label, self->reason);

  if (self->suggestion != NULL)
    {
      /* Translators: a choice for one recipient; %s is the suggested address. */
      markup = g_markup_printf_escaped (C_("recipient choice", "Use <b>%s</b>"),
                                        self->suggestion);
      /* Translators: the screen reader's name of the choice "Use <address>"; the first %s is
       * the suggested address, the second the address as typed. */
      name = g_strdup_printf (C_("recipient choice", "Use %s instead of %s"),
                              self->suggestion, self->typed);
      add_choice (self, RG_CONFIRM_CHOICE_CORRECT, markup, self->suggestion, name);
      g_clear_pointer (&markup, g_free);
      g_clear_pointer (&name, g_free);
    }
  else
    add_no_suggestion (self);

  if (self->blocked)
    {
      markup = g_markup_escape_text (C_("recipient choice", "Remove"), -1);
      /* Translators: the screen reader's name of the choice "Remove"; %s is the address. */
      name = g_strdup_printf (C_("recipient choice", "Remove %s"), self->typed);
      add_choice (self, RG_CONFIRM_CHOICE_REMOVE, markup, NULL, name);
    }
  else
    {
      markup = g_markup_escape_text (C_("recipient choice", "Keep as typed"), -1);
      /* Translators: the screen reader's name of the choice "Keep as typed"; %s is the
       * address. */
      name = g_strdup_printf (C_("recipient choice", "Keep %s as typed"), self->typed);
      add_choice (self, RG_CONFIRM_CHOICE_KEEP, markup, NULL, name);
    }

  if (self->suggestion != NULL)
    self->choice = RG_CONFIRM_CHOICE_CORRECT;
  else
    self->choice = self->blocked ? RG_CONFIRM_CHOICE_REMOVE : RG_CONFIRM_CHOICE_KEEP;
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->radios[self->choice]), TRUE);
}

static void
rg_confirm_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  RgConfirmRow *self = RG_CONFIRM_ROW (object);

  switch (prop_id)
    {
    case PROP_FIELD: g_value_set_string (value, self->field); break;
    case PROP_TYPED: g_value_set_string (value, self->typed); break;
    case PROP_REASON: g_value_set_string (value, self->reason); break;
    case PROP_SUGGESTION: g_value_set_string (value, self->suggestion); break;
    case PROP_BLOCKED: g_value_set_boolean (value, self->blocked); break;
    case PROP_CHOICE: g_value_set_int (value, self->choice); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_confirm_row_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  RgConfirmRow *self = RG_CONFIRM_ROW (object);
  const char *suggestion;

  switch (prop_id)
    {
    case PROP_FIELD: self->field = g_value_dup_string (value); break;
    case PROP_TYPED: self->typed = g_value_dup_string (value); break;
    case PROP_REASON: self->reason = g_value_dup_string (value); break;
    case PROP_SUGGESTION:
      /* An empty suggestion is no suggestion: there is nothing to offer instead. */
      suggestion = g_value_get_string (value);
      self->suggestion = suggestion != NULL && suggestion[0] != '\0' ? g_strdup (suggestion)
                                                                     : NULL;
      break;
    case PROP_BLOCKED: self->blocked = g_value_get_boolean (value); break;
    case PROP_CHOICE: rg_confirm_row_set_choice (self, g_value_get_int (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_confirm_row_finalize (GObject *object)
{
  RgConfirmRow *self = RG_CONFIRM_ROW (object);

  g_free (self->field);
  g_free (self->typed);
  g_free (self->reason);
  g_free (self->suggestion);

  G_OBJECT_CLASS (rg_confirm_row_parent_class)->finalize (object);
}

static void
rg_confirm_row_class_init (RgConfirmRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY
                                | G_PARAM_STATIC_STRINGS;

  object_class->constructed = rg_confirm_row_constructed;
  object_class->get_property = rg_confirm_row_get_property;
  object_class->set_property = rg_confirm_row_set_property;
  object_class->finalize = rg_confirm_row_finalize;

  /* The translated header name: "To", "Cc" or "Bcc". */
  props[PROP_FIELD] = g_param_spec_string ("field", NULL, NULL, "", construct);
  /* The address as the user typed it. */
  props[PROP_TYPED] = g_param_spec_string ("typed", NULL, NULL, "", construct);
  /* A translated sentence: why the address was flagged. */
  props[PROP_REASON] = g_param_spec_string ("reason", NULL, NULL, "", construct);
  /* The corrected address, or NULL. */
  props[PROP_SUGGESTION] = g_param_spec_string ("suggestion", NULL, NULL, NULL, construct);
  /* Whether the policy forbids the typed address: then it cannot be kept. */
  props[PROP_BLOCKED] = g_param_spec_boolean ("blocked", NULL, NULL, FALSE, construct);
  /* An RgConfirmChoice that the row offers (see rg_confirm_row_offers_choice). */
  props[PROP_CHOICE] = g_param_spec_int ("choice", NULL, NULL,
                                         RG_CONFIRM_CHOICE_KEEP, RG_CONFIRM_CHOICE_REMOVE,
                                         RG_CONFIRM_CHOICE_KEEP,
                                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY
                                         | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /* Referring to the resource links its object file out of the static library; its
   * constructor registers the templates. */
  (void) rg_ui_get_resource ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/rcptguard/ui/rg-confirm-row.ui");
  gtk_widget_class_bind_template_child (widget_class, RgConfirmRow, field_label);
  gtk_widget_class_bind_template_child (widget_class, RgConfirmRow, address_label);
  gtk_widget_class_bind_template_child (widget_class, RgConfirmRow, reason_label);
  gtk_widget_class_bind_template_child (widget_class, RgConfirmRow, choice_box);
}

static void
rg_confirm_row_init (RgConfirmRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * rg_confirm_row_new:
 * @field: the translated header name ("To", "Cc", "Bcc"); NULL shows nothing
 * @typed: the address as typed (UTF-8, not NULL)
 * @reason: a translated sentence saying why the address was flagged; NULL shows nothing
 * @suggestion: (nullable): the corrected address; NULL or "" for none
 * @blocked: whether the policy forbids @typed
 *
 * Returns: (transfer floating): a row whose choice is CORRECT where there is a suggestion,
 * else KEEP (REMOVE when @blocked).  The strings are copied.
 */
GtkWidget *
rg_confirm_row_new (const char *field,
                    const char *typed,
                    const char *reason,
                    const char *suggestion,
                    gboolean    blocked)
{
  g_return_val_if_fail (typed != NULL, NULL);

  return g_object_new (RG_TYPE_CONFIRM_ROW,
                       "field", field != NULL ? field : "",
                       "typed", typed,
                       "reason", reason != NULL ? reason : "",
                       "suggestion", suggestion,
                       "blocked", blocked,
                       NULL);
}

/* Whether @choice is one of the row's radio buttons: a row without a suggestion cannot be
 * corrected, a blocked row cannot be kept, and only a blocked row can be removed. */
gboolean
rg_confirm_row_offers_choice (RgConfirmRow    *self,
                              RgConfirmChoice  choice)
{
  g_return_val_if_fail (RG_IS_CONFIRM_ROW (self), FALSE);

  return choice < N_CHOICES && self->radios[choice] != NULL;
}

RgConfirmChoice
rg_confirm_row_get_choice (RgConfirmRow *self)
{
  g_return_val_if_fail (RG_IS_CONFIRM_ROW (self), RG_CONFIRM_CHOICE_KEEP);

  return self->choice;
}

/* Selects @choice, which the row must offer; "choice" is notified when it changes. */
void
rg_confirm_row_set_choice (RgConfirmRow    *self,
                           RgConfirmChoice  choice)
{
  g_return_if_fail (RG_IS_CONFIRM_ROW (self));
  g_return_if_fail (rg_confirm_row_offers_choice (self, choice));

  /* The radio button's "toggled" handler records the choice and notifies. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->radios[choice]), TRUE);
}

/* Borrowed, lives as long as the row: for aligning the field column of all rows. */
GtkWidget *
rg_confirm_row_get_field_label (RgConfirmRow *self)
{
  g_return_val_if_fail (RG_IS_CONFIRM_ROW (self), NULL);

  return GTK_WIDGET (self->field_label);
}
