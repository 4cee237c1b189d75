/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-decision-journal.h - a decision record as a structured journal entry, so that
 * administrators find and forward it with the tools they use for everything else
 * (journalctl MESSAGE_ID=..., RCPTGUARD_DECISION=sent-anyway, journal upload, rsyslog).
 */
#pragma once

#include <glib.h>

#include "rg-decision-record.h"

G_BEGIN_DECLS

/* The MESSAGE_ID of every decision entry: fixed forever, generated once for this purpose
 * (journalctl --new-id128). */
#define RG_DECISION_MESSAGE_ID "a95d97d4cccf4972904fe0f16b3a29d8"

/* Gives @record's fields (README, "Decision log") to @writer, at level
 * G_LOG_LEVEL_MESSAGE (PRIORITY 5), or G_LOG_LEVEL_WARNING (4) for a failed check.
 * Returns what @writer returned. */
GLogWriterOutput rg_decision_journal_write (const RgDecisionRecord *record,
                                            GLogWriterFunc          writer,
                                            gpointer                user_data);

/* The journal when there is one (its socket, whatever standard error is connected to), and
 * standard error otherwise (g_log_writer_standard_streams (): the MESSAGE alone). */
GLogWriterOutput rg_decision_journal_writer_default (GLogLevelFlags   log_level,
                                                     const GLogField *fields,
                                                     gsize            n_fields,
                                                     gpointer         user_data);

G_END_DECLS
