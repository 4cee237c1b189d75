/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-host-session.h - what the native host knows between requests, and the answer to each
 * request of plugin/thunderbird/PROTOCOL.md ("configure", "check", "record").
 *
 * The settings live in memory only (GSettings over a memory backend): Thunderbird's add-on
 * sends them, from its managed storage and its own preferences.  When GSettings' default
 * backend is dconf, the keys the desktop's administrator locked there (and the add-on did not
 * lock) take dconf's value and count as locked; nothing else is read from dconf, and nothing
 * is written to it.  The session owns the settings, the checker (an RgGuard over
 * a fixed config, rebuilt at each "configure"), the decision log, and the reports of the last
 * RG_HOST_KEPT_REPORTS checks.  One thread, one request at a time.
 */
#pragma once

#include <glib.h>

#include "rg-host-channel.h"

G_BEGIN_DECLS

/* The largest id, in absolute value: 2^53, the largest integer up to which JavaScript's
 * numbers are exact. */
#define RG_HOST_MAX_ID (G_GINT64_CONSTANT (1) << 53)

/* The checks whose reports a "record" may name (PROTOCOL.md). */
#define RG_HOST_KEPT_REPORTS 32

/* At most this many entries in a "configure" answer's "problems", the last one saying how
 * many more there were; each at most RG_HOST_MAX_PROBLEM_BYTES.  A configure may be 8 MiB of
 * bad domains, and its answer must stay under 1 MiB. */
#define RG_HOST_MAX_PROBLEMS 100
#define RG_HOST_MAX_PROBLEM_BYTES 512

typedef struct _RgHostSession RgHostSession;

/* A session with the schema's defaults, the desktop's dconf locks and the built-in providers,
 * as before the first "configure".  When the schema RG_SETTINGS_SCHEMA_ID is not installed, one line on standard
 * error says so, and the session checks with the core's defaults. */
RgHostSession *rg_host_session_new (RgHostChannel *channel);
void rg_host_session_free (RgHostSession *self);

/* The answer to the request in @len bytes of @data: UTF-8 JSON, at most
 * RG_HOST_MAX_ANSWER_BYTES; a request that makes no sense gets a "protocol" error.  NULL for
 * a "record" taken: its answer is written to the session's channel, from the decision log's
 * writer thread, once the record is written (or failed). */
GBytes *rg_host_session_handle (RgHostSession *self,
                                const char    *data,
                                gsize          len);

/* The answer to a request longer than RG_HOST_MAX_REQUEST_BYTES, which was not read: a
 * "protocol" error with id null. */
GBytes *rg_host_session_answer_too_long (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RgHostSession, rg_host_session_free)

G_END_DECLS
