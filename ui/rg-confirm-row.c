/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "rcptguard"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rg-confirm-row.h"
#include "rg-ui-resources.h"

#define N_CHOICES (RG_CONFIRM_CHOICE_TRUST + 1)

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
  char *name;
  char *address;
  char *domain;
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
  PROP_NAME,
  PROP_ADDRESS,
  PROP_DOMAIN,
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

/* "Always allow DOMAIN", the last choice of the row, which the dialog adds and takes away
 * (rg_confirm_row_set_can_trust). */
static void
add_trust_choice (RgConfirmRow *self)
{
  g_autofree char *markup = NULL;
  g_autofree char *name = NULL;

  /* Translators: a choice for one recipient: send to it as it is, and never ask about its
   * domain again (it is added to the trusted domains); %s is the domain, e.g. "army.ml". */
  markup = g_markup_printf_escaped (C_("recipient choice", "Always allow %s"), self->domain);
  /* Translators: the screen reader's name of the choice "Always allow <domain>"; the first %s
   * is the address, the second its domain. */
  name = g_strdup_printf (C_("recipient choice", "Keep %s and always allow %s"),
                          self->address, self->domain);
  add_choice (self, RG_CONFIRM_CHOICE_TRUST, markup, self->domain, name);
}

/* The recipient as a person reads it: "Name <address>", the address in bold, which is what
 * the row is about; the bare address when there is no name. */
static void
show_recipient (RgConfirmRow *self)
{
  g_autofree char *markup = NULL;
  g_autofree char *text = NULL;

  /* A name that only repeats the address (some clients write one) says nothing more. */
  if (self->name != NULL && g_ascii_strcasecmp (self->name, self->address) != 0)
    {
      markup = g_markup_printf_escaped ("%s &lt;<b>%s</b>&gt;", self->name, self->address);
      text = g_strdup_printf ("%s <%s>", self->name, self->address);
    }
  else
    {
      markup = g_markup_printf_escaped ("<b>%s</b>", self->address);
      text = g_strdup (self->address);
    }
  gtk_label_set_markup (self->address_label, markup);
  set_wrap_if_long (self->address_label, text);
}

static void
rg_confirm_row_constructed (GObject *object)
{
  RgConfirmRow *self = RG_CONFIRM_ROW (object);
  g_autofree char *markup = NULL;
  g_autofree char *name = NULL;

  G_OBJECT_CLASS (rg_confirm_row_parent_class)->constructed (object);

  gtk_label_set_text (self->field_label, self->field);
  show_recipient (self);
  gtk_label_set_text (self->reason_label, self->reason);

  if (self->suggestion != NULL)
    {
      /* Translators: a choice for one recipient; %s is the suggested address. */
      markup = g_markup_printf_escaped (C_("recipient choice", "Use <b>%s</b>"),
                                        self->suggestion);
      /* Translators: the screen reader's name of the choice "Use <address>"; the first %s is
       * the suggested address, the second the address in the message. */
      name = g_strdup_printf (C_("recipient choice", "Use %s instead of %s"),
                              self->suggestion, self->address);
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
      name = g_strdup_printf (C_("recipient choice", "Remove %s"), self->address);
      add_choice (self, RG_CONFIRM_CHOICE_REMOVE, markup, NULL, name);
    }
  else
    {
      /* Translators: a choice for one recipient: send to the address as it is in the
       * message (typed, or taken from the message replied to). */
      markup = g_markup_escape_text (C_("recipient choice", "Keep this address"), -1);
      /* Translators: the screen reader's name of the choice "Keep this address"; %s is the
       * address. */
      name = g_strdup_printf (C_("recipient choice", "Keep %s"), self->address);
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
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_ADDRESS: g_value_set_string (value, self->address); break;
    case PROP_DOMAIN: g_value_set_string (value, self->domain); break;
    case PROP_REASON: g_value_set_string (value, self->reason); break;
    case PROP_SUGGESTION: g_value_set_string (value, self->suggestion); break;
    case PROP_BLOCKED: g_value_set_boolean (value, self->blocked); break;
    case PROP_CHOICE: g_value_set_int (value, self->choice); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* An empty name, domain or suggestion is none: there is nothing to show or offer. */
static char *
dup_nonempty (const GValue *value)
{
  const char *text = g_value_get_string (value);

  return text != NULL && text[0] != '\0' ? g_strdup (text) : NULL;
}

static void
rg_confirm_row_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  RgConfirmRow *self = RG_CONFIRM_ROW (object);

  switch (prop_id)
    {
    case PROP_FIELD: self->field = g_value_dup_string (value); break;
    case PROP_NAME: self->name = dup_nonempty (value); break;
    case PROP_ADDRESS: self->address = g_value_dup_string (value); break;
    case PROP_DOMAIN: self->domain = dup_nonempty (value); break;
    case PROP_REASON: self->reason = g_value_dup_string (value); break;
    case PROP_SUGGESTION: self->suggestion = dup_nonempty (value); break;
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
  g_free (self->name);
  g_free (self->address);
  g_free (self->domain);
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
  /* The recipient's display name, or NULL. */
  props[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, construct);
  /* The address as it is in the message. */
  props[PROP_ADDRESS] = g_param_spec_string ("address", NULL, NULL, "", construct);
  /* The address's domain as the check saw it, which "Always allow" trusts; or NULL. */
  props[PROP_DOMAIN] = g_param_spec_string ("domain", NULL, NULL, NULL, construct);
  /* A translated sentence: why the address was flagged. */
  props[PROP_REASON] = g_param_spec_string ("reason", NULL, NULL, "", construct);
  /* The corrected address, or NULL. */
  props[PROP_SUGGESTION] = g_param_spec_string ("suggestion", NULL, NULL, NULL, construct);
  /* Whether the policy forbids the address: then it cannot be kept. */
  props[PROP_BLOCKED] = g_param_spec_boolean ("blocked", NULL, NULL, FALSE, construct);
  /* An RgConfirmChoice that the row offers (see rg_confirm_row_offers_choice). */
  props[PROP_CHOICE] = g_param_spec_int ("choice", NULL, NULL,
                                         RG_CONFIRM_CHOICE_KEEP, RG_CONFIRM_CHOICE_TRUST,
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
 * @name: (nullable): the recipient's display name; NULL or "" for none
 * @address: the address as it is in the message (UTF-8, not NULL)
 * @domain: (nullable): its domain as the check saw it, for "Always allow"; NULL: never offered
 * @reason: a translated sentence saying why the address was flagged; NULL shows nothing
 * @suggestion: (nullable): the corrected address; NULL or "" for none
 * @blocked: whether the policy forbids @address
 *
 * Returns: (transfer floating): a row whose choice is CORRECT where there is a suggestion,
 * else KEEP (REMOVE when @blocked).  "Always allow" is not offered until
 * rg_confirm_row_set_can_trust().  The strings are copied.
 */
GtkWidget *
rg_confirm_row_new (const char *field,
                    const char *name,
                    const char *address,
                    const char *domain,
                    const char *reason,
                    const char *suggestion,
                    gboolean    blocked)
{
  g_return_val_if_fail (address != NULL, NULL);

  return g_object_new (RG_TYPE_CONFIRM_ROW,
                       "field", field != NULL ? field : "",
                       "name", name,
                       "address", address,
                       "domain", domain,
                       "reason", reason != NULL ? reason : "",
                       "suggestion", suggestion,
                       "blocked", blocked,
                       NULL);
}

/* Whether @choice is one of the row's radio buttons: a row without a suggestion cannot be
 * corrected, a blocked row cannot be kept or trusted, only a blocked row can be removed, and
 * "Always allow" needs a domain and rg_confirm_row_set_can_trust(). */
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

/* Offers "Always allow DOMAIN" or takes it away (a row that has no domain or is blocked never
 * offers it).  Taken away while chosen, the choice falls back to KEEP. */
void
rg_confirm_row_set_can_trust (RgConfirmRow *self,
                              gboolean      can_trust)
{
  g_return_if_fail (RG_IS_CONFIRM_ROW (self));

  if (self->blocked || self->domain == NULL)
    return;
  if (can_trust && self->radios[RG_CONFIRM_CHOICE_TRUST] == NULL)
    add_trust_choice (self);
  else if (!can_trust && self->radios[RG_CONFIRM_CHOICE_TRUST] != NULL)
    {
      if (self->choice == RG_CONFIRM_CHOICE_TRUST)
        rg_confirm_row_set_choice (self, RG_CONFIRM_CHOICE_KEEP);
      gtk_widget_destroy (self->radios[RG_CONFIRM_CHOICE_TRUST]);
      self->radios[RG_CONFIRM_CHOICE_TRUST] = NULL;
    }
}
