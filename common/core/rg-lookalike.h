/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-lookalike.h - TR39 skeletons and mixed scripts, through ICU's uspoof (internal).
 */
#pragma once

#include "rg-private.h"

#include <stdbool.h>

/* Room for a skeleton of a domain: UTS 46 input of up to four octets a character, and each
 * letter expanded to two at most (rg_skeleton(), rg_visual_fold()). */
#define RG_MAX_SKELETON_OCTETS (2 * (RG_MAX_DOMAIN_OCTETS * 4 + 64))

/* Opens the checker's spoof checker and fills its table of ASCII skeletons. */
rg_status rg_lookalike_init (rg_checker *checker);
void rg_lookalike_clear (rg_checker *checker);

/*
 * rg_skeleton:
 * @text: a domain's Unicode form, @len octets, in any case
 * @buffer: receives the NUL-terminated loose skeleton: accents off, the TR39 skeleton in
 *   lower case ("paypaI.com", "dêl0itte.com" and "deloitte.com" look alike, and so do)
 *
 * Pure ASCII text (nearly every domain) is mapped through the per-character table without
 * calling ICU, which keeps the index build of a million domains fast.
 *
 * Returns: the skeleton's length, or (size_t) -1 when it does not fit or ICU failed.
 */
size_t rg_skeleton (const rg_checker *checker, const char *text, size_t len, char *buffer,
                    size_t size);

/*
 * rg_visual_fold:
 * @buffer: a skeleton from rg_skeleton() of @len octets, folded in place (@size octets of
 *   room)
 *
 * Folds the Latin letters that blur together in small type but that TR39 keeps apart (c and
 * e, i and l, q and g, u and v, b and d, rr and nn for m).
 *
 * Returns: the new length, or (size_t) -1 when it does not fit.
 */
size_t rg_visual_fold (char *buffer, size_t len, size_t size);

/*
 * rg_mixed_script:
 * @unicode: a valid domain's Unicode form
 * @label, @label_len: (out): the first label that mixes scripts
 * @scripts: (out): receives e.g. "Cyrillic and Latin"
 *
 * Returns: true when a label mixes scripts that no single-language writing system combines
 * (ICU's moderately restrictive level: Latin with Cyrillic or Greek, for instance).
 */
bool rg_mixed_script (const rg_checker *checker, const char *unicode, const char **label,
                      size_t *label_len, char *scripts, size_t scripts_size);
