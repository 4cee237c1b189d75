/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-edit.h - what single slip of the fingers turns one domain into another (internal).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
  RG_EDIT_OMISSION,      /* a character of the key is missing from the typed text */
  RG_EDIT_INSERTION,     /* the typed text has one character more */
  RG_EDIT_SUBSTITUTION,  /* one character differs */
  RG_EDIT_TRANSPOSITION, /* two neighbouring characters are swapped */
} rg_edit_kind;

typedef struct {
  rg_edit_kind kind;
  size_t key_offset;     /* octet offset in the key where the edit is */
  uint32_t typed_cp;     /* the character typed (insertion, substitution; transposition:
                            the first of the swapped pair as typed) */
  uint32_t key_cp;       /* the character expected (omission, substitution; transposition:
                            the first of the pair in the key) */
  bool repeated;         /* an insertion that repeats a neighbouring character */
  bool beside_neighbour; /* an insertion of a key next to the key of a neighbouring
                            character: a finger that touched two keys */
} rg_edit;

/*
 * rg_edit_find:
 * @typed: UTF-8, @typed_len octets; @key likewise
 *
 * Cost: O(typed_len + key_len).
 *
 * Returns: true when @typed is exactly one edit (Damerau: omission, insertion,
 * substitution or adjacent transposition) away from @key, with the edit in @out.
 */
bool rg_edit_find (const char *typed, size_t typed_len, const char *key, size_t key_len,
                   rg_edit *out);

/*
 * rg_edit_distance:
 * @a, @b: octet strings of at most RG_MAX_LABEL_OCTETS (one label)
 *
 * Cost: O(alen * blen), at most 63 * 63 steps.
 *
 * Returns: the optimal-string-alignment distance (omissions, insertions, substitutions and
 * adjacent transpositions, each counted once) when it is at most @max, else @max + 1.
 */
size_t rg_edit_distance (const char *a, size_t alen, const char *b, size_t blen, size_t max);

/* Whether two characters are neighbouring keys on a QWERTY or QWERTZ keyboard. */
bool rg_keys_adjacent (uint32_t a, uint32_t b);

bool rg_is_vowel (uint32_t c);
