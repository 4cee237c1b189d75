/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-milter-message.h - one message as the milter sees it (envelope sender, envelope
 * recipients, the X-Recipient-Guard-Confirmed header) and the decision at its end: what to
 * answer Postfix, what to remember and what to log.  No libmilter and no I/O here, so that
 * the fuzz target and the tests drive exactly the code the milter runs.
 */
#pragma once

#include <glib.h>
#include <rcptguard.h>

#include "rg-confirmed-header.h"
#include "rg-decision-record.h"
#include "rg-milter-config.h"

G_BEGIN_DECLS

/* The desktop clients add it (rg-confirmed-header.h); the milter honours and removes it. */
#define RG_MILTER_CONFIRMED_HEADER RG_CONFIRMED_HEADER
#define RG_MILTER_TAG_HEADER "X-Recipient-Guard"

/* At most this many bytes of X-Recipient-Guard-Confirmed values are read per message (the
 * rest is ignored: its recipients are simply not confirmed); 64 KiB names over a thousand
 * addresses.  Postfix's own header_size_limit (100 KiB by default) caps a header anyway. */
#define RG_MILTER_MAX_CONFIRMED_BYTES (64u * 1024u)
/* Envelope recipients kept per message: the core's limit.  Past it the check fails as a
 * whole (on-error decides), never silently for the first ones only. */
#define RG_MILTER_MAX_RECIPIENTS RG_MAX_RECIPIENTS
/* An SMTP reply line is at most 512 octets with its code (RFC 5321 4.5.3.1.5); Postfix takes
 * longer ones, but the text people read stays well below. */
#define RG_MILTER_MAX_REPLY_TEXT 400u

typedef enum {
  RG_MILTER_ACCEPT,     /* deliver (possibly with a header added) */
  RG_MILTER_REJECT,     /* permanent: code 550 */
  RG_MILTER_TEMPFAIL,   /* temporary: code 451 */
  RG_MILTER_HOLD,       /* Postfix's hold queue */
} RgMilterAction;

typedef struct _RgMilterMessage RgMilterMessage;

RgMilterMessage *rg_milter_message_new (void);
void rg_milter_message_free (RgMilterMessage *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RgMilterMessage, rg_milter_message_free)

/* Forgets the envelope and headers (a new transaction on the same connection); whether the
 * client is the organisation's is kept. */
void rg_milter_message_reset (RgMilterMessage *self);

/* Whether the message is outgoing: the client authenticated or connected from an
 * organisation network.  Only outgoing mail is checked. */
void rg_milter_message_set_outgoing (RgMilterMessage *self, gboolean outgoing);
gboolean rg_milter_message_get_outgoing (RgMilterMessage *self);

/* The MAIL FROM and RCPT TO arguments as libmilter gives them ("<a@b>", angle brackets and
 * ESMTP parameters aside). */
void rg_milter_message_set_sender (RgMilterMessage *self, const char *arg);
void rg_milter_message_add_recipient (RgMilterMessage *self, const char *arg);
guint rg_milter_message_get_n_recipients (RgMilterMessage *self);
const char *rg_milter_message_get_sender (RgMilterMessage *self);

/* A header as libmilter gives it; only X-Recipient-Guard-Confirmed is kept (its addresses,
 * lower case, and how many times it occurs, for their removal). */
void rg_milter_message_add_header (RgMilterMessage *self, const char *name, const char *value);
guint rg_milter_message_get_n_confirmed_headers (RgMilterMessage *self);
gboolean rg_milter_message_is_confirmed (RgMilterMessage *self, const char *address);

/* Whether the sender was told about the recipient before and sends again in time. */
typedef gboolean (*RgMilterRememberedFunc) (const char *sender, const char *recipient,
                                            gpointer data);

typedef struct {
  RgMilterAction action;
  /* For REJECT and TEMPFAIL: "550"/"451", "5.7.1"/"5.1.0"/"4.7.1" and the text (printable
   * ASCII, '%' doubled for libmilter, at most RG_MILTER_MAX_REPLY_TEXT). */
  const char *rcode;
  const char *xcode;
  char *text;
  /* For HOLD: the reason Postfix records. */
  char *hold_reason;
  /* For ACCEPT: the value of an X-Recipient-Guard header to add, or NULL. */
  char *tag;
  /* Lower-case recipients the sender is now told about (reject-once). */
  GPtrArray *remember;
  /* Lower-case ASCII domains of the recipients, when the message leaves (to learn). */
  GPtrArray *learn;

  /* The log: whether to record, as what, and the milter's action in words
   * ("blocked", "reject-once", "resent", "confirmed-header", "hold", "tag", "accept",
   * "on-error-allow", "on-error-tempfail", "on-error-block"). */
  gboolean log;
  RgDecision decision;
  const char *log_action;
  rg_report *report;    /* owned; NULL when the check failed */
  char *error_message;  /* why the check failed, or NULL */
} RgMilterVerdict;

void rg_milter_verdict_clear (RgMilterVerdict *verdict);

/* Decides what becomes of the message, at its end.  @checker: the current checker; NULL
 * means the check cannot be made (on-error decides).  @now: Unix seconds. */
void rg_milter_message_decide (RgMilterMessage        *self,
                               const rg_checker       *checker,
                               const RgMilterConfig   *config,
                               RgMilterRememberedFunc  remembered,
                               gpointer                remembered_data,
                               RgMilterVerdict        *out);

/* @text as a reply text for libmilter: printable ASCII (typographic quotes as ASCII ones,
 * other characters as '?'), '%' doubled, at most @max bytes. */
char *rg_milter_dup_reply_text (const char *text, gsize max);

G_END_DECLS
