/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-edit.c - one edit between two domains, found in linear time and named.
 */
#include "rg-edit.h"
#include "rg-normalize.h"
#include "rcptguard.h"

#include <string.h>

/* Domains are at most 253 octets in ASCII; their Unicode form is longer, but never more code
 * points than this.  Longer text is simply not one edit away from anything we index. */
#define RG_MAX_EDIT_CODE_POINTS 1024

typedef struct {
  uint32_t cp[RG_MAX_EDIT_CODE_POINTS];
  uint16_t offset[RG_MAX_EDIT_CODE_POINTS + 1];
  size_t n;
} decoded;

static bool
decode (const char *s, size_t len, decoded *out)
{
  size_t i = 0;

  out->n = 0;
  while (i < len)
    {
      size_t n;

      if (out->n == RG_MAX_EDIT_CODE_POINTS)
        return false;
      n = rg_utf8_decode (s + i, len - i, &out->cp[out->n]);
      if (n == 0)
        return false;
      out->offset[out->n++] = (uint16_t) i;
      i += n;
    }
  out->offset[out->n] = (uint16_t) i;
  return true;
}

static bool
same_tail (const decoded *a, size_t ia, const decoded *b, size_t ib)
{
  if (a->n - ia != b->n - ib)
    return false;
  return memcmp (a->cp + ia, b->cp + ib, (a->n - ia) * sizeof (uint32_t)) == 0;
}

bool
rg_edit_find (const char *typed, size_t typed_len, const char *key, size_t key_len,
              rg_edit *out)
{
  /* Two decoded buffers of 8 KiB each live on the caller's thread's stack only briefly. */
  decoded t, k;
  size_t i = 0;

  if (typed_len > RG_MAX_EDIT_CODE_POINTS * 4 || key_len > RG_MAX_EDIT_CODE_POINTS * 4)
    return false;
  if (!decode (typed, typed_len, &t) || !decode (key, key_len, &k))
    return false;
  while (i < t.n && i < k.n && t.cp[i] == k.cp[i])
    i++;
  memset (out, 0, sizeof *out);
  if (t.n == k.n)
    {
      if (i == t.n)
        return false;
      out->key_offset = k.offset[i];
      if (same_tail (&t, i + 1, &k, i + 1))
        {
          out->kind = RG_EDIT_SUBSTITUTION;
          out->typed_cp = t.cp[i];
          out->key_cp = k.cp[i];
          return true;
        }
      if (i + 1 < t.n && t.cp[i] == k.cp[i + 1] && t.cp[i + 1] == k.cp[i]
          && same_tail (&t, i + 2, &k, i + 2))
        {
          out->kind = RG_EDIT_TRANSPOSITION;
          out->typed_cp = t.cp[i];
          out->key_cp = k.cp[i];
          return true;
        }
      return false;
    }
  if (t.n == k.n + 1 && same_tail (&t, i + 1, &k, i))
    {
      out->kind = RG_EDIT_INSERTION;
      out->key_offset = k.offset[i];
      out->typed_cp = t.cp[i];
      out->repeated = (i > 0 && t.cp[i - 1] == t.cp[i]) || (i + 1 < t.n && t.cp[i + 1] == t.cp[i]);
      out->beside_neighbour = (i > 0 && rg_keys_adjacent (t.cp[i], t.cp[i - 1]))
                              || (i + 1 < t.n && rg_keys_adjacent (t.cp[i], t.cp[i + 1]));
      return true;
    }
  if (t.n + 1 == k.n && same_tail (&t, i, &k, i + 1))
    {
      out->kind = RG_EDIT_OMISSION;
      out->key_offset = k.offset[i];
      out->key_cp = k.cp[i];
      return true;
    }
  return false;
}

size_t
rg_edit_distance (const char *a, size_t alen, const char *b, size_t blen, size_t max)
{
  size_t rows[3][RG_MAX_LABEL_OCTETS + 2];
  size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];

  if (alen > RG_MAX_LABEL_OCTETS || blen > RG_MAX_LABEL_OCTETS
      || (alen > blen ? alen - blen : blen - alen) > max)
    return max + 1;
  for (size_t j = 0; j <= blen; j++)
    prev[j] = j;
  for (size_t i = 1; i <= alen; i++)
    {
      size_t row_min;

      cur[0] = i;
      row_min = i;
      /* Cells further than @max from the diagonal cost more than @max. */
      for (size_t j = 1; j <= blen; j++)
        {
          if ((i > j ? i - j : j - i) > max)
            {
              cur[j] = max + 1;
              continue;
            }
          size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
          size_t best = prev[j - 1] + cost;

          if (prev[j] + 1 < best)
            best = prev[j] + 1;
          if (cur[j - 1] + 1 < best)
            best = cur[j - 1] + 1;
          if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]
              && prev2[j - 2] + 1 < best)
            best = prev2[j - 2] + 1;
          cur[j] = best;
          if (best < row_min)
            row_min = best;
        }
      if (row_min > max)
        return max + 1;
      {
        size_t *t = prev2;

        prev2 = prev;
        prev = cur;
        cur = t;
      }
    }
  return prev[blen] > max ? max + 1 : prev[blen];
}

/* The rows of a QWERTY keyboard; QWERTZ swaps y and z.  Each row is shifted a little right
 * of the one above, so a key touches the keys above it at the same and the next column, and
 * those below it at the previous and the same column. */
static const char *const qwerty_rows[] = { "1234567890-", "qwertyuiop", "asdfghjkl", "zxcvbnm" };
static const char *const qwertz_rows[] = { "1234567890-", "qwertzuiop", "asdfghjkl", "yxcvbnm" };

static bool
find_key (const char *const rows[4], uint32_t c, int *row, int *col)
{
  for (int r = 0; r < 4; r++)
    for (int i = 0; rows[r][i] != '\0'; i++)
      if ((uint32_t) (unsigned char) rows[r][i] == c)
        {
          *row = r;
          *col = i;
          return true;
        }
  return false;
}

static bool
adjacent_in (const char *const rows[4], uint32_t a, uint32_t b)
{
  int ra, ca, rb, cb;

  if (!find_key (rows, a, &ra, &ca) || !find_key (rows, b, &rb, &cb))
    return false;
  if (ra == rb)
    return ca - cb == 1 || cb - ca == 1;
  if (rb == ra - 1)
    return cb == ca || cb == ca + 1;
  if (rb == ra + 1)
    return cb == ca - 1 || cb == ca;
  return false;
}

bool
rg_keys_adjacent (uint32_t a, uint32_t b)
{
  return adjacent_in (qwerty_rows, a, b) || adjacent_in (qwertz_rows, a, b);
}

bool
rg_is_vowel (uint32_t c)
{
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}
