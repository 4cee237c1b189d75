/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-index.c - the symmetric-deletion index of known domains.
 */
#include "rg-index.h"
#include "rg-lookalike.h"
#include "rg-normalize.h"
#include "rg-weigh.h"

#include <stdlib.h>
#include <string.h>

#define KIND_BITS 4
#define KIND_MASK ((1u << KIND_BITS) - 1)

struct rg_index {
  uint32_t *start;  /* n_buckets + 1 offsets into keys */
  uint64_t *keys;   /* hash << 32 | id << KIND_BITS | kind, grouped by bucket */
  uint32_t mask;
};

/* Calls @emit with the hash of @text and of each distinct one-deletion variant.  Deleting
 * either of two equal neighbours gives the same string, so only the first is emitted. */
#define FOR_EACH_VARIANT(text, len, hash, BODY)                               \
  do                                                                          \
    {                                                                         \
      uint32_t prefix_ = RG_HASH_BASIS;                                       \
      size_t i_ = 0;                                                          \
      uint32_t previous_ = 0;                                                 \
      hash = rg_hash_finish (rg_hash_feed (RG_HASH_BASIS, (text), (len)));    \
      BODY;                                                                   \
      while (i_ < (len))                                                      \
        {                                                                     \
          uint32_t cp_ = 0;                                                   \
          size_t n_ = rg_utf8_decode ((text) + i_, (len) - i_, &cp_);         \
          if (n_ == 0)                                                        \
            break;                                                            \
          if (i_ == 0 || cp_ != previous_)                                    \
            {                                                                 \
              hash = rg_hash_finish (rg_hash_feed (prefix_, (text) + i_ + n_, \
                                           (len) - i_ - n_));                 \
              BODY;                                                           \
            }                                                                 \
          prefix_ = rg_hash_feed (prefix_, (text) + i_, n_);                  \
          previous_ = cp_;                                                    \
          i_ += n_;                                                           \
        }                                                                     \
    }                                                                         \
  while (0)

size_t
rg_truncations (const char *reg, size_t suffix_start,
                char out[2][RG_MAX_DOMAIN_OCTETS * 4 + 1])
{
  const char *suffix = reg + suffix_start;
  const char *first_dot = strchr (suffix, '.');
  const char *last_dot = strrchr (suffix, '.');
  size_t len = strlen (reg);

  if (suffix_start == 0 || first_dot == NULL || len > RG_MAX_DOMAIN_OCTETS * 4)
    return 0;
  /* Without the last label: "hsbc.co.uk" -> "hsbc.co". */
  memcpy (out[0], reg, (size_t) (last_dot - reg));
  out[0][last_dot - reg] = '\0';
  /* Without the first label of the suffix: "hsbc.co.uk" -> "hsbc.uk". */
  memcpy (out[1], reg, suffix_start);
  memcpy (out[1] + suffix_start, first_dot + 1, len - (size_t) (first_dot + 1 - reg));
  out[1][suffix_start + len - (size_t) (first_dot + 1 - reg)] = '\0';
  return 2;
}

typedef struct {
  uint64_t *keys;   /* hash << 32 | value, in the order they were made */
  size_t n;
  size_t allocated;
} builder;

static inline void
add_key (builder *b, uint32_t hash, uint32_t id, rg_key_kind kind)
{
  if (b->n == b->allocated)
    return;
  b->keys[b->n++] = (uint64_t) hash << 32 | (id << KIND_BITS | (uint32_t) kind);
}

/* How many keys add_known() makes for a domain of @len octets, at most. */
static size_t
max_keys (size_t len)
{
  return 4 * (len + 1) + 11;
}

void
rg_piece_bounds (size_t name_len, unsigned piece, size_t *start, size_t *len)
{
  size_t from = name_len * piece / 3, to = name_len * (piece + 1) / 3;

  *start = from;
  *len = to - from;
}

uint32_t
rg_piece_hash (size_t name_len, unsigned piece, const char *text, size_t len,
               const char *suffix)
{
  char head[2] = { (char) name_len, (char) piece };
  uint32_t h = rg_hash_feed (RG_HASH_BASIS, head, sizeof head);

  h = rg_hash_feed (h, text, len);
  h = rg_hash_feed (h, ".", 1);
  return rg_hash_finish (rg_hash_feed (h, suffix, strlen (suffix)));
}

/* The public suffixes already given RG_KEY_SUFFIX keys, by hash.  Real sets have a few
 * hundred distinct suffixes; past half of this table (a set built to be strange) further
 * suffixes get no keys, which only costs two-slip suggestions towards them. */
#define SUFFIX_SLOTS 65536u

typedef struct {
  uint32_t *slots;   /* hash | 1, 0 = free */
  size_t n;
} suffix_seen;

static bool
first_suffix (suffix_seen *seen, const char *suffix)
{
  uint32_t h = rg_hash (suffix, strlen (suffix)) | 1u;
  size_t slot = h & (SUFFIX_SLOTS - 1);

  if (seen->slots == NULL || seen->n >= SUFFIX_SLOTS / 2)
    return false;
  while (seen->slots[slot] != 0)
    {
      if (seen->slots[slot] == h)
        return false;
      slot = (slot + 1) & (SUFFIX_SLOTS - 1);
    }
  seen->slots[slot] = h;
  seen->n++;
  return true;
}

/* Each third of a long name (ASCII), for two slips at once. */
static void
add_piece_keys (builder *b, uint32_t id, const char *reg, size_t suffix_start)
{
  size_t name_len = suffix_start > 0 ? suffix_start - 1 : 0;

  if (name_len < RG_PIECE_MIN_NAME || name_len > RG_MAX_LABEL_OCTETS)
    return;
  for (size_t i = 0; i < name_len; i++)
    if ((unsigned char) reg[i] >= 0x80)
      return;
  for (unsigned piece = 0; piece < 3; piece++)
    {
      size_t start, len;

      rg_piece_bounds (name_len, piece, &start, &len);
      add_key (b, rg_piece_hash (name_len, piece, reg + start, len, reg + suffix_start), id,
               RG_KEY_PIECE);
    }
}

/* The registrable domain without its hyphens, when it has some. */
static void
add_hyphen_key (builder *b, uint32_t id, const char *reg)
{
  char squashed[RG_MAX_DOMAIN_OCTETS * 4 + 1];
  size_t n = 0;

  if (strchr (reg, '-') == NULL || strlen (reg) >= sizeof squashed)
    return;
  for (const char *c = reg; *c != '\0'; c++)
    if (*c != '-')
      squashed[n++] = *c;
  add_key (b, rg_hash (squashed, n), id, RG_KEY_NOHYPHEN);
}

/* The skeleton of @text when it differs from @text, and, when @visual, its visual fold. */
static void
add_skeleton_keys (builder *b, const rg_checker *checker, uint32_t id, const char *text,
                   size_t len, bool visual, rg_key_kind strict_kind, rg_key_kind visual_kind)
{
  char skeleton[RG_MAX_SKELETON_OCTETS];
  size_t n = rg_skeleton (checker, text, len, skeleton, sizeof skeleton);

  if (n == (size_t) -1)
    return;
  if (n != len || memcmp (skeleton, text, len) != 0)
    add_key (b, rg_hash (skeleton, n), id, strict_kind);
  if (!visual)
    return;
  n = rg_visual_fold (skeleton, n, sizeof skeleton);
  if (n != (size_t) -1 && (n != len || memcmp (skeleton, text, len) != 0))
    add_key (b, rg_hash (skeleton, n), id, visual_kind);
}

static void
add_known (builder *b, suffix_seen *seen, const rg_checker *checker, uint32_t id)
{
  const rg_known *known = &checker->set.known[id];
  const char *name = rg_known_name (&checker->set.arena, known);
  size_t len = strlen (name);
  const char *reg = name + known->reg_start;
  size_t reg_len = len - known->reg_start;
  char truncated[2][RG_MAX_DOMAIN_OCTETS * 4 + 1];
  size_t n_truncated;
  uint32_t hash;
  bool visual;

  FOR_EACH_VARIANT (name, len, hash, add_key (b, hash, id, RG_KEY_FULL));
  if (known->reg_start > 0)
    FOR_EACH_VARIANT (reg, reg_len, hash, add_key (b, hash, id, RG_KEY_REG));

  n_truncated = rg_truncations (reg, known->suffix_start - known->reg_start, truncated);
  for (size_t i = 0; i < n_truncated; i++)
    add_key (b, rg_hash (truncated[i], strlen (truncated[i])), id, RG_KEY_TRUNC);
  if (known->suffix_start > 0 && first_suffix (seen, name + known->suffix_start))
    {
      const char *ending = name + known->suffix_start;

      FOR_EACH_VARIANT (ending, len - known->suffix_start, hash,
                        add_key (b, hash, id, RG_KEY_SUFFIX));
      for (size_t cut = 1; strchr (ending, '.') == NULL && cut < strlen (ending); cut++)
        add_key (b, rg_hash (ending, cut), id, RG_KEY_ENDING_START);
    }
  if (rg_weigh_can_warn (checker, known, RG_NEAR_TWO_SLIPS))
    add_piece_keys (b, id, reg, known->suffix_start - known->reg_start);
  add_hyphen_key (b, id, reg);

  if ((checker->flags & RG_CONFIG_CHECK_LOOKALIKES) == 0)
    return;
  visual = rg_weigh_can_warn (checker, known, RG_NEAR_LOOKALIKE);
  add_skeleton_keys (b, checker, id, name, len, visual, RG_KEY_SKEL, RG_KEY_VISUAL);
  if (known->reg_start > 0)
    add_skeleton_keys (b, checker, id, reg, reg_len, visual, RG_KEY_SKEL_REG,
                       RG_KEY_VISUAL_REG);
}

/*
 * Sorts the keys by bucket with a least-significant-digit radix sort, 8 bits a pass.  The
 * keys of a million domains do not fit in any cache; scattering them straight into their
 * buckets costs a cache miss each, while each radix pass reads and writes sequentially
 * (four times faster here at a million domains).
 */
static bool
sort_by_bucket (uint64_t *keys, size_t n, uint32_t mask)
{
  uint64_t *other = malloc ((n ? n : 1) * sizeof *other);
  uint64_t *from = keys, *to = other;
  unsigned bits = 0;

  if (other == NULL)
    return false;
  while ((mask >> bits) != 0)
    bits++;
  for (unsigned shift = 0; shift < bits; shift += 8)
    {
      size_t count[257] = { 0 };
      uint64_t *swap;

      for (size_t i = 0; i < n; i++)
        count[((from[i] >> 32 & mask) >> shift & 0xFF) + 1]++;
      for (int d = 1; d <= 256; d++)
        count[d] += count[d - 1];
      for (size_t i = 0; i < n; i++)
        to[count[(from[i] >> 32 & mask) >> shift & 0xFF]++] = from[i];
      swap = from;
      from = to;
      to = swap;
    }
  if (from != keys)
    memcpy (keys, from, n * sizeof *keys);
  free (other);
  return true;
}

rg_status
rg_index_build (const rg_checker *checker, rg_index **out)
{
  rg_index *index = calloc (1, sizeof *index);
  builder b = { 0 };
  suffix_seen seen = { 0 };
  size_t n_buckets = 1024;

  *out = NULL;
  if (index == NULL)
    return RG_E_NOMEM;
  for (size_t i = 0; i < checker->set.n; i++)
    b.allocated += max_keys (strlen (rg_known_name (&checker->set.arena,
                                                    &checker->set.known[i])));
  if (b.allocated >= UINT32_MAX)
    goto nomem;
  b.keys = malloc ((b.allocated ? b.allocated : 1) * sizeof *b.keys);
  if (b.keys == NULL)
    goto nomem;
  seen.slots = calloc (SUFFIX_SLOTS, sizeof *seen.slots);
  if (seen.slots == NULL)
    goto nomem;
  for (uint32_t id = 0; id < checker->set.n; id++)
    add_known (&b, &seen, checker, id);
  free (seen.slots);

  /* About two keys per bucket: short scans, and a bucket table a quarter the size of the
   * keys. */
  while (n_buckets < b.n / 2)
    n_buckets *= 2;
  index->mask = (uint32_t) (n_buckets - 1);
  index->start = calloc (n_buckets + 1, sizeof *index->start);
  if (index->start == NULL || !sort_by_bucket (b.keys, b.n, index->mask))
    goto nomem;
  for (size_t i = 0; i < b.n; i++)
    index->start[(b.keys[i] >> 32 & index->mask) + 1]++;
  for (size_t i = 1; i <= n_buckets; i++)
    index->start[i] += index->start[i - 1];
  /* Give back what max_keys() over-estimated. */
  index->keys = b.n > 0 ? realloc (b.keys, b.n * sizeof *b.keys) : b.keys;
  if (index->keys == NULL)
    index->keys = b.keys;
  *out = index;
  return RG_OK;

nomem:
  free (b.keys);
  rg_index_free (index);
  return RG_E_NOMEM;
}

void
rg_index_free (rg_index *index)
{
  if (index == NULL)
    return;
  free (index->start);
  free (index->keys);
  free (index);
}

size_t
rg_index_lookup_hash (const rg_index *index, uint32_t hash, unsigned kinds, rg_hit *hits,
                      size_t n_hits, size_t max)
{
  uint32_t bucket = hash & index->mask;

  for (uint32_t j = index->start[bucket]; j < index->start[bucket + 1]; j++)
    {
      rg_hit hit;
      bool seen = false;

      uint32_t value = (uint32_t) index->keys[j];

      if ((uint32_t) (index->keys[j] >> 32) != hash || (kinds & (1u << (value & KIND_MASK))) == 0)
        continue;
      hit.id = value >> KIND_BITS;
      hit.kind = (rg_key_kind) (value & KIND_MASK);
      for (size_t k = 0; k < n_hits && !seen; k++)
        seen = hits[k].id == hit.id && hits[k].kind == hit.kind;
      if (seen)
        continue;
      if (n_hits == max)
        return n_hits;
      hits[n_hits++] = hit;
    }
  return n_hits;
}

size_t
rg_index_lookup (const rg_index *index, const char *text, size_t len, bool deletions,
                 unsigned kinds, rg_hit *hits, size_t n_hits, size_t max)
{
  uint32_t hash;

  if (!deletions)
    return rg_index_lookup_hash (index, rg_hash (text, len), kinds, hits, n_hits, max);
  FOR_EACH_VARIANT (text, len, hash,
                    n_hits = rg_index_lookup_hash (index, hash, kinds, hits, n_hits, max));
  return n_hits;
}
