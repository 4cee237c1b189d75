/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-decision-record.c - one decision at Send as a record of the decision log.
 *
 * The record names domains, verdicts, reason codes, scores and suggestions, which is what an
 * administrator needs after an incident; the local parts ("ops" in ops@army.ml) name people,
 * so they follow the setting log-local-parts.  Nothing of the message (subject, body,
 * display names) is ever given to this file, so nothing of it can end up in a record.
 */
#define G_LOG_DOMAIN "rcptguard"

#include "rg-decision-record.h"

#include <string.h>

#include "rg-hmac-key.h"

/* The version of the record's shape ("v"): a reader can tell records it does not know.
 * 2 added each recipient's "outcome"; a reader takes version 1 as well. */
#define RG_DECISION_RECORD_VERSION 2

/* Each string taken from outside is cut to this many bytes, so that a recipient's entry has
 * a known bound: a normalised domain is at most 253 octets in ASCII and a few times that in
 * UTF-8; a local part is at most 64 octets (RFC 5321 section 4.5.3.1.1), but the "address"
 * of an unparsable recipient is its whole input, up to the core's 4 MiB. */
#define RG_RECORD_MAX_FIELD_BYTES 1024u
/* The client is a short name given by the program, e.g. "evolution". */
#define RG_RECORD_MAX_CLIENT_BYTES 64u
/* What the members other than "recipients" may take: time, decision, client, sender domain,
 * error message, with their names and quotes, escaped (a control character takes six
 * bytes as \u00XX), and room to spare.  The recipients get the rest of the line. */
#define RG_RECORD_HEADER_BUDGET (8u * 1024u)

struct _RgDecisionRecord
{
  RgDecision decision;
  JsonObject *object;
  char *line;
  gsize len;
};

static const char *const decision_names[] = {
  [RG_DECISION_CORRECTED] = "corrected",
  [RG_DECISION_SENT_ANYWAY] = "sent-anyway",
  [RG_DECISION_EDITED] = "edited",
  [RG_DECISION_BLOCKED] = "blocked",
  [RG_DECISION_CHECK_FAILED] = "check-failed",
};

const char *
rg_decision_to_string (RgDecision decision)
{
  if ((guint) decision >= G_N_ELEMENTS (decision_names))
    return "unknown";
  return decision_names[decision];
}

gboolean
rg_decision_from_string (const char *text,
                         RgDecision *decision)
{
  for (guint i = 0; i < G_N_ELEMENTS (decision_names); i++)
    {
      if (g_strcmp0 (text, decision_names[i]) == 0)
        {
          *decision = (RgDecision) i;
          return TRUE;
        }
    }
  return FALSE;
}

static const char *const outcome_names[] = {
  [RG_OUTCOME_USED_SUGGESTION] = "used-suggestion",
  [RG_OUTCOME_KEPT] = "kept",
  [RG_OUTCOME_REMOVED] = "removed",
  [RG_OUTCOME_TRUSTED] = "trusted",
};

const char *
rg_outcome_to_string (RgOutcome outcome)
{
  if ((guint) outcome >= G_N_ELEMENTS (outcome_names))
    return NULL;
  return outcome_names[outcome];
}

gboolean
rg_outcome_from_string (const char *text,
                        RgOutcome  *outcome)
{
  for (guint i = 0; i < G_N_ELEMENTS (outcome_names); i++)
    {
      if (outcome_names[i] != NULL && g_strcmp0 (text, outcome_names[i]) == 0)
        {
          *outcome = (RgOutcome) i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
rg_local_parts_to_string (RgLocalParts local_parts)
{
  switch (local_parts)
    {
    case RG_LOCAL_PARTS_HMAC: return "hmac";
    case RG_LOCAL_PARTS_PLAIN: return "plain";
    case RG_LOCAL_PARTS_NONE:
    default: return "none";
    }
}

/* @text cut to at most @max bytes at a character boundary, "…" marking a cut.  @text is
 * UTF-8 from the core (which validated it) or from the program; invalid bytes are replaced,
 * since a JSON string must be UTF-8. */
static char *
dup_bounded (const char *text,
             gssize      len,
             gsize       max)
{
  g_autofree char *valid = g_utf8_make_valid (text, len);
  const char *end;

  if (strlen (valid) <= max)
    return g_steal_pointer (&valid);
  /* Cut at a character boundary at most max - 3 bytes in: room for the three bytes of "…". */
  end = g_utf8_find_prev_char (valid, valid + max - 2);
  if (end == NULL)
    end = valid;
  valid[end - valid] = '\0';
  return g_strconcat (valid, "…", NULL);
}

/* Sets member @name to @value (nullable: null) and frees @value. */
static void
set_string_take (JsonObject *object,
                 const char *name,
                 char       *value)
{
  if (value == NULL)
    json_object_set_null_member (object, name);
  else
    json_object_set_string_member (object, name, value);
  g_free (value);
}

/* The domain of "local@domain", lower-cased (ASCII: the sender's domain is an identity's,
 * not an IDN to normalise) and without a trailing dot; NULL without "@". */
static char *
dup_sender_domain (const char *address)
{
  const char *at = strrchr (address, '@');
  g_autofree char *domain = NULL;
  gsize len;

  if (at == NULL || at[1] == '\0')
    return NULL;
  domain = dup_bounded (at + 1, -1, RG_RECORD_MAX_FIELD_BYTES);
  len = strlen (domain);
  if (len > 0 && domain[len - 1] == '>')
    domain[--len] = '\0';
  if (len > 0 && domain[len - 1] == '.')
    domain[--len] = '\0';
  if (len == 0)
    return NULL;
  return g_ascii_strdown (domain, -1);
}

/* Sets member @name of @object to the local part @local (@len bytes) as @local_parts says:
 * nothing, its HMAC, or the text. */
static void
set_local (JsonObject   *object,
           const char   *name,
           const char   *local,
           gsize         len,
           RgLocalParts  local_parts,
           const guint8 *hmac_key)
{
  switch (local_parts)
    {
    case RG_LOCAL_PARTS_HMAC:
      set_string_take (object, name, rg_hmac_key_dup_pseudonym (hmac_key, local, len));
      break;
    case RG_LOCAL_PARTS_PLAIN:
      set_string_take (object, name,
                       dup_bounded (local, (gssize) len, RG_RECORD_MAX_FIELD_BYTES));
      break;
    case RG_LOCAL_PARTS_NONE:
    default:
      break;
    }
}

/* The suggestion, {"domain", "local"}, or null. */
static JsonNode *
build_suggestion (const rg_finding *finding,
                  RgLocalParts      local_parts,
                  const guint8     *hmac_key)
{
  const char *suggestion = rg_finding_get_suggestion (finding);
  const char *domain = rg_finding_get_suggested_domain (finding);
  const char *at;
  JsonObject *object;
  JsonNode *node;

  if (suggestion == NULL)
    return json_node_new (JSON_NODE_NULL);

  at = strrchr (suggestion, '@');
  object = json_object_new ();
  /* The domain the suggested address has (mail.gmail.com for mail.gmial.com), which may be
   * a subdomain of the known domain it was matched with. */
  if (at != NULL)
    set_string_take (object, "domain", dup_bounded (at + 1, -1, RG_RECORD_MAX_FIELD_BYTES));
  else if (domain != NULL)
    set_string_take (object, "domain", dup_bounded (domain, -1, RG_RECORD_MAX_FIELD_BYTES));
  /* A suggestion without "@" (the cleaned form of an unparsable recipient) is all local. */
  set_local (object, "local", suggestion,
             at != NULL ? (gsize) (at - suggestion) : strlen (suggestion), local_parts,
             hmac_key);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

/* One flagged recipient: {"domain", "domain_ascii"?, "local"?, "verdict", "score",
 * "reasons", "suggestion", "outcome"?}. */
static JsonNode *
build_recipient (const rg_finding *finding,
                 RgOutcome         outcome,
                 RgLocalParts      local_parts,
                 const guint8     *hmac_key)
{
  const char *address = rg_finding_get_address (finding);
  const char *domain = rg_finding_get_domain (finding);
  const char *ascii = rg_finding_get_domain_ascii (finding);
  const char *at = strrchr (address, '@');
  JsonObject *object = json_object_new ();
  JsonArray *reasons = json_array_new ();
  JsonNode *node;

  /* The normalised domain; for a domain the core could not normalise (then ""), the domain
   * as typed: an administrator needs to see "a..b" to understand the warning. */
  if (domain[0] != '\0')
    set_string_take (object, "domain", dup_bounded (domain, -1, RG_RECORD_MAX_FIELD_BYTES));
  else
    set_string_take (object, "domain",
                     at != NULL ? dup_bounded (at + 1, -1, RG_RECORD_MAX_FIELD_BYTES)
                                : g_strdup (""));
  /* What mail servers see, beside an IDN (a lookalike shows here as "xn--..."). */
  if (ascii[0] != '\0' && strcmp (ascii, domain) != 0)
    set_string_take (object, "domain_ascii",
                     dup_bounded (ascii, -1, RG_RECORD_MAX_FIELD_BYTES));
  /* Without "@" the whole unparsable address stands where the local part would: it may hold
   * a name, so it is treated as one. */
  set_local (object, "local", address,
             at != NULL ? (gsize) (at - address) : strlen (address), local_parts, hmac_key);
  json_object_set_string_member (object, "verdict",
                                 rg_verdict_to_string (rg_finding_get_verdict (finding)));
  json_object_set_int_member (object, "score", rg_finding_get_score (finding));
  for (gsize i = 0; i < rg_finding_get_n_reasons (finding); i++)
    json_array_add_string_element (reasons,
                                   rg_reason_to_code (rg_finding_get_reason (finding, i)));
  json_object_set_array_member (object, "reasons", reasons);
  json_object_set_member (object, "suggestion",
                          build_suggestion (finding, local_parts, hmac_key));
  if (rg_outcome_to_string (outcome) != NULL)
    json_object_set_string_member (object, "outcome", rg_outcome_to_string (outcome));

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

static gsize
count_flagged (const rg_report *report)
{
  gsize n = 0;

  for (gsize i = 0; i < rg_report_get_n_findings (report); i++)
    if (rg_finding_get_verdict (rg_report_get_finding (report, i)) >= RG_VERDICT_WARN)
      n++;
  return n;
}

/* The outcome of the @flagged-th flagged recipient, as rg_decision_record_new () documents
 * for RgDecisionFacts: outcomes of the wrong number are none, since they would be given to
 * the wrong recipients. */
static RgOutcome
get_outcome (const RgDecisionFacts *facts,
             gsize                  n_flagged,
             gsize                  flagged)
{
  /* Only a message that left has outcomes. */
  if (facts->decision != RG_DECISION_CORRECTED && facts->decision != RG_DECISION_SENT_ANYWAY)
    return RG_OUTCOME_NONE;
  if (facts->outcomes == NULL || facts->n_outcomes == 0)
    return facts->decision == RG_DECISION_SENT_ANYWAY ? RG_OUTCOME_KEPT : RG_OUTCOME_NONE;
  if (facts->n_outcomes != n_flagged)
    return RG_OUTCOME_NONE;
  return facts->outcomes[flagged];
}

/* The flagged recipients that fit in @budget bytes of JSON, in the report's order; the
 * number of those that did not in @omitted. */
static JsonArray *
build_recipients (const RgDecisionFacts *facts,
                  RgLocalParts           local_parts,
                  const guint8          *hmac_key,
                  gsize                  budget,
                  gint64                *omitted)
{
  const rg_report *report = facts->report;
  JsonArray *recipients = json_array_new ();
  gsize used = 2; /* "[]" */
  gsize n_flagged;
  gsize flagged = 0;

  *omitted = 0;
  if (report == NULL)
    return recipients;
  n_flagged = count_flagged (report);

  for (gsize i = 0; i < rg_report_get_n_findings (report); i++)
    {
      const rg_finding *finding = rg_report_get_finding (report, i);
      g_autoptr (JsonNode) node = NULL;
      g_autofree char *text = NULL;
      gsize len;

      if (rg_finding_get_verdict (finding) < RG_VERDICT_WARN)
        continue;
      flagged++;
      /* Once one did not fit, the rest are counted, not listed: a record lists a prefix of
       * the flagged recipients, never a selection. */
      if (*omitted > 0)
        {
          (*omitted)++;
          continue;
        }
      node = build_recipient (finding, get_outcome (facts, n_flagged, flagged - 1), local_parts,
                              hmac_key);
      text = json_to_string (node, FALSE);
      len = strlen (text) + 1; /* and a comma */
      if (used + len > budget)
        {
          (*omitted)++;
          continue;
        }
      used += len;
      json_array_add_element (recipients, g_steal_pointer (&node));
    }
  return recipients;
}

/* Hides the local parts in @message, a sentence from a library or the mail client that may
 * quote an address: each run of characters that ends in "@" and could be a local part
 * becomes "…".  A second line of defence (the core's messages quote no addresses), so it
 * errs on the side of hiding. */
static char *
dup_scrubbed (const char *message)
{
  static const char delimiters[] = " \t<>()[],;:\"'";
  GString *out = g_string_new (NULL);
  const char *start = message;

  for (const char *p = message; *p != '\0'; p++)
    {
      const char *local = p;

      if (*p != '@')
        continue;
      while (local > start && strchr (delimiters, local[-1]) == NULL)
        local--;
      g_string_append_len (out, start, local - start);
      if (local < p)
        g_string_append (out, "…");
      start = p;
    }
  g_string_append (out, start);
  return g_string_free (out, FALSE);
}

/* RFC 3339 in UTC with milliseconds, e.g. "2026-11-28T11:44:17.123Z": sortable as text, and
 * precise enough to order the decisions of one person. */
static char *
format_time (gint64 time)
{
  g_autoptr (GDateTime) utc = NULL;
  g_autofree char *seconds = NULL;

  time = MAX (time, 0);
  utc = g_date_time_new_from_unix_utc (time / G_USEC_PER_SEC);
  if (utc == NULL)
    return g_strdup ("1970-01-01T00:00:00.000Z");
  seconds = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03dZ", seconds, (int) (time % G_USEC_PER_SEC / 1000));
}

/**
 * rg_decision_record_new:
 * @facts: what happened; borrowed for the call
 *
 * Builds the record: {"v", "time", "decision", "client", "sender_domain", "policy_locked",
 * "local_parts", "verdict", "recipients": [...], "recipients_omitted"?, "error"?}; each
 * recipient has an "outcome" when the message left (see RgDecisionFacts).
 *
 * Cost: linear in the number of findings, each bounded.
 *
 * Returns: (transfer full): the record; never NULL.
 * Since: 0.1
 */
RgDecisionRecord *
rg_decision_record_new (const RgDecisionFacts *facts)
{
  RgDecisionRecord *self = g_new0 (RgDecisionRecord, 1);
  RgLocalParts local_parts = facts->local_parts;
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;
  JsonObject *object;
  JsonArray *recipients;
  gint64 omitted = 0;

  if (local_parts == RG_LOCAL_PARTS_HMAC && facts->hmac_key == NULL)
    local_parts = RG_LOCAL_PARTS_NONE;
  if ((guint) local_parts > RG_LOCAL_PARTS_PLAIN)
    local_parts = RG_LOCAL_PARTS_NONE;

  self->decision = facts->decision;
  object = json_object_new ();
  json_object_set_int_member (object, "v", RG_DECISION_RECORD_VERSION);
  set_string_take (object, "time", format_time (facts->time));
  json_object_set_string_member (object, "decision", rg_decision_to_string (facts->decision));
  set_string_take (object, "client",
                   dup_bounded (facts->client != NULL ? facts->client : "unknown", -1,
                                RG_RECORD_MAX_CLIENT_BYTES));
  if (facts->sender_address != NULL)
    set_string_take (object, "sender_domain", dup_sender_domain (facts->sender_address));
  else
    json_object_set_null_member (object, "sender_domain");
  json_object_set_boolean_member (object, "policy_locked", facts->policy_locked);
  json_object_set_string_member (object, "local_parts", rg_local_parts_to_string (local_parts));
  if (facts->report != NULL)
    json_object_set_string_member (object, "verdict",
                                   rg_verdict_to_string (rg_report_get_verdict (facts->report)));
  else
    json_object_set_null_member (object, "verdict");

  recipients = build_recipients (facts, local_parts, facts->hmac_key,
                                 RG_DECISION_RECORD_MAX_BYTES - RG_RECORD_HEADER_BUDGET,
                                 &omitted);
  json_object_set_array_member (object, "recipients", recipients);
  if (omitted > 0)
    json_object_set_int_member (object, "recipients_omitted", omitted);
  if (facts->error_message != NULL)
    {
      g_autofree char *bounded = dup_bounded (facts->error_message, -1,
                                              RG_RECORD_MAX_FIELD_BYTES);

      set_string_take (object, "error",
                       local_parts == RG_LOCAL_PARTS_PLAIN ? g_steal_pointer (&bounded)
                                                           : dup_scrubbed (bounded));
    }

  root = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (root, object);
  text = json_to_string (root, FALSE);
  /* The budgets above keep every record within the bound; should that ever be wrong, the
   * record loses its recipients rather than the log getting a line no reader accepts. */
  if (strlen (text) + 1 > RG_DECISION_RECORD_MAX_BYTES)
    {
      gint64 listed = json_array_get_length (recipients);

      json_object_set_array_member (object, "recipients", json_array_new ());
      json_object_set_int_member (object, "recipients_omitted", omitted + listed);
      g_clear_pointer (&text, g_free);
      text = json_to_string (root, FALSE);
    }
  self->object = json_object_ref (object);
  self->line = g_strconcat (text, "\n", NULL);
  self->len = strlen (self->line);
  return self;
}

void
rg_decision_record_free (RgDecisionRecord *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->object, json_object_unref);
  g_free (self->line);
  g_free (self);
}

/**
 * rg_decision_record_get_line:
 * @len: (out) (optional): the length of the line, its newline included
 *
 * Returns: (transfer none): the record as one line of JSON ending in "\n".
 */
const char *
rg_decision_record_get_line (const RgDecisionRecord *self,
                             gsize                  *len)
{
  if (len != NULL)
    *len = self->len;
  return self->line;
}

JsonObject *
rg_decision_record_get_object (const RgDecisionRecord *self)
{
  return self->object;
}

RgDecision
rg_decision_record_get_decision (const RgDecisionRecord *self)
{
  return self->decision;
}

/**
 * rg_decision_policy_key:
 * @report: (nullable): the check's report; %NULL when the check failed
 *
 * Which setting's policy decided at Send: the block list when a recipient is blocked, the
 * warn list when a recipient asked because of it, on-error when the check failed.  A slip
 * (a typo, a lookalike) is nobody's policy: %NULL.  Every mail client asks its own lock
 * store (dconf's, or Thunderbird's managed storage) whether that key is locked.
 *
 * Returns: (transfer none) (nullable): "block-domains", "warn-domains", "on-error" or %NULL.
 * Since: 0.1
 */
const char *
rg_decision_policy_key (const rg_report *report)
{
  if (report == NULL)
    return "on-error";
  if (rg_report_get_verdict (report) == RG_VERDICT_BLOCK)
    return "block-domains";
  for (gsize i = 0; i < rg_report_get_n_findings (report); i++)
    {
      const rg_finding *finding = rg_report_get_finding (report, i);

      for (gsize r = 0; r < rg_finding_get_n_reasons (finding); r++)
        if (rg_finding_get_reason (finding, r) == RG_REASON_POLICY_WARN)
          return "warn-domains";
    }
  return NULL;
}
