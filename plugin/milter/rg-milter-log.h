/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-milter-log.h - the milter's decisions in the decision log's journal entries (README,
 * "Decision log"): MESSAGE_ID, RCPTGUARD_* fields, client "milter", local parts as
 * log-local-parts says (the "hmac" key kept in the state directory), plus two fields of the
 * milter's own: RCPTGUARD_MILTER_ACTION (what Postfix was told: reject-once, resent, hold,
 * tag, ...) and RCPTGUARD_QUEUE_ID (Postfix's queue id, to find the message in mail.log).
 */
#pragma once

#include <glib.h>

#include "rg-milter-config.h"
#include "rg-milter-message.h"

G_BEGIN_DECLS

typedef struct _RgMilterLog RgMilterLog;

RgMilterLog *rg_milter_log_new (const char *state_dir);
void rg_milter_log_free (RgMilterLog *self);

/* Records @verdict when it is to be logged and log-decisions is true.  Thread-safe; one
 * datagram to the journal (standard error without one). */
void rg_milter_log_record (RgMilterLog *self, const RgMilterConfig *config,
                           const RgMilterVerdict *verdict, const char *sender,
                           const char *queue_id);

G_END_DECLS
