/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * RgBook: one evolution-data-server address book, as RgKnownDomains reads it.
 *
 * It opens the book, runs a live view of the contacts that have an address, and counts per
 * domain how many of them have an address there, the user's own addresses aside.  What kind of evidence those counts are
 * (contacts the user keeps, or addresses Evolution collected) is for its owner to say: a book
 * only counts.
 */
#pragma once

#include <libedataserver/libedataserver.h>

G_BEGIN_DECLS

#define RG_TYPE_BOOK (rg_book_get_type ())
G_DECLARE_FINAL_TYPE (RgBook, rg_book, RG, BOOK, GObject)

/* Called for each domain of a book with the number of its contacts that have an address
 * there (at least 1). */
typedef void (*RgBookDomainFunc) (const char *domain, guint count, gpointer user_data);

RgBook *rg_book_new (ESource *source);

/* Connects to the book and starts its view, in the caller's thread-default main context,
 * where "changed" and "loaded" are emitted.  Call once. */
void rg_book_open (RgBook *self);

/* Stops the view and whatever is under way: the book emits nothing afterwards, even while
 * calls still under way keep it alive. */
void rg_book_close (RgBook *self);

ESource *rg_book_get_source (RgBook *self);
const char *rg_book_get_uid (RgBook *self);

/* Whether the view delivered every contact (or the book failed: it then counts what it got,
 * which may be nothing). */
gboolean rg_book_is_loaded (RgBook *self);

/* The user's own addresses (NULL-terminated, any case): a contact's address that is one of
 * them is not counted.  Counts again, and emits "changed", when they differ from the last. */
void rg_book_set_own_addresses (RgBook *self, const char *const *addresses);

/* The number of its contacts with at least one usable address. */
guint rg_book_get_n_contacts (RgBook *self);

/* How many of its contacts have an address at @domain, a key as
 * rg_book_domain_from_address () makes it. */
guint rg_book_get_count (RgBook *self, const char *domain);

void rg_book_foreach_domain (RgBook *self, RgBookDomainFunc func, gpointer user_data);

/* The domain of @address as books count it, or NULL when it has none; free with g_free(). */
char *rg_book_domain_from_address (const char *address);

G_END_DECLS
