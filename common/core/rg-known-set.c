/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-known-set.c - the known domains of a config or checker, merged by name.
 */
#include "rg-private.h"

#include <stdlib.h>
#include <string.h>

uint32_t
rg_hash (const char *text, size_t len)
{
  return rg_hash_finish (rg_hash_feed (RG_HASH_BASIS, text, len));
}

static rg_status
grow_slots (rg_known_set *set)
{
  size_t n_slots = set->n_slots ? set->n_slots * 2 : 1024;
  uint32_t *slots = calloc (n_slots, sizeof *slots);

  if (slots == NULL)
    return RG_E_NOMEM;
  for (size_t i = 0; i < set->n; i++)
    {
      const char *name = rg_known_name (&set->arena, &set->known[i]);
      size_t slot = rg_hash (name, strlen (name)) & (n_slots - 1);

      while (slots[slot] != 0)
        slot = (slot + 1) & (n_slots - 1);
      slots[slot] = (uint32_t) i + 1;
    }
  free (set->slots);
  set->slots = slots;
  set->n_slots = n_slots;
  return RG_OK;
}

rg_status
rg_known_set_add (rg_known_set *set, size_t max, const char *name, size_t len,
                  uint32_t count, size_t reg_start, size_t suffix_start, rg_known **entry)
{
  size_t slot;
  uint32_t offset;
  rg_known *known;

  /* Keep the table at most half full so that probes stay short. */
  if ((set->n + 1) * 2 > set->n_slots && grow_slots (set) != RG_OK)
    return RG_E_NOMEM;
  slot = rg_hash (name, len) & (set->n_slots - 1);
  while (set->slots[slot] != 0)
    {
      known = &set->known[set->slots[slot] - 1];
      if (strncmp (rg_known_name (&set->arena, known), name, len) == 0
          && rg_known_name (&set->arena, known)[len] == '\0')
        {
          known->count = count > UINT32_MAX - known->count ? UINT32_MAX
                                                           : known->count + count;
          if (entry != NULL)
            *entry = known;
          return RG_OK;
        }
      slot = (slot + 1) & (set->n_slots - 1);
    }
  if (set->n >= max)
    return RG_E_TOO_MANY;
  if (set->n == set->allocated)
    {
      size_t allocated = set->allocated ? set->allocated * 2 : 256;
      rg_known *grown = realloc (set->known, allocated * sizeof *grown);

      if (grown == NULL)
        return RG_E_NOMEM;
      set->known = grown;
      set->allocated = allocated;
    }
  offset = rg_arena_add (&set->arena, name, len);
  if (offset == UINT32_MAX)
    return RG_E_NOMEM;
  known = &set->known[set->n];
  memset (known, 0, sizeof *known);
  known->name = offset;
  known->count = count;
  known->reg_start = (uint16_t) reg_start;
  known->suffix_start = (uint16_t) suffix_start;
  set->slots[slot] = (uint32_t) set->n + 1;
  set->n++;
  if (entry != NULL)
    *entry = known;
  return RG_OK;
}

rg_status
rg_known_set_copy (rg_known_set *dest, const rg_known_set *src)
{
  memset (dest, 0, sizeof *dest);
  if (src->n == 0)
    return RG_OK;
  dest->arena.data = malloc (src->arena.allocated);
  dest->known = malloc (src->allocated * sizeof *dest->known);
  dest->slots = malloc (src->n_slots * sizeof *dest->slots);
  if (dest->arena.data == NULL || dest->known == NULL || dest->slots == NULL)
    {
      rg_known_set_clear (dest);
      return RG_E_NOMEM;
    }
  memcpy (dest->arena.data, src->arena.data, src->arena.len);
  dest->arena.len = src->arena.len;
  dest->arena.allocated = src->arena.allocated;
  memcpy (dest->known, src->known, src->n * sizeof *dest->known);
  dest->n = src->n;
  dest->allocated = src->allocated;
  memcpy (dest->slots, src->slots, src->n_slots * sizeof *dest->slots);
  dest->n_slots = src->n_slots;
  return RG_OK;
}

void
rg_known_set_clear (rg_known_set *set)
{
  rg_arena_clear (&set->arena);
  free (set->known);
  free (set->slots);
  memset (set, 0, sizeof *set);
}

bool
rg_known_is_certain (const rg_known *known)
{
  return known->builtin || known->trusted
         || (known->sources & (RG_SOURCE_BIT (RG_SOURCE_IDENTITY)
                               | RG_SOURCE_BIT (RG_SOURCE_ADMIN))) != 0;
}

bool
rg_known_is_weak (const rg_known *known)
{
  if (rg_known_is_certain (known))
    return false;
  return known->sources == RG_SOURCE_BIT (RG_SOURCE_COLLECTED) || known->count <= 2;
}

/* Ten times the uses and at least five: a domain written to 214 times beside one written to
 * once is the rare twin's case; 60 beside 40 is two real correspondents. */
#define RG_OUTWEIGH_FACTOR 10u
#define RG_OUTWEIGH_MIN_COUNT 5u

bool
rg_known_outweighs (const rg_known *strong, const rg_known *weak)
{
  if (rg_known_is_certain (weak))
    return false;
  if (rg_known_is_certain (strong))
    return true;
  return strong->count >= RG_OUTWEIGH_MIN_COUNT
         && (uint64_t) strong->count >= (uint64_t) weak->count * RG_OUTWEIGH_FACTOR;
}
