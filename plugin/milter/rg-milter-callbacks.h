/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-milter-callbacks.h - the libmilter callbacks: per connection whether the client is the
 * organisation's, per message its envelope and confirmation header (RgMilterMessage), and at
 * its end the decision carried out (reply, hold, header, learning, log).
 */
#pragma once

#include <libmilter/mfapi.h>

#include "rg-milter-checker.h"
#include "rg-milter-log.h"
#include "rg-milter-store.h"

G_BEGIN_DECLS

/* The milter's description for smfi_register (); the callbacks use @checker, @store and @log,
 * which must outlive smfi_main (). */
struct smfiDesc *rg_milter_callbacks_get_desc (RgMilterChecker *checker, RgMilterStore *store,
                                               RgMilterLog *log);

G_END_DECLS
