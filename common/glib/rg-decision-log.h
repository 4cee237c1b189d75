/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * RgDecisionLog: every decision at Send recorded, privately and durably, for the
 * administrator's question after an incident: who was warned, and what did they choose?
 *
 * A mail client makes one log and calls rg_decision_log_record () once per Send that showed
 * the dialog or was refused, and once per failed check.  When the setting log-decisions is
 * true the record goes to two sinks: a structured journal entry (rg-decision-journal.h) and
 * a line of $XDG_STATE_HOME/rcptguard/decisions.jsonl (rg-jsonl-file.h), which
 * "rcptguard log" reads.  README, "Decision log", documents both.
 *
 * Recording never fails the caller and never waits on the disk: a writer thread does the
 * I/O, in order, with at most a bounded number of records waiting.  A sink that cannot be
 * written is reported once (g_message ()) until it works again, and the record is dropped
 * there; rg_decision_log_record () can tell its caller which.  Call a log's functions from
 * one thread (the mail client's main thread).
 */
#pragma once

#include <gio/gio.h>
#include <rcptguard.h>

#include "rg-decision-record.h"

G_BEGIN_DECLS

#define RG_TYPE_DECISION_LOG (rg_decision_log_get_type ())
G_DECLARE_FINAL_TYPE (RgDecisionLog, rg_decision_log, RG, DECISION_LOG, GObject)

RgDecisionLog *rg_decision_log_new (GSettings  *settings,
                                    const char *client);

/* Told whether a record reached decisions.jsonl: @error is NULL when it did (or when logging
 * is off), else says why not.  Called on the log's writer thread, or at once. */
typedef void (*RgDecisionLogDone) (const GError *error,
                                   gpointer      user_data);

void rg_decision_log_record (RgDecisionLog     *self,
                             RgDecision         decision,
                             const char        *sender_address,
                             const rg_report   *report,
                             const RgOutcome   *outcomes,
                             gsize              n_outcomes,
                             const char        *error_message,
                             gboolean           policy_locked,
                             RgDecisionLogDone  done,
                             gpointer           done_data);

gboolean rg_decision_log_flush (RgDecisionLog *self,
                                gint64         timeout_us);

void rg_decision_log_set_journal_writer (RgDecisionLog  *self,
                                         GLogWriterFunc  writer,
                                         gpointer        user_data,
                                         GDestroyNotify  user_data_free);

void rg_decision_log_set_rotation (RgDecisionLog *self,
                                   gint64         max_bytes,
                                   guint          keep);

void rg_decision_log_set_folder (RgDecisionLog *self,
                                 const char    *folder);

const char *rg_decision_log_get_path (RgDecisionLog *self);

char *rg_decision_log_dup_default_path (void);

G_END_DECLS
