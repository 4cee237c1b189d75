/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-decision-record.h - one decision at Send as a record of the decision log: what was
 * flagged and what the user chose, with the local parts of addresses left out, keyed-hashed
 * or plain as the settings say, and never anything of the message's content.
 *
 * The record is a JSON object, written as one line of at most RG_DECISION_RECORD_MAX_BYTES
 * (README, "Decision log", documents its members).  Building it does no I/O.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <rcptguard.h>

G_BEGIN_DECLS

/* A record's line, its newline included, is at most this long: one write () each, and a
 * reader can bound its line buffer.  A message with more flagged recipients than fit lists
 * the first ones and counts the rest ("recipients_omitted"). */
#define RG_DECISION_RECORD_MAX_BYTES (64u * 1024u)

/* The length of the per-user key of the "hmac" local parts (HMAC-SHA256's block is 64 bytes,
 * its output 32; a 32-byte key has all the strength the hash offers). */
#define RG_HMAC_KEY_BYTES 32u

/**
 * RgDecision:
 *
 * What happened at Send.  The strings of rg_decision_to_string () are stable: the log, the
 * journal field RCPTGUARD_DECISION and scripts rely on them.
 */
typedef enum {
  RG_DECISION_CORRECTED,    /* "corrected": sent with the suggested addresses */
  RG_DECISION_SENT_ANYWAY,  /* "sent-anyway": sent as typed despite the warning */
  RG_DECISION_EDITED,       /* "edited": back to the message, nothing sent */
  RG_DECISION_BLOCKED,      /* "blocked": the policy refused to send */
  RG_DECISION_CHECK_FAILED, /* "check-failed": the recipients could not be checked */
} RgDecision;

/**
 * RgOutcome:
 *
 * What became of one flagged recipient when the message left.  The strings of
 * rg_outcome_to_string () are stable: the log and scripts rely on them.
 */
typedef enum {
  RG_OUTCOME_NONE = 0,        /* nothing recorded: the message did not leave */
  RG_OUTCOME_USED_SUGGESTION, /* "used-suggestion": sent to the suggested address */
  RG_OUTCOME_KEPT,            /* "kept": sent to the address as it was */
  RG_OUTCOME_REMOVED,         /* "removed": taken out of the message */
  RG_OUTCOME_TRUSTED,         /* "trusted": sent as it was, its domain added to the user's
                                 trusted-domains ("Always allow") */
} RgOutcome;

/* How local parts are recorded: the values of the schema's enumeration
 * org.rcptguard.RecipientGuard.LocalParts, for g_settings_get_enum (). */
typedef enum {
  RG_LOCAL_PARTS_NONE = 0,  /* left out */
  RG_LOCAL_PARTS_HMAC = 1,  /* "hmac-sha256:<64 hex digits>" of the normalised local part */
  RG_LOCAL_PARTS_PLAIN = 2, /* as typed */
} RgLocalParts;

/* "corrected", "sent-anyway", "edited", "blocked", "check-failed"; "unknown" otherwise. */
const char *rg_decision_to_string (RgDecision decision);
/* The decision named @text (as rg_decision_to_string () gives it); FALSE for other text. */
gboolean rg_decision_from_string (const char *text, RgDecision *decision);
/* "used-suggestion", "kept", "removed", "trusted"; NULL for RG_OUTCOME_NONE and other values. */
const char *rg_outcome_to_string (RgOutcome outcome);
/* The outcome named @text (as rg_outcome_to_string () gives it); FALSE for other text. */
gboolean rg_outcome_from_string (const char *text, RgOutcome *outcome);
/* "none", "hmac", "plain"; "none" for other values. */
const char *rg_local_parts_to_string (RgLocalParts local_parts);

/**
 * RgDecisionFacts:
 * @decision: what happened
 * @time: when, in microseconds since the epoch (g_get_real_time ())
 * @client: the mail client: "evolution", "thunderbird", "cli"; NULL is "unknown"
 * @sender_address: (nullable): the sender, "local@domain"; only its domain is recorded
 * @report: (nullable): the check's report (NULL when the check failed); only findings with
 *   verdict warn or block are recorded
 * @outcomes: (nullable) (array length=n_outcomes): what became of each recorded finding, one
 *   per finding of verdict warn or block in the report's order (the dialog's rows), for
 *   %RG_DECISION_CORRECTED and %RG_DECISION_SENT_ANYWAY (other decisions sent nothing, and
 *   record none); %NULL records every one "kept" for %RG_DECISION_SENT_ANYWAY
 * @n_outcomes: the length of @outcomes; a length that does not match records no outcome
 * @error_message: (nullable): why the check failed; local parts in it are hidden unless
 *   @local_parts is plain
 * @policy_locked: whether the policy that decided was locked by the administrator
 * @local_parts: how local parts are recorded
 * @hmac_key: (nullable): %RG_HMAC_KEY_BYTES bytes, for @local_parts hmac; without it, local
 *   parts are left out (and the record says "local_parts": "none")
 */
typedef struct {
  RgDecision decision;
  gint64 time;
  const char *client;
  const char *sender_address;
  const rg_report *report;
  const RgOutcome *outcomes;
  gsize n_outcomes;
  const char *error_message;
  gboolean policy_locked;
  RgLocalParts local_parts;
  const guint8 *hmac_key;
} RgDecisionFacts;

typedef struct _RgDecisionRecord RgDecisionRecord;

RgDecisionRecord *rg_decision_record_new (const RgDecisionFacts *facts);
void rg_decision_record_free (RgDecisionRecord *self);

/* The record as one line of JSON with its "\n", at most RG_DECISION_RECORD_MAX_BYTES;
 * borrowed, as long as @self. */
const char *rg_decision_record_get_line (const RgDecisionRecord *self, gsize *len);

/* The record as a JSON object; borrowed, as long as @self. */
JsonObject *rg_decision_record_get_object (const RgDecisionRecord *self);

/* The decision recorded. */
RgDecision rg_decision_record_get_decision (const RgDecisionRecord *self);

/* The setting whose policy decided at Send, for "policy_locked": "block-domains" when
 * @report blocks, "warn-domains" when it warns because of that list, "on-error" when the
 * check failed (@report is NULL); NULL when no policy decided (a slip is nobody's policy).
 * A mail client records whether the administrator locked that key.  Static string. */
const char *rg_decision_policy_key (const rg_report *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RgDecisionRecord, rg_decision_record_free)

G_END_DECLS
