/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * RgKnownDomains: the domains a user writes to, as evolution-data-server knows them.
 *
 * It counts, per domain, the contacts of every enabled address book (RgBook) that have an
 * address there, and it lists the user's own mail identities.  Each count is evidence of a
 * kind (rg_source): the contacts of the book that Evolution's automatic contacts write to,
 * when it is a book of their own, were collected from mail sent; the others are contacts the
 * user keeps; the own addresses are identities.  Loading runs in the background; afterwards
 * book views, the source registry and Evolution's automatic-contacts setting keep the counts
 * current, and "changed" says so.
 */
#pragma once

#include <gio/gio.h>
#include <rcptguard.h>

G_BEGIN_DECLS

#define RG_TYPE_KNOWN_DOMAINS (rg_known_domains_get_type ())
G_DECLARE_FINAL_TYPE (RgKnownDomains, rg_known_domains, RG, KNOWN_DOMAINS, GObject)

RgKnownDomains *rg_known_domains_new (void);

/* Connects to the source registry, opens every enabled address book and starts a view on
 * each.  Finishes once every book has delivered its contacts (or failed: a book that cannot be
 * opened is skipped with a warning, not an error); an error only when the registry itself is
 * unreachable.  Call once.  The object keeps itself current afterwards in the thread-default
 * main context of the caller. */
void rg_known_domains_load_async (RgKnownDomains      *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);
gboolean rg_known_domains_load_finish (RgKnownDomains  *self,
                                       GAsyncResult    *result,
                                       GError         **error);
/* The same, blocking, for the command line: runs a private main context until loaded. */
gboolean rg_known_domains_load_sync (RgKnownDomains  *self,
                                     GCancellable    *cancellable,
                                     GError         **error);

gboolean rg_known_domains_is_loaded (RgKnownDomains *self);

/* How many contacts have an address at @domain (lower-case ASCII or Unicode, as stored),
 * collected ones included; an address that is one of the user's own does not count. */
guint rg_known_domains_get_contact_count (RgKnownDomains *self, const char *domain);

/* The count that rg_known_domains_add_to_config() adds for @domain as evidence of @source. */
guint rg_known_domains_get_evidence (RgKnownDomains *self, const char *domain,
                                     rg_source source);

/* The number of distinct contact domains. */
guint rg_known_domains_get_n_domains (RgKnownDomains *self);

/* The user's own addresses (identities and their aliases), owned by @self until the next
 * "changed"; NULL-terminated. */
const char *const *rg_known_domains_get_own_addresses (RgKnownDomains *self);

/* Adds the evidence for every contact domain (its contact counts, as contacts or collected)
 * and every own domain (as identity) to @config.  Domains the core refuses are skipped
 * (counted in the return value). */
guint rg_known_domains_add_to_config (RgKnownDomains *self, rg_config *config);

G_END_DECLS
