/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-milter-checker.h - the checker the milter checks with, and its config, kept current in
 * the background: rebuilt from the config file and the learned store when the store has
 * learned new domains (at most every RG_MILTER_REBUILD_MIN_SECONDS), after
 * RG_MILTER_REBUILD_SECONDS when counts changed, and at once on a reload (SIGHUP).  Messages
 * take a snapshot (a reference) and keep using it, so a rebuild never waits for them nor
 * they for it.
 */
#pragma once

#include <glib.h>
#include <rcptguard.h>

#include "rg-milter-config.h"
#include "rg-milter-store.h"

G_BEGIN_DECLS

/* A new domain is rebuilt into the checker within this many seconds: a slip sent and
 * confirmed once is a weak twin soon, and a burst of mail costs one rebuild. */
#define RG_MILTER_REBUILD_MIN_SECONDS 10
/* Counts that changed (no new domain) are rebuilt in at most this often. */
#define RG_MILTER_REBUILD_SECONDS 300

typedef struct {
  rg_checker *checker;       /* NULL when it could not be built: on-error decides */
  RgMilterConfig *config;
  gint64 n_learned;          /* learned domains in it */
} RgMilterSnapshot;

typedef struct _RgMilterChecker RgMilterChecker;

/* Builds the first snapshot now (an error when the config file cannot be read), then keeps
 * it current in a thread of its own.  @store is borrowed and must outlive the result. */
RgMilterChecker *rg_milter_checker_new (const char *config_path, RgMilterStore *store,
                                        GError **error);
void rg_milter_checker_free (RgMilterChecker *self);

/* The current snapshot, referenced: release it with rg_milter_snapshot_release (). */
RgMilterSnapshot *rg_milter_checker_acquire (RgMilterChecker *self);
void rg_milter_snapshot_release (RgMilterSnapshot *snapshot);

/* The store learned @n_new new domains (and counts changed). */
void rg_milter_checker_note_learned (RgMilterChecker *self, guint n_new);
/* Reread the config file and rebuild now (SIGHUP). */
void rg_milter_checker_reload (RgMilterChecker *self);

G_END_DECLS
