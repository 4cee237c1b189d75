/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-score.h - judge one recipient (internal).
 */
#pragma once

#include "rg-parse.h"
#include "rg-private.h"

/* Fills @out (zeroed by the caller) for @mailbox.  Returns RG_OK or RG_E_NOMEM; whatever
 * was allocated in @out is freed with the report either way. */
rg_status rg_score_mailbox (const rg_checker *checker, const rg_mailbox *mailbox,
                            rg_finding *out);
