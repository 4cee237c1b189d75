/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "rcptguard"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rg-autoptr.h"
#include "rg-composer-extension.h"
#include "rg-confirm-dialog.h"
#include "rg-confirmed-header.h"
#include "rg-decision-record.h"
#include "rg-finding-text.h"
#include "rg-recipients.h"
#include "rg-settings.h"
#include "rg-shell-extension.h"

struct _RgComposerExtension
{
  EExtension parent_instance;

  /* The user confirmed a send ("corrected" or "sent-anyway"), but the message may still not
   * leave: building it can fail or be cancelled (a passphrase to sign it), and a module
   * loaded after this one may stop it.  The decision, the row outcomes and the domains to
   * trust take effect when the message really leaves (the "send" or "save-to-outbox"
   * signal), and are forgotten at the next presend. */
  rg_report *pending_report;
  RgDecision pending_decision;
  gboolean pending_locked;
  /* Of RgOutcome, one per row of the dialog (flagged finding); NULL after "Send Anyway". */
  GArray *pending_outcomes;
  /* Of char *: the domains the user chose to "Always allow". */
  GPtrArray *pending_trust;
};

G_DEFINE_DYNAMIC_TYPE (RgComposerExtension, rg_composer_extension, E_TYPE_EXTENSION)

static EMsgComposer *
get_composer (RgComposerExtension *self)
{
  return E_MSG_COMPOSER (e_extension_get_extensible (E_EXTENSION (self)));
}

/* The check failed as a whole: never a silent pass.  The on-error policy decides: "allow"
 * sends, "warn" (the default) asks with going back as the default, "block" refuses. */
static gboolean
decide_after_failure (EMsgComposer *composer,
                      RgGuard      *guard,
                      const GError *error)
{
  RgOnError on_error = guard != NULL ? rg_guard_get_on_error (guard) : RG_ON_ERROR_WARN;
  GtkWidget *dialog;
  int response;

  g_warning ("Recipient Guard could not check the recipients: %s", error->message);
  if (on_error == RG_ON_ERROR_ALLOW)
    return TRUE;

  /* The technical reason, in English, goes behind the dialog's "Details". */
  if (on_error == RG_ON_ERROR_BLOCK)
    dialog = rg_confirm_dialog_new_refused (GTK_WINDOW (composer), error->message,
                                            rg_guard_get_on_error_locked (guard));
  else
    dialog = rg_confirm_dialog_new_failed (GTK_WINDOW (composer), error->message);
  response = gtk_dialog_run (GTK_DIALOG (dialog));
  gtk_widget_destroy (dialog);

  return on_error == RG_ON_ERROR_WARN && response == RG_CONFIRM_RESPONSE_ANYWAY;
}

typedef void (*SetDestinationsFunc) (EComposerHeaderTable *table, EDestination **dests);

/* The composer copies what it is given. */
static void
set_field (EComposerHeaderTable *table,
           RgRecipients         *recipients,
           RgField               field,
           SetDestinationsFunc   set)
{
  EDestination **dests = rg_recipients_dup_field (recipients, field);

  set (table, dests);
  e_destination_freev (dests);
}

/* Whether @key of @settings is locked by the administrator; FALSE without settings or key. */
static gboolean
is_key_locked (GSettings  *settings,
               const char *key)
{
  return settings != NULL && key != NULL && !g_settings_is_writable (settings, key);
}

/* What became of a row the user answered with "Send _Corrected". */
static RgOutcome
outcome_of_choice (RgConfirmChoice choice)
{
  switch (choice)
    {
    case RG_CONFIRM_CHOICE_CORRECT: return RG_OUTCOME_USED_SUGGESTION;
    case RG_CONFIRM_CHOICE_REMOVE: return RG_OUTCOME_REMOVED;
    case RG_CONFIRM_CHOICE_TRUST: return RG_OUTCOME_TRUSTED;
    case RG_CONFIRM_CHOICE_KEEP:
    default: return RG_OUTCOME_KEPT;
    }
}

/* Shows the flagged recipients and applies the user's choices.  Returns the answer; after
 * "Send _Corrected", @outcomes (of RgOutcome) gets one entry per row, in the report's order,
 * and @trust the domains to add to the trusted ones.  @settings: the user's, or NULL. */
static RgConfirmResponse
ask (EMsgComposer     *composer,
     RgRecipients     *recipients,
     const rg_report  *report,
     gboolean          allow_override,
     GSettings        *settings,
     GArray           *outcomes,
     GPtrArray        *trust)
{
  EComposerHeaderTable *table = e_msg_composer_get_header_table (composer);
  /* The finding behind each row of the dialog (notices get no row). */
  g_autoptr (GPtrArray) rows = g_ptr_array_new ();
  RgConfirmDialog *dialog;
  gsize n_recipients = 0;
  int response;

  (void) rg_recipients_get_lists (recipients, &n_recipients);
  dialog = RG_CONFIRM_DIALOG (rg_confirm_dialog_new (GTK_WINDOW (composer)));
  rg_confirm_dialog_set_allow_override (dialog, allow_override);
  rg_confirm_dialog_set_n_recipients (dialog, n_recipients);
  /* "Always allow" writes the user's trusted domains: not when they are the administrator's. */
  rg_confirm_dialog_set_can_trust (dialog, settings != NULL
                                           && !is_key_locked (settings, "trusted-domains"));
  rg_confirm_dialog_set_block_locked (dialog, is_key_locked (settings, "block-domains"));
  for (gsize i = 0; i < rg_report_get_n_findings (report); i++)
    {
      const rg_finding *finding = rg_report_get_finding (report, i);
      gsize index = rg_finding_get_list_index (finding);
      RgField field = rg_recipients_get_field (recipients, index);
      gboolean policy_locked = is_key_locked (settings, rg_finding_get_policy_key (finding));
      const char *domain = rg_finding_get_domain (finding);
      g_autofree char *reason = NULL;

      if (rg_finding_get_verdict (finding) < RG_VERDICT_WARN)
        continue;
      /* "Always allow" only for what the trusted list can hold: a domain someone can own, not
       * an address that is none ("not a domain!") or a public suffix. */
      if (domain != NULL && rg_domain_entry_check (RG_DOMAIN_ENTRY_KNOWN, domain) != RG_OK)
        domain = NULL;
      reason = rg_finding_dup_description (finding, policy_locked);
      rg_confirm_dialog_add_row (dialog, rg_field_get_label (field),
                                 rg_recipients_get_name (recipients, index),
                                 rg_finding_get_address (finding), domain, reason,
                                 rg_finding_get_suggestion (finding),
                                 rg_finding_get_verdict (finding) == RG_VERDICT_BLOCK);
      g_ptr_array_add (rows, (gpointer) finding);
    }

  response = gtk_dialog_run (GTK_DIALOG (dialog));
  g_debug ("presend: the user answered %d", response);

  if (response == RG_CONFIRM_RESPONSE_CORRECTED)
    {
      for (guint row = 0; row < rows->len; row++)
        {
          const rg_finding *finding = g_ptr_array_index (rows, row);
          gsize index = rg_finding_get_list_index (finding);
          RgConfirmChoice choice = rg_confirm_dialog_get_choice (dialog, row);
          RgOutcome outcome = outcome_of_choice (choice);

          if (choice == RG_CONFIRM_CHOICE_CORRECT)
            rg_recipients_correct (recipients, index, rg_finding_get_suggestion (finding));
          else if (choice == RG_CONFIRM_CHOICE_REMOVE)
            rg_recipients_remove (recipients, index);
          else if (choice == RG_CONFIRM_CHOICE_TRUST)
            g_ptr_array_add (trust, g_strdup (rg_finding_get_domain (finding)));
          g_array_append_val (outcomes, outcome);
        }
      set_field (table, recipients, RG_FIELD_TO, e_composer_header_table_set_destinations_to);
      set_field (table, recipients, RG_FIELD_CC, e_composer_header_table_set_destinations_cc);
      set_field (table, recipients, RG_FIELD_BCC, e_composer_header_table_set_destinations_bcc);
    }
  gtk_widget_destroy (GTK_WIDGET (dialog));

  if (response != RG_CONFIRM_RESPONSE_CORRECTED && response != RG_CONFIRM_RESPONSE_ANYWAY)
    return RG_CONFIRM_RESPONSE_EDIT;
  return response;
}

/* Whether the administrator locked the policy that decided (rg_decision_policy_key ()):
 * the block list for a block, the warn list when it asked, on-error for a failed check; a
 * slip is nobody's policy. */
static gboolean
is_policy_locked (RgGuard         *guard,
                  const rg_report *report)
{
  GSettings *settings = guard != NULL ? rg_guard_get_settings (guard) : NULL;

  return is_key_locked (settings, rg_decision_policy_key (report));
}

/* @outcomes (nullable): one per flagged finding of @report, see rg_decision_log_record (). */
static void
record (EMsgComposer    *composer,
        RgDecision       decision,
        const rg_report *report,
        const GArray    *outcomes,
        const char      *error_message,
        gboolean         locked)
{
  EComposerHeaderTable *table = e_msg_composer_get_header_table (composer);
  RgDecisionLog *log = rg_shell_extension_get_log (e_msg_composer_get_shell (composer));

  g_debug ("decision: %s", rg_decision_to_string (decision));
  if (log != NULL)
    rg_decision_log_record (log, decision, e_composer_header_table_get_from_address (table),
                            report, outcomes != NULL ? (const RgOutcome *) outcomes->data : NULL,
                            outcomes != NULL ? outcomes->len : 0, error_message, locked,
                            NULL, NULL);
}

/* "Always allow DOMAIN": adds each of @domains to the user's trusted domains, once, so that
 * the next message to it is not asked about.  Skipped if the administrator has locked the
 * list since the dialog offered it. */
static void
trust_domains (RgGuard   *guard,
               GPtrArray *domains)
{
  GSettings *settings = guard != NULL ? rg_guard_get_settings (guard) : NULL;
  g_auto (GStrv) trusted = NULL;
  g_autoptr (GStrvBuilder) builder = NULL;
  g_auto (GStrv) updated = NULL;
  gboolean changed = FALSE;

  if (domains->len == 0 || settings == NULL)
    return;
  if (is_key_locked (settings, "trusted-domains"))
    {
      g_debug ("trusted-domains is locked: not adding the domains the user allowed");
      return;
    }

  trusted = g_settings_get_strv (settings, "trusted-domains");
  builder = g_strv_builder_new ();
  g_strv_builder_addv (builder, (const char **) trusted);
  for (guint i = 0; i < domains->len; i++)
    {
      const char *domain = g_ptr_array_index (domains, i);

      if (g_strv_contains ((const char *const *) trusted, domain))
        continue;
      g_strv_builder_add (builder, domain);
      changed = TRUE;
      g_debug ("always allow %s: added to trusted-domains", domain);
    }
  if (!changed)
    return;
  updated = g_strv_builder_end (builder);
  if (!g_settings_set_strv (settings, "trusted-domains", (const char *const *) updated))
    g_warning ("Recipient Guard could not add to the trusted domains");
}

/* "server-guard": the organisation's rcptguard-milter is told which recipients the user
 * confirmed (rg-confirmed-header.h).  The composer adds its extra headers when it builds the
 * message, after every presend handler (composer_build_message (), Evolution 3.46): what is set
 * here is what leaves, in the sent message and in its copy in Sent.  @outcomes: NULL after
 * "Send Anyway". */
static void
set_confirmed_header (EMsgComposer    *composer,
                      RgGuard         *guard,
                      const rg_report *report,
                      const GArray    *outcomes)
{
  g_autofree char *value = NULL;

  if (guard == NULL || !rg_guard_get_server_guard (guard))
    return;
  value = rg_confirmed_header_dup_value (report,
                                         outcomes != NULL ? (const RgOutcome *) outcomes->data
                                                          : NULL,
                                         outcomes != NULL ? outcomes->len : 0);
  if (value == NULL)
    return;
  g_debug ("presend: %s: %s", RG_CONFIRMED_HEADER, value);
  e_msg_composer_set_header (composer, RG_CONFIRMED_HEADER, value);
}

static void
clear_pending (RgComposerExtension *self)
{
  g_clear_pointer (&self->pending_report, rg_report_free);
  g_clear_pointer (&self->pending_outcomes, g_array_unref);
  g_clear_pointer (&self->pending_trust, g_ptr_array_unref);
}

static void
on_sent (EMsgComposer        *composer,
         CamelMimeMessage    *message,
         EActivity           *activity,
         RgComposerExtension *self)
{
  if (self->pending_report == NULL)
    return;
  if (self->pending_trust != NULL)
    trust_domains (rg_shell_extension_get_guard (e_msg_composer_get_shell (composer)),
                   self->pending_trust);
  record (composer, self->pending_decision, self->pending_report, self->pending_outcomes, NULL,
          self->pending_locked);
  clear_pending (self);
}

static gboolean
on_presend (EMsgComposer        *composer,
            RgComposerExtension *self)
{
  EComposerHeaderTable *table = e_msg_composer_get_header_table (composer);
  RgGuard *guard = rg_shell_extension_get_guard (e_msg_composer_get_shell (composer));
  g_autoptr (RgRecipients) recipients = NULL;
  g_autoptr (rg_report) report = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) outcomes = NULL;
  g_autoptr (GPtrArray) trust = NULL;
  const char *const *lists;
  gint64 start = g_get_monotonic_time ();
  RgConfirmResponse response;
  RgScope scope;
  gboolean send;
  gsize n;

  /* A send confirmed earlier that did not leave is not recorded: this Send decides anew, and
   * the recipients it confirmed are not confirmed for this one (nor is a header the message
   * came with, from a draft or someone else's hand). */
  clear_pending (self);
  e_msg_composer_remove_header (composer, RG_CONFIRMED_HEADER);

  /* Checking turned off in the settings, by the user or the administrator: no check and no
   * policy, as the key's description promises, except a block list the administrator locked,
   * which is policy and still applies (the dialog then shows the blocked rows alone). */
  scope = guard != NULL ? rg_guard_get_scope (guard) : RG_SCOPE_ALL;
  if (scope == RG_SCOPE_OFF)
    {
      g_debug ("presend: checking is turned off");
      return TRUE;
    }

  recipients = rg_recipients_new (e_composer_header_table_get_destinations_to (table),
                                  e_composer_header_table_get_destinations_cc (table),
                                  e_composer_header_table_get_destinations_bcc (table));
  lists = rg_recipients_get_lists (recipients, &n);
  /* Evolution's own recipient checks ran before this handler (see README, "In Evolution") and
   * stopped a message without recipients; none here means nothing to check. */
  if (n == 0)
    return TRUE;

  if (guard == NULL)
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                         "the shell extension is missing");
  else
    report = rg_guard_check (guard, scope, lists, n, &error);
  g_debug ("presend: %" G_GSIZE_FORMAT " recipients checked in %.2f ms", n,
           (g_get_monotonic_time () - start) / 1000.0);

  if (report == NULL)
    {
      /* Recorded whatever the policy then decides: a failed check is never silent. */
      send = decide_after_failure (composer, guard, error);
      record (composer, RG_DECISION_CHECK_FAILED, NULL, NULL, error->message,
              is_policy_locked (guard, NULL));
      return send;
    }
  if (rg_report_get_verdict (report) < RG_VERDICT_WARN)
    return TRUE;

  outcomes = g_array_new (FALSE, FALSE, sizeof (RgOutcome));
  trust = g_ptr_array_new_with_free_func (g_free);
  response = ask (composer, recipients, report, rg_guard_get_allow_block_override (guard),
                  rg_guard_get_settings (guard), outcomes, trust);
  if (response == RG_CONFIRM_RESPONSE_EDIT)
    {
      record (composer,
              rg_report_get_verdict (report) == RG_VERDICT_BLOCK ? RG_DECISION_BLOCKED
                                                                 : RG_DECISION_EDITED,
              report, NULL, NULL, is_policy_locked (guard, report));
      return FALSE;
    }
  self->pending_decision = response == RG_CONFIRM_RESPONSE_CORRECTED
                             ? RG_DECISION_CORRECTED : RG_DECISION_SENT_ANYWAY;
  self->pending_locked = is_policy_locked (guard, report);
  self->pending_report = g_steal_pointer (&report);
  /* "Send _Anyway" keeps every row: the log records them "kept" without a list. */
  if (response == RG_CONFIRM_RESPONSE_CORRECTED)
    {
      self->pending_outcomes = g_steal_pointer (&outcomes);
      self->pending_trust = g_steal_pointer (&trust);
    }
  set_confirmed_header (composer, guard, self->pending_report, self->pending_outcomes);
  return TRUE;
}

static void
rg_composer_extension_finalize (GObject *object)
{
  RgComposerExtension *self = RG_COMPOSER_EXTENSION (object);

  clear_pending (self);

  G_OBJECT_CLASS (rg_composer_extension_parent_class)->finalize (object);
}

static void
rg_composer_extension_constructed (GObject *object)
{
  RgComposerExtension *self = RG_COMPOSER_EXTENSION (object);

  G_OBJECT_CLASS (rg_composer_extension_parent_class)->constructed (object);

  /* The composer owns us: the handler cannot outlive either. */
  g_signal_connect (get_composer (self), "presend", G_CALLBACK (on_presend), self);
  g_signal_connect (get_composer (self), "send", G_CALLBACK (on_sent), self);
  g_signal_connect (get_composer (self), "save-to-outbox", G_CALLBACK (on_sent), self);
}

static void
rg_composer_extension_class_init (RgComposerExtensionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  EExtensionClass *extension_class = E_EXTENSION_CLASS (klass);

  object_class->constructed = rg_composer_extension_constructed;
  object_class->finalize = rg_composer_extension_finalize;
  extension_class->extensible_type = E_TYPE_MSG_COMPOSER;
}

static void
rg_composer_extension_class_finalize (RgComposerExtensionClass *klass)
{
}

static void
rg_composer_extension_init (RgComposerExtension *self)
{
}

void
rg_composer_extension_type_register (GTypeModule *type_module)
{
  if (rg_composer_extension_get_type () == 0 && g_type_from_name ("RgComposerExtension") != 0)
    return;
  rg_composer_extension_register_type (type_module);
}
