/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-nearest.h - the known domain a recipient's domain most likely meant, and the slips that
 * lead from it to what was typed (internal).
 */
#pragma once

#include "rg-edit.h"
#include "rg-normalize.h"

#define RG_MAX_SUGGESTION_OCTETS (RG_MAX_DOMAIN_OCTETS * 4 + 1)

/* How a candidate is near, closest first. */
typedef enum {
  RG_NEAR_CONFUSABLE,  /* looks the same (TR39 skeleton, accents, capitals, digits) */
  RG_NEAR_ONE_SLIP,    /* one edit, a dot or a hyphen; an ending added */
  RG_NEAR_LOOKALIKE,   /* looks alike in small type (rn and m, q and g: rg_visual_fold());
                          before a one-edit slip that is no common typing slip */
  RG_NEAR_TRUNCATED,   /* the public suffix cut short */
  RG_NEAR_TWO_SLIPS,   /* a slip in the name and one in the ending, or two in a long name */
} rg_near;

typedef struct {
  bool found;
  rg_near near;
  rg_reason reason;    /* what the slip is; RG_REASON_COMPOUND for two */
  bool level;          /* false: the whole domain; true: its registrable domain */
  uint32_t id;         /* the known domain */
  rg_edit edit;        /* the slip (the one in the name, for two) */
  rg_edit edit2;       /* the slip in the ending, for a slip in both */
  bool has_edit2;
  size_t name_len;     /* code points in the name label of the known domain */
  size_t typed_suffix; /* offsets of the public suffixes, for the message */
  size_t key_suffix;
  char suggestion[RG_MAX_SUGGESTION_OCTETS];
} rg_candidate;

typedef struct {
  const rg_checker *checker;
  const rg_domain *d;
  /* The domain as typed, case kept, for lookalikes ("paypaI.com"); d->unicode when the
   * two do not line up. */
  const char *typed_case;
  /* When set, only known domains with much stronger evidence than this one count: the
   * search for a rare twin. */
  const rg_known *weaker_than;
  /* When set, every weakly known domain found that this one outweighs is marked shadowed,
   * and none is kept as the best. */
  const rg_known *shadowing;
  rg_candidate best;
} rg_nearest;

/*
 * rg_nearest_find:
 *
 * Fills @n->best with the closest known domain to @n->d (valid, or with only its structure
 * wrong), if any.  Among equally close ones: a domain with much stronger evidence before a
 * weakly known one, then a whole-domain match, the commoner slip, the more used, the first
 * alphabetically.
 *
 * Cost: bounded by RG_MAX_CANDIDATES verifications per kind of look-up, independent of the
 * number of known domains.
 */
void rg_nearest_find (rg_nearest *n);

/* Code points of the name label of @domain (the label before the public suffix: "army" in
 * "hr.army.mil"), from its offsets; 0 when it has none. */
size_t rg_name_code_points (const char *domain, size_t reg_start, size_t suffix_start);

/* The known domain @id of @checker. */
static inline const rg_known *
rg_checker_known (const rg_checker *checker, uint32_t id)
{
  return &checker->set.known[id];
}

/*
 * rg_nearest_find_removed_dot:
 *
 * Fills @n->best with a known domain that is @n->d with one dot of its name part taken out
 * ("gmx.net" for "g.mx.net"), if any.
 */
void rg_nearest_find_removed_dot (rg_nearest *n);

/*
 * rg_nearest_fix_ending:
 * @out: receives the domain with its ending replaced, @size octets of room
 *
 * For a domain whose ending does not exist ("example.cmo"): the same domain with the ending
 * the user writes to that is one slip from it ("example.com"), the commonest slip first.
 *
 * Returns: whether there was one.
 */
bool rg_nearest_fix_ending (const rg_nearest *n, char *out, size_t size);

/*
 * rg_nearest_mark_twins:
 * @checker: a checker being built, its index complete
 *
 * Marks each weakly known domain one slip (or one in the name and one in the ending) from a
 * known domain with much stronger evidence as shadowed, so that checking it needs no search
 * unless it has such a twin.  Searches from the strong domains only: the identities, the
 * administrator's, the built-in providers and those written to ten times or more.
 */
void rg_nearest_mark_twins (rg_checker *checker);
