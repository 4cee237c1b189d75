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
} rg_key_kind;

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
