/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-confirmed-header.h - what a mail client tells the organisation's mail server about the
 * recipients the user confirmed in the dialog.
 *
 * When the administrator's setting "server-guard" says that the mail server runs
 * rcptguard-milter, a message that leaves after the dialog carries the header
 * RG_CONFIRMED_HEADER with the addresses of the flagged recipients that go out as they were
 * ("Send Anyway", or "Keep this address" and "Always allow" with "Send Corrected"), so that
 * the server does not refuse them a second time.  A corrected or removed recipient is not
 * named: what goes out in its place was not flagged.
 */
#pragma once

#include <glib.h>
#include <rcptguard.h>

#include "rg-decision-record.h"

G_BEGIN_DECLS

/* The header's name.  The milter accepts the recipients it names and removes it before the
 * message leaves the organisation. */
#define RG_CONFIRMED_HEADER "X-Recipient-Guard-Confirmed"

/* The header's value after the dialog: the flagged addresses that go out as they were, or NULL
 * when none does (then no header); see the .c for the details. */
char *rg_confirmed_header_dup_value (const rg_report *report,
                                     const RgOutcome *outcomes,
                                     gsize            n_outcomes);

G_END_DECLS
