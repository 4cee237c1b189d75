/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * RgGuard: a checker that is always ready at Send and kept current in the background.
 *
 * It starts with the core's built-in providers and the settings' policy, so a Send in the
 * first second after start is still checked, then loads the user's address books and
 * identities (RgKnownDomains) and rebuilds the checker whenever they or the settings change.
 *
 * A check runs in a worker thread while the caller waits, at most RG_GUARD_CHECK_BUDGET_MS:
 * Send is synchronous, so a core that hangs must cost the user a pause, not the mail client.
 * The report the core returns is validated before anyone trusts it.  Either failure is an
 * error, for the on-error policy to decide; nothing here waits for an address book.
 */
#pragma once

#include <gio/gio.h>
#include <rcptguard.h>

#include "rg-known-domains.h"
#include "rg-settings.h"

G_BEGIN_DECLS

/* How long rg_guard_check () waits for the core.  DESIGN.md's budget for a message of 100
 * recipients against 50,000 known domains is 20 ms, and the largest check the core accepts
 * (RG_MAX_RECIPIENTS recipients) takes a few hundred: 2 s is far beyond any healthy check, on
 * a loaded machine too, and short enough that a core that hangs costs a pause at Send, not a
 * frozen mail client. */
#define RG_GUARD_CHECK_BUDGET_MS 2000

/* At most this many checks run at once, process-wide.  A check that outlives its budget keeps
 * its thread until it ends; past this many such threads, further checks wait in a queue and
 * time out in turn: the on-error answer, never an unbounded number of stuck threads. */
#define RG_GUARD_MAX_WORKERS 4

#define RG_GUARD_ERROR (rg_guard_error_quark ())
GQuark rg_guard_error_quark (void);

/* The GError codes of RG_GUARD_ERROR.  Negative codes are the core's rg_status values, as
 * they are: the core failed (-1xx), or refused the input as a whole (see
 * rg_guard_error_is_input ()).  The positive codes are this layer's own. */
typedef enum {
  RG_GUARD_ERROR_TIMEOUT = 1, /* the core did not answer within RG_GUARD_CHECK_BUDGET_MS */
  RG_GUARD_ERROR_GARBAGE = 2, /* the core's report failed validation and was discarded */
} RgGuardError;

#define RG_TYPE_GUARD (rg_guard_get_type ())
G_DECLARE_FINAL_TYPE (RgGuard, rg_guard, RG, GUARD, GObject)

/* A guard over @known (which it starts loading, in the caller's thread-default main
 * context, unless it is already loaded) with the policy of @settings (of the schema
 * RG_SETTINGS_SCHEMA_ID; NULL: the built-in defaults and no policy, as the command line's
 * --no-settings).  @settings is referenced and followed: a change rebuilds the checker. */
RgGuard *rg_guard_new (RgKnownDomains *known, GSettings *settings);

/* A guard over @known with the user's settings (rg_settings_new()); when the schema is not
 * installed, with a warning in the log and the built-in defaults. */
RgGuard *rg_guard_new_for_user (RgKnownDomains *known);

/* A guard over a fixed @config, for the command line, which gathers its known domains
 * itself: the checker is built from @config at once (@config is not referenced after the
 * call) and never rebuilt.  @settings (nullable) is referenced and read by the getters only
 * (on-error, enabled, allow-block-override); whatever of it should shape the checker, the
 * caller has applied to @config.  A checker that cannot be built makes every check fail. */
RgGuard *rg_guard_new_for_config (const rg_config *config, GSettings *settings);

/* The known domains followed; NULL for a guard over a fixed config. */
RgKnownDomains *rg_guard_get_known_domains (RgGuard *self);

/* The settings followed, or NULL; borrowed, as long as @self. */
GSettings *rg_guard_get_settings (RgGuard *self);

/* What to check at Send: everything, only the administrator's locked block list (the user
 * turned checking off), or nothing (rg_settings_get_scope ()); RG_SCOPE_ALL without
 * settings. */
RgScope rg_guard_get_scope (RgGuard *self);

/* Whether a blocked recipient may be sent to anyway ("allow-block-override"; FALSE without
 * settings). */
gboolean rg_guard_get_allow_block_override (RgGuard *self);

/* Whether the organisation's mail server runs rcptguard-milter ("server-guard"; FALSE without
 * settings): a message sent after the dialog then names the recipients the user confirmed in
 * the header RG_CONFIRMED_HEADER (rg-confirmed-header.h). */
gboolean rg_guard_get_server_guard (RgGuard *self);

/* What to do when rg_guard_check () fails ("on-error"; RG_ON_ERROR_WARN without settings),
 * and whether the administrator has locked that key (FALSE without settings). */
RgOnError rg_guard_get_on_error (RgGuard *self);
gboolean rg_guard_get_on_error_locked (RgGuard *self);

/* Checks @n_lists address lists with the current checker, in a worker thread, waiting at most
 * RG_GUARD_CHECK_BUDGET_MS; the caller's main context is not iterated.  On failure returns
 * NULL with @error set (RG_GUARD_ERROR): no checker could be built or the core failed (its
 * rg_status as code), the core refused the input as a whole (ditto), it took too long
 * (RG_GUARD_ERROR_TIMEOUT), or its report did not make sense (RG_GUARD_ERROR_GARBAGE).  A
 * check that outlives the budget finishes on its own and frees its report.  Free the report
 * with rg_report_free(). */
rg_report *rg_guard_check (RgGuard            *self,
                           RgScope             scope,
                           const char *const  *lists,
                           gsize               n_lists,
                           GError            **error);

/* Whether @error, from rg_guard_check (), says that the recipients themselves were refused
 * (not UTF-8, a control character, a list or a count over a limit): the input is wrong,
 * the check did not fail.  FALSE for every other error, which the on-error policy decides. */
gboolean rg_guard_error_is_input (const GError *error);

/* Whether no check runs on a worker thread in this process (one that outlived its budget
 * still may). */
gboolean rg_guard_is_idle (void);

#ifdef RG_FAULT_INJECTION
/* Built with -Dfault_injection=true, and always in the test-only variants (the library
 * rcptguard-glib-fault, rcptguard-fault, module-rcptguard-fault.so): rg_guard_check () reads
 * the environment variable RCPTGUARD_FAULT at each call.  "fail": the core fails
 * (RG_E_INTERNAL); "hang": the worker sleeps RG_GUARD_FAULT_HANG_MS before checking;
 * "garbage": the validator sees a finding whose list index is out of range (or, with no
 * findings, one finding too many); "garbage-verdict", "garbage-count", "garbage-address",
 * "garbage-reason", "garbage-suggestion", "garbage-order": one other value made wrong.  Only
 * what the validator reads is changed, so the real validator is what rejects it. */
# define RG_GUARD_FAULT_ENV "RCPTGUARD_FAULT"
# define RG_GUARD_FAULT_HANG_MS (RG_GUARD_CHECK_BUDGET_MS + 1000)

/* Waits until no worker runs (a "hang" outlives its caller), at most @timeout_ms: for tests
 * that check that a late worker frees what it holds.  Returns whether none runs. */
gboolean rg_guard_fault_wait_idle (guint timeout_ms);
#endif

G_END_DECLS
