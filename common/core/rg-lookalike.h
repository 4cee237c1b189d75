/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-lookalike.h - TR39 skeletons and mixed scripts, through ICU's uspoof (internal).
 */
#pragma once

#include "rg-private.h"

#include <stdbool.h>

/* Opens the checker's spoof checker and fills its table of ASCII skeletons. */
rg_status rg_lookalike_init (rg_checker *checker);
void rg_lookalike_clear (rg_checker *checker);

/*
 * rg_skeleton:
 * @text: a domain's Unicode form, @len octets
 * @buffer: receives the NUL-terminated skeleton
 *
 * Pure ASCII text (nearly every domain) is mapped through the per-character table without
 * calling ICU, which keeps the index build of a million domains fast.
 *
 * Returns: the skeleton's length, or (size_t) -1 when it does not fit or ICU failed.
 */
size_t rg_skeleton (const rg_checker *checker, const char *text, size_t len, char *buffer,
                    size_t size);

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
