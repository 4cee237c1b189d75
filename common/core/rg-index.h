/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-index.h - find the known domains near a domain in time independent of how many are
 * known (internal).
 *
 * Symmetric deletion: every known domain is stored under its own hash and the hash of each
 * string made by deleting one of its characters.  Two strings one edit apart (omission,
 * insertion, substitution, adjacent transposition) then share at least one of these keys,
 * so a query looks up its own (length + 1) keys and verifies what they return.  Registrable
 * domains, truncated public suffixes and TR39 skeletons get keys of their own.
 */
#pragma once

#include "rg-private.h"

typedef enum {
  RG_KEY_FULL,     /* a known domain and its one-deletion variants */
  RG_KEY_REG,      /* its registrable domain (when that differs) and its variants */
  RG_KEY_TRUNC,    /* its registrable domain with one label of a multi-label suffix dropped */
  RG_KEY_SKEL,     /* its skeleton, when that differs from the domain */
  RG_KEY_SKEL_REG, /* the skeleton of its registrable domain, when both differ */
  RG_KEY_SUFFIX,   /* its public suffix and that suffix's variants, for the first known
                      domain with that suffix: the endings the user writes to */
  RG_KEY_PIECE,    /* each third of a long name, with the name's length and suffix
                      (rg_piece_hash): two slips leave one third as it was.  This key and
                      the RG_KEY_VISUAL ones are made only for the known domains where such
                      a weaker sign can warn at all (rg_weigh_can_warn()) */
  RG_KEY_NOHYPHEN, /* its registrable domain without hyphens, when it has some */
  RG_KEY_ENDING_START, /* each start of a one-label public suffix ("c" and "co" of
                          "com"), for the first known domain with it: an ending cut short */
  RG_KEY_VISUAL,   /* its skeleton with the letters that blur in small type folded
                      (rg_visual_fold()), when that differs from the domain */
  RG_KEY_VISUAL_REG, /* the same of its registrable domain */
} rg_key_kind;

/* Names of at least this many octets (ASCII) are indexed by thirds, for two slips at once:
 * in a shorter name two slips leave too little of it to tell what was meant. */
#define RG_PIECE_MIN_NAME 8

/* The hash of piece @piece (0, 1 or 2) of a name of @name_len octets, the piece being
 * @text (@len octets), under the public suffix @suffix. */
uint32_t rg_piece_hash (size_t name_len, unsigned piece, const char *text, size_t len,
                        const char *suffix);

/* Where piece @piece of a name of @name_len octets starts, and how long it is. */
void rg_piece_bounds (size_t name_len, unsigned piece, size_t *start, size_t *len);

#define RG_KEYS(kind) (1u << (kind))

typedef struct {
  uint32_t id;       /* index into the checker's known domains */
  rg_key_kind kind;
} rg_hit;

/* Builds the index over @checker's known set.  Cost: O(total length of the known domains)
 * time and about 10 words per character of memory. */
rg_status rg_index_build (const rg_checker *checker, rg_index **out);
void rg_index_free (rg_index *index);

/*
 * rg_index_lookup:
 * @deletions: also look up each one-deletion variant of @text
 * @hits: (inout): @n_hits entries already there; appended to, without duplicates, up to @max
 *
 * Returns: the new number of hits.  Hits share a hash with @text: the caller verifies them.
 */
size_t rg_index_lookup (const rg_index *index, const char *text, size_t len, bool deletions,
                        unsigned kinds, rg_hit *hits, size_t n_hits, size_t max);

/* rg_index_lookup() for a key already hashed (rg_piece_hash()). */
size_t rg_index_lookup_hash (const rg_index *index, uint32_t hash, unsigned kinds,
                             rg_hit *hits, size_t n_hits, size_t max);

/*
 * rg_truncations:
 * @reg: a registrable domain (Unicode form), @suffix_start the offset of its public suffix
 * @out: receives up to two strings: the domain without the last, and without the first,
 *   label of its suffix ("hsbc.co" and "hsbc.uk" for "hsbc.co.uk")
 *
 * Returns: how many were written (0 when the suffix has one label).
 */
size_t rg_truncations (const char *reg, size_t suffix_start,
                       char out[2][RG_MAX_DOMAIN_OCTETS * 4 + 1]);
