/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-milter-store.h - the milter's memory: the recipient domains of the organisation's mail
 * that left, with a use count, and the reject-once confirmations (sender, recipient, expiry).
 * One SQLite database in WAL mode, learned.sqlite in the state directory.  Safe to use from
 * any number of threads (one connection behind a mutex), and from several processes (the
 * milter and "rcptguard-milter learn": SQLite's locks, a busy timeout).
 */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

#define RG_MILTER_STORE_FILE "learned.sqlite"

typedef struct _RgMilterStore RgMilterStore;

/* Opens (creating it and @dir, mode 0750, when missing) @dir/learned.sqlite. */
RgMilterStore *rg_milter_store_open (const char *dir, GError **error);
void rg_milter_store_close (RgMilterStore *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RgMilterStore, rg_milter_store_close)

const char *rg_milter_store_get_path (RgMilterStore *self);

/* Adds @counts[i] uses of @domains[i] (lower-case ASCII) in one transaction: all or nothing.
 * Counts saturate at UINT32_MAX.  @n_new (nullable): how many domains were not there
 * before. */
gboolean rg_milter_store_add_domains (RgMilterStore *self, const char *const *domains,
                                      const uint32_t *counts, gsize n, guint *n_new,
                                      GError **error);

typedef void (*RgMilterStoreDomainFunc) (const char *domain, uint32_t count, gpointer data);

/* Calls @func for every learned domain, in one read transaction (a consistent snapshot). */
gboolean rg_milter_store_foreach_domain (RgMilterStore *self, RgMilterStoreDomainFunc func,
                                         gpointer data, GError **error);

/* The number of learned domains and the sum of their counts. */
gboolean rg_milter_store_get_totals (RgMilterStore *self, gint64 *n_domains, gint64 *n_uses,
                                     GError **error);

/* The count of @domain, 0 when not learned. */
uint32_t rg_milter_store_get_count (RgMilterStore *self, const char *domain);

/* Remembers that @sender was told about @recipient (both lower-case), until @expires (Unix
 * seconds); a later call replaces the expiry. */
gboolean rg_milter_store_remember (RgMilterStore *self, const char *sender,
                                   const char *recipient, gint64 expires, GError **error);

/* Whether @sender was told about @recipient and the confirmation has not expired at @now. */
gboolean rg_milter_store_is_remembered (RgMilterStore *self, const char *sender,
                                        const char *recipient, gint64 now);

/* The state folder when none is given: systemd's $STATE_DIRECTORY (StateDirectory=), unless it
 * names several (':'-separated), else RG_MILTER_DEFAULT_STATE_DIR. */
const char *rg_milter_store_default_dir (void);

/* Forgets confirmations expired at @now; returns how many. */
gint64 rg_milter_store_purge (RgMilterStore *self, gint64 now);

G_END_DECLS
