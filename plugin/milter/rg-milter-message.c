/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-milter-message.c - a message's envelope and confirmation header, and the decision at
 * its end (README, "rcptguard-milter", says what each verdict does).
 *
 * Every input here comes from the network through Postfix: sizes are capped where they are
 * kept (recipients at the core's limit, confirmation values at 64 KiB), and nothing is parsed
 * from a header but the confirmation.
 */
#define G_LOG_DOMAIN "rcptguard-milter"

#include "rg-milter-message.h"

#include <string.h>

#include "rg-finding-text.h"

struct _RgMilterMessage
{
  gboolean outgoing;
  char *sender;           /* lower case, no angle brackets; "" for the null sender */
  GPtrArray *recipients;  /* as given, no angle brackets */
  gboolean too_many;      /* more than RG_MILTER_MAX_RECIPIENTS */
  GHashTable *confirmed;  /* lower-case addresses named in the confirmation header */
  gsize confirmed_bytes;
  guint n_confirmed_headers;
};

RgMilterMessage *
rg_milter_message_new (void)
{
  RgMilterMessage *self = g_new0 (RgMilterMessage, 1);

  self->sender = g_strdup ("");
  self->recipients = g_ptr_array_new_with_free_func (g_free);
  self->confirmed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return self;
}

void
rg_milter_message_free (RgMilterMessage *self)
{
  if (self == NULL)
    return;
  g_free (self->sender);
  g_ptr_array_unref (self->recipients);
  g_hash_table_unref (self->confirmed);
  g_free (self);
}

void
rg_milter_message_reset (RgMilterMessage *self)
{
  g_free (self->sender);
  self->sender = g_strdup ("");
  g_ptr_array_set_size (self->recipients, 0);
  self->too_many = FALSE;
  g_hash_table_remove_all (self->confirmed);
  self->confirmed_bytes = 0;
  self->n_confirmed_headers = 0;
}

void
rg_milter_message_set_outgoing (RgMilterMessage *self,
                                gboolean         outgoing)
{
  self->outgoing = outgoing;
}

gboolean
rg_milter_message_get_outgoing (RgMilterMessage *self)
{
  return self->outgoing;
}

/* "<a@b>" -> "a@b"; " a@b " -> "a@b"; the text between the first '<' and the last '>' when
 * there are both. */
static char *
dup_bare_address (const char *arg)
{
  const char *start;
  const char *end;
  const char *open;
  const char *close;

  if (arg == NULL)
    return g_strdup ("");
  start = arg;
  end = arg + strlen (arg);
  open = strchr (arg, '<');
  close = strrchr (arg, '>');
  if (open != NULL && close != NULL && close > open)
    {
      start = open + 1;
      end = close;
    }
  while (start < end && g_ascii_isspace (*start))
    start++;
  while (end > start && g_ascii_isspace (end[-1]))
    end--;
  return g_strndup (start, (gsize) (end - start));
}

void
rg_milter_message_set_sender (RgMilterMessage *self,
                              const char      *arg)
{
  g_autofree char *bare = dup_bare_address (arg);

  g_free (self->sender);
  self->sender = g_ascii_strdown (bare, -1);
}

const char *
rg_milter_message_get_sender (RgMilterMessage *self)
{
  return self->sender;
}

void
rg_milter_message_add_recipient (RgMilterMessage *self,
                                 const char      *arg)
{
  if (self->recipients->len >= RG_MILTER_MAX_RECIPIENTS)
    {
      self->too_many = TRUE;
      return;
    }
  g_ptr_array_add (self->recipients, dup_bare_address (arg));
}

guint
rg_milter_message_get_n_recipients (RgMilterMessage *self)
{
  return self->recipients->len;
}

void
rg_milter_message_add_header (RgMilterMessage *self,
                              const char      *name,
                              const char      *value)
{
  g_auto (GStrv) parts = NULL;
  gsize len;

  if (name == NULL || g_ascii_strcasecmp (name, RG_MILTER_CONFIRMED_HEADER) != 0)
    return;
  /* Counted whatever its value: every occurrence is removed. */
  self->n_confirmed_headers++;
  if (value == NULL)
    return;
  len = strlen (value);
  if (len > RG_MILTER_MAX_CONFIRMED_BYTES - self->confirmed_bytes)
    return;
  self->confirmed_bytes += len;
  /* Folded lines arrive with their CR LF and white space: separators like the commas. */
  parts = g_strsplit_set (value, ",\r\n", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *bare = dup_bare_address (parts[i]);

      if (*bare != '\0' && strchr (bare, '@') != NULL)
        g_hash_table_add (self->confirmed, g_ascii_strdown (bare, -1));
    }
}

guint
rg_milter_message_get_n_confirmed_headers (RgMilterMessage *self)
{
  return self->n_confirmed_headers;
}

gboolean
rg_milter_message_is_confirmed (RgMilterMessage *self,
                                const char      *address)
{
  g_autofree char *lower = g_ascii_strdown (address, -1);

  return g_hash_table_contains (self->confirmed, lower);
}

void
rg_milter_verdict_clear (RgMilterVerdict *verdict)
{
  g_clear_pointer (&verdict->text, g_free);
  g_clear_pointer (&verdict->hold_reason, g_free);
  g_clear_pointer (&verdict->tag, g_free);
  g_clear_pointer (&verdict->remember, g_ptr_array_unref);
  g_clear_pointer (&verdict->learn, g_ptr_array_unref);
  g_clear_pointer (&verdict->report, rg_report_free);
  g_clear_pointer (&verdict->error_message, g_free);
  memset (verdict, 0, sizeof *verdict);
}

char *
rg_milter_dup_reply_text (const char *text,
                          gsize       max)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; p != NULL && *p != '\0';)
    {
      gunichar c = g_utf8_get_char_validated (p, -1);
      const char *ascii = "?";
      char one[2] = { 0, 0 };

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          p++;
        }
      else
        {
          p = g_utf8_next_char (p);
          if (c == 0x201c || c == 0x201d || c == 0x00ab || c == 0x00bb)
            ascii = "\"";
          else if (c == 0x2018 || c == 0x2019)
            ascii = "'";
          else if (c == 0x2014 || c == 0x2013)
            ascii = "-";
          else if (c == '%')
            ascii = "%%";
          else if (c >= 0x20 && c < 0x7f)
            {
              one[0] = (char) c;
              ascii = one;
            }
        }
      if (out->len + strlen (ascii) > max)
        break;
      g_string_append (out, ascii);
    }
  return g_string_free (out, FALSE);
}

static void
add_learned (RgMilterVerdict *out,
             const rg_report *report)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  out->learn = g_ptr_array_new_with_free_func (g_free);
  for (gsize i = 0; report != NULL && i < rg_report_get_n_findings (report); i++)
    {
      const char *domain = rg_finding_get_domain_ascii (rg_report_get_finding (report, i));

      if (*domain == '\0' || *domain == '[' || g_hash_table_contains (seen, domain))
        continue;
      g_hash_table_add (seen, (gpointer) domain);
      g_ptr_array_add (out->learn, g_ascii_strdown (domain, -1));
    }
}

/* "ops@army.ml: army.ml is one letter away from army.mil ...": the first finding, and how
 * many more there are. */
static char *
dup_finding_sentence (const rg_finding *finding)
{
  g_autofree char *description = rg_finding_dup_description (finding, TRUE);

  return g_strdup_printf ("%s: %s.", rg_finding_get_address (finding), description);
}

static void
set_reply (RgMilterVerdict *out,
           RgMilterAction   action,
           const char      *rcode,
           const char      *xcode,
           const char      *text)
{
  out->action = action;
  out->rcode = rcode;
  out->xcode = xcode;
  out->text = rg_milter_dup_reply_text (text, RG_MILTER_MAX_REPLY_TEXT);
}

static void
decide_failed (const RgMilterConfig *config,
               const char           *why,
               RgMilterMessage      *self,
               RgMilterVerdict      *out)
{
  g_autofree char *text = NULL;

  out->log = TRUE;
  out->decision = RG_DECISION_CHECK_FAILED;
  out->error_message = g_strdup (why);
  switch (config->on_error)
    {
    case RG_ON_ERROR_ALLOW:
      out->action = RG_MILTER_ACCEPT;
      out->log_action = "on-error-allow";
      out->learn = g_ptr_array_new_with_free_func (g_free);
      break;
    case RG_ON_ERROR_BLOCK:
      text = g_strdup_printf ("The recipients could not be checked (%s); the policy does not "
                              "send unchecked mail.", why);
      set_reply (out, RG_MILTER_REJECT, "550", "5.7.1", text);
      out->log_action = "on-error-block";
      break;
    case RG_ON_ERROR_WARN:
    default:
      text = g_strdup_printf ("The recipients could not be checked (%s); try again later.",
                              why);
      set_reply (out, RG_MILTER_TEMPFAIL, "451", "4.7.1", text);
      out->log_action = "on-error-tempfail";
      break;
    }
}

void
rg_milter_message_decide (RgMilterMessage        *self,
                          const rg_checker       *checker,
                          const RgMilterConfig   *config,
                          RgMilterRememberedFunc  remembered,
                          gpointer                remembered_data,
                          RgMilterVerdict        *out)
{
  g_autoptr (GPtrArray) blocked = g_ptr_array_new ();   /* of rg_finding */
  g_autoptr (GPtrArray) warned = g_ptr_array_new ();    /* unconfirmed */
  gboolean header_confirmed = FALSE;
  rg_status status;

  memset (out, 0, sizeof *out);
  out->action = RG_MILTER_ACCEPT;

  /* Mail that is not the organisation's passes unchecked and teaches nothing. */
  if (!self->outgoing || self->recipients->len == 0)
    return;
  if (self->too_many)
    {
      g_autofree char *why = g_strdup_printf ("more than %u recipients",
                                              RG_MILTER_MAX_RECIPIENTS);

      decide_failed (config, why, self, out);
      return;
    }
  if (checker == NULL)
    {
      decide_failed (config, "the known domains are not loaded", self, out);
      return;
    }
  status = rg_checker_check (checker, (const char *const *) self->recipients->pdata,
                             self->recipients->len, &out->report);
  if (status != RG_OK)
    {
      decide_failed (config, rg_strerror (status), self, out);
      return;
    }

  for (gsize i = 0; i < rg_report_get_n_findings (out->report); i++)
    {
      const rg_finding *finding = rg_report_get_finding (out->report, i);
      gsize index = rg_finding_get_list_index (finding);
      const char *recipient = index < self->recipients->len
                              ? g_ptr_array_index (self->recipients, index)
                              : rg_finding_get_address (finding);

      switch (rg_finding_get_verdict (finding))
        {
        case RG_VERDICT_BLOCK:
          g_ptr_array_add (blocked, (gpointer) finding);
          break;
        case RG_VERDICT_WARN:
          if (config->accept_confirmations && rg_milter_message_is_confirmed (self, recipient))
            header_confirmed = TRUE;
          else
            g_ptr_array_add (warned, (gpointer) finding);
          break;
        default:
          break;
        }
    }

  if (blocked->len > 0)
    {
      g_autofree char *sentence = dup_finding_sentence (g_ptr_array_index (blocked, 0));
      g_autofree char *text = NULL;

      text = blocked->len > 1
             ? g_strdup_printf ("%s (And %u more recipients are blocked.) The message was not "
                                "sent.", sentence, blocked->len - 1)
             : g_strdup_printf ("%s The message was not sent.", sentence);
      set_reply (out, RG_MILTER_REJECT, "550", "5.7.1", text);
      out->log = TRUE;
      out->decision = RG_DECISION_BLOCKED;
      out->log_action = "blocked";
      return;
    }

  if (warned->len > 0)
    {
      const rg_finding *first = g_ptr_array_index (warned, 0);
      g_autofree char *sentence = dup_finding_sentence (first);
      const char *suggestion = rg_finding_get_suggestion (first);
      g_autoptr (GString) text = g_string_new (sentence);
      g_autoptr (GString) tag = NULL;
      gboolean all_remembered = TRUE;

      out->log = TRUE;
      switch (config->warn_action)
        {
        case RG_WARN_ACTION_REJECT_ONCE:
          out->remember = g_ptr_array_new_with_free_func (g_free);
          for (guint i = 0; i < warned->len; i++)
            {
              const rg_finding *finding = g_ptr_array_index (warned, i);
              g_autofree char *lower = g_ascii_strdown (rg_finding_get_address (finding), -1);

              if (remembered == NULL || !remembered (self->sender, lower, remembered_data))
                all_remembered = FALSE;
              g_ptr_array_add (out->remember, g_steal_pointer (&lower));
            }
          if (all_remembered)
            {
              /* The sender was told and sent again: confirmed.  The pairs stay remembered
               * until they expire (a second resend passes too). */
              g_clear_pointer (&out->remember, g_ptr_array_unref);
              out->decision = RG_DECISION_SENT_ANYWAY;
              out->log_action = "resent";
              add_learned (out, out->report);
              return;
            }
          if (suggestion != NULL)
            g_string_append_printf (text, " Did you mean %s?",
                                    suggestion);
          if (warned->len > 1)
            g_string_append_printf (text, " (%u more recipients look like slips.)",
                                    warned->len - 1);
          g_string_append_printf (text, " If the address is right, send the same message "
                                  "again within %u hours: that confirms it.",
                                  config->reject_once_hours);
          set_reply (out, RG_MILTER_REJECT, "550", "5.1.0", text->str);
          out->decision = RG_DECISION_EDITED;
          out->log_action = "reject-once";
          return;
        case RG_WARN_ACTION_HOLD:
          out->action = RG_MILTER_HOLD;
          out->hold_reason = rg_milter_dup_reply_text (sentence, RG_MILTER_MAX_REPLY_TEXT);
          out->decision = RG_DECISION_EDITED;
          out->log_action = "hold";
          return;
        case RG_WARN_ACTION_TAG:
          tag = g_string_new (NULL);
          for (guint i = 0; i < warned->len; i++)
            {
              const rg_finding *finding = g_ptr_array_index (warned, i);
              const char *s = rg_finding_get_suggestion (finding);

              if (i > 0)
                g_string_append (tag, ", ");
              /* A header line has its limits too: the first 50 are named. */
              if (i == 50)
                {
                  g_string_append_printf (tag, "and %u more", warned->len - i);
                  break;
                }
              g_string_append_printf (tag, "warn %s", rg_finding_get_address (finding));
              if (s != NULL)
                g_string_append_printf (tag, "; suggested %s", s);
            }
          out->tag = rg_milter_dup_reply_text (tag->str, 8 * 1024);
          out->decision = RG_DECISION_SENT_ANYWAY;
          out->log_action = "tag";
          add_learned (out, out->report);
          return;
        case RG_WARN_ACTION_ACCEPT:
        default:
          out->decision = RG_DECISION_SENT_ANYWAY;
          out->log_action = "accept";
          add_learned (out, out->report);
          return;
        }
    }

  if (header_confirmed)
    {
      out->log = TRUE;
      out->decision = RG_DECISION_SENT_ANYWAY;
      out->log_action = "confirmed-header";
    }
  add_learned (out, out->report);
}
