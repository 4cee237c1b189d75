/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-nearest.c - from a recipient's domain to the known domain it most likely meant.
 *
 * Each kind of slip has its own look-up in the index (rg-index.h): one edit of the whole
 * domain or of its registrable part, a truncated ending, a lookalike, an ending added, hyphens
 * added or dropped, and two slips at once (one in the name and one in the ending, or two in a
 * long name).  Every look-up proposes at most RG_MAX_CANDIDATES known domains, each verified
 * here and ranked by consider().
 */
#include "rg-nearest.h"

#include "rg-index.h"
#include "rg-lookalike.h"

#include <string.h>

static const char *
known_name (const rg_checker *checker, uint32_t id)
{
  return rg_known_name (&checker->set.arena, rg_checker_known (checker, id));
}

static bool
is_reg_kind (rg_key_kind kind)
{
  return kind == RG_KEY_REG || kind == RG_KEY_SKEL_REG || kind == RG_KEY_VISUAL_REG
         || kind == RG_KEY_TRUNC || kind == RG_KEY_PIECE || kind == RG_KEY_NOHYPHEN;
}

/* The text a key of @kind stands for: the known domain, or its registrable domain. */
static const char *
known_key (const rg_checker *checker, uint32_t id, rg_key_kind kind)
{
  const rg_known *k = rg_checker_known (checker, id);

  return known_name (checker, id) + (is_reg_kind (kind) ? k->reg_start : 0);
}

static size_t
key_suffix_start (const rg_checker *checker, uint32_t id, rg_key_kind kind)
{
  const rg_known *k = rg_checker_known (checker, id);

  return (size_t) (k->suffix_start - (is_reg_kind (kind) ? k->reg_start : 0));
}

/* Octets of the name label of @d: "army" in "hr.army.mil". */
static size_t
name_octets (const rg_domain *d)
{
  return d->suffix_start > d->reg_start ? d->suffix_start - 1 - d->reg_start : 0;
}

size_t
rg_name_code_points (const char *domain, size_t reg_start, size_t suffix_start)
{
  size_t n = 0;

  for (size_t i = reg_start; i + 1 < suffix_start; i++)
    if (((unsigned char) domain[i] & 0xC0) != 0x80)
      n++;
  return n;
}

/* Names the slip of one edit from @key to the typed text. */
static rg_reason
classify_edit (size_t suffix_start, const rg_edit *e)
{
  if (e->typed_cp == '.' || e->key_cp == '.')
    {
      if (e->kind == RG_EDIT_TRANSPOSITION)
        return RG_REASON_MOVED_DOT;
      if (e->kind == RG_EDIT_INSERTION || (e->kind == RG_EDIT_SUBSTITUTION
                                           && e->typed_cp == '.'))
        return RG_REASON_EXTRA_DOT;
      return RG_REASON_MISSING_DOT;
    }
  if (e->typed_cp == '-' || e->key_cp == '-')
    return RG_REASON_TYPO_HYPHEN;
  if (e->key_offset >= suffix_start && suffix_start > 0)
    return RG_REASON_TLD_SWAP;
  switch (e->kind)
    {
    case RG_EDIT_OMISSION:
      return RG_REASON_TYPO_OMISSION;
    case RG_EDIT_INSERTION:
      return e->repeated ? RG_REASON_TYPO_REPETITION : RG_REASON_TYPO_INSERTION;
    case RG_EDIT_TRANSPOSITION:
      return RG_REASON_TYPO_TRANSPOSITION;
    case RG_EDIT_SUBSTITUTION:
    default:
      if (rg_keys_adjacent (e->typed_cp, e->key_cp))
        return RG_REASON_TYPO_ADJACENT_KEY;
      if (rg_is_vowel (e->typed_cp) && rg_is_vowel (e->key_cp))
        return RG_REASON_TYPO_VOWEL_SWAP;
      return RG_REASON_TYPO_SUBSTITUTION;
    }
}

/* How common a slip is: swapping, dropping or doubling a letter first, a neighbouring key
 * next, anything else last.  ("yahoo.co" is closer to "yahoo.com" than to "yahoo.ca".) */
static int
rank_of (const rg_edit *e)
{
  if (e->typed_cp == '.' || e->key_cp == '.' || e->typed_cp == '-' || e->key_cp == '-')
    return 0;
  switch (e->kind)
    {
    case RG_EDIT_OMISSION:
    case RG_EDIT_TRANSPOSITION:
      return 0;
    case RG_EDIT_INSERTION:
      return e->repeated ? 0 : e->beside_neighbour ? 1 : 2;
    case RG_EDIT_SUBSTITUTION:
    default:
      return rg_keys_adjacent (e->typed_cp, e->key_cp) ? 1 : 2;
    }
}

static int
edit_rank (const rg_candidate *c)
{
  if (c->near == RG_NEAR_TWO_SLIPS && c->has_edit2)
    return rank_of (&c->edit) + rank_of (&c->edit2);
  if (c->near != RG_NEAR_ONE_SLIP)
    return 0;
  return rank_of (&c->edit);
}

/* How close a candidate is, closest first: a lookalike in small type explains "1bm.com" for
 * "ibm.com" better than a letter changed for one that is no neighbour. */
static int
closeness (const rg_candidate *c)
{
  if (c->near == RG_NEAR_ONE_SLIP && edit_rank (c) == 2)
    return 2 * RG_NEAR_LOOKALIKE + 1;
  return 2 * (int) c->near;
}

/* The name label and the public suffix of the known domain @id's registrable domain. */
static void
split_reg (const rg_checker *checker, uint32_t id, const char **name, size_t *name_len,
           const char **suffix)
{
  const rg_known *k = rg_checker_known (checker, id);
  const char *text = known_name (checker, id);

  *name = text + k->reg_start;
  *name_len = k->suffix_start > k->reg_start ? k->suffix_start - 1u - k->reg_start : 0;
  *suffix = text + k->suffix_start;
}

/* Whether two known domains are twins: one slip apart in their registrable domains, or one
 * in the name and one in the ending ("army.ml" and "army.mil", "zorkbank.com" and
 * "zorkbunk.com").  Only a twin's stronger evidence overrules a closer match. */
static bool
are_twins (const rg_checker *checker, uint32_t a, uint32_t b)
{
  const char *name_a, *name_b, *suffix_a, *suffix_b;
  size_t len_a, len_b;
  rg_edit e;

  split_reg (checker, a, &name_a, &len_a, &suffix_a);
  split_reg (checker, b, &name_b, &len_b, &suffix_b);
  if (rg_edit_find (name_a, strlen (name_a), name_b, strlen (name_b), &e))
    return true;
  return (len_a == len_b && memcmp (name_a, name_b, len_a) == 0)
         || (rg_edit_find (name_a, len_a, name_b, len_b, &e)
             && rg_edit_find (suffix_a, strlen (suffix_a), suffix_b, strlen (suffix_b), &e));
}

/* -1 when @a is to be preferred to @b, 1 when @b is, 0 when neither. */
static int
compare (const rg_checker *checker, const rg_candidate *a, const rg_candidate *b)
{
  const rg_known *ka = rg_checker_known (checker, a->id);
  const rg_known *kb = rg_checker_known (checker, b->id);
  int order;

  /* A suggestion never points at a weakly known domain when its much stronger twin is
   * near too. */
  if (rg_known_is_weak (kb) && rg_known_outweighs (ka, kb) && are_twins (checker, a->id, b->id))
    return -1;
  if (rg_known_is_weak (ka) && rg_known_outweighs (kb, ka) && are_twins (checker, a->id, b->id))
    return 1;
  if (closeness (a) != closeness (b))
    return closeness (a) < closeness (b) ? -1 : 1;
  if (a->level != b->level)
    return a->level < b->level ? -1 : 1;
  if (edit_rank (a) != edit_rank (b))
    return edit_rank (a) < edit_rank (b) ? -1 : 1;
  if (ka->count != kb->count)
    return ka->count > kb->count ? -1 : 1;
  order = strcmp (a->suggestion, b->suggestion);
  return order < 0 ? -1 : order > 0 ? 1 : 0;
}

/* Keeps @c when it is to be preferred to the best so far. */
static void
consider (rg_nearest *n, rg_candidate *c)
{
  const rg_checker *checker = n->checker;

  if (n->shadowing != NULL)
    {
      /* The index is read-only once built; marking happens while the checker is built. */
      rg_known *k = (rg_known *) rg_checker_known (checker, c->id);

      if (rg_known_is_weak (k) && rg_known_outweighs (n->shadowing, k))
        k->shadowed = 1;
      return;
    }
  if (n->weaker_than != NULL
      && !rg_known_outweighs (rg_checker_known (checker, c->id), n->weaker_than))
    return;
  c->found = true;
  c->name_len = rg_name_code_points (known_name (checker, c->id),
                                     rg_checker_known (checker, c->id)->reg_start,
                                     rg_checker_known (checker, c->id)->suffix_start);
  if (!n->best.found || compare (checker, c, &n->best) < 0)
    n->best = *c;
}

/* The suggested domain: @key, under the subdomains of the recipient's domain when the query
 * was its registrable domain. */
static bool
make_suggestion (const rg_nearest *n, bool registrable_query, const char *key, rg_candidate *c)
{
  size_t prefix = registrable_query ? n->d->reg_start : 0;
  size_t len = strlen (key);

  if (prefix + len >= sizeof c->suggestion)
    return false;
  memcpy (c->suggestion, n->d->unicode, prefix);
  memcpy (c->suggestion + prefix, key, len + 1);
  return true;
}

/* One-edit neighbours of @query (the domain, or its registrable domain). */
static void
find_edits (rg_nearest *n, const char *query, bool registrable_query)
{
  const rg_checker *checker = n->checker;
  rg_hit hits[RG_MAX_CANDIDATES];
  size_t n_hits = rg_index_lookup (checker->index, query, strlen (query), true,
                                   RG_KEYS (RG_KEY_FULL) | RG_KEYS (RG_KEY_REG), hits, 0,
                                   RG_MAX_CANDIDATES);

  for (size_t i = 0; i < n_hits; i++)
    {
      const char *key = known_key (checker, hits[i].id, hits[i].kind);
      size_t suffix = key_suffix_start (checker, hits[i].id, hits[i].kind);
      rg_candidate c = { 0 };

      if (!rg_edit_find (query, strlen (query), key, strlen (key), &c.edit)
          || !make_suggestion (n, registrable_query, key, &c))
        continue;
      c.reason = classify_edit (suffix, &c.edit);
      c.near = RG_NEAR_ONE_SLIP;
      c.level = registrable_query || hits[i].kind != RG_KEY_FULL;
      c.id = hits[i].id;
      c.key_suffix = (registrable_query ? n->d->reg_start : 0) + suffix;
      c.typed_suffix = n->d->suffix_start;
      consider (n, &c);
    }
}

/* "hsbc.co" or "hsbc.uk" for a known "hsbc.co.uk". */
static void
find_truncations (rg_nearest *n)
{
  const rg_checker *checker = n->checker;
  const char *query = n->d->unicode + n->d->reg_start;
  rg_hit hits[RG_MAX_CANDIDATES];
  size_t n_hits = rg_index_lookup (checker->index, query, strlen (query), false,
                                   RG_KEYS (RG_KEY_TRUNC), hits, 0, RG_MAX_CANDIDATES);

  for (size_t i = 0; i < n_hits; i++)
    {
      char truncated[2][RG_MAX_DOMAIN_OCTETS * 4 + 1];
      const char *reg = known_key (checker, hits[i].id, RG_KEY_TRUNC);
      size_t suffix = key_suffix_start (checker, hits[i].id, RG_KEY_TRUNC);
      size_t n_truncated = rg_truncations (reg, suffix, truncated);
      rg_candidate c = { 0 };

      for (size_t j = 0; j < n_truncated; j++)
        {
          if (strcmp (truncated[j], query) != 0 || !make_suggestion (n, true, reg, &c))
            continue;
          c.reason = RG_REASON_TRUNCATED_SUFFIX;
          c.near = RG_NEAR_TRUNCATED;
              c.level = true;
          c.id = hits[i].id;
          c.typed_suffix = n->d->suffix_start;
          c.key_suffix = n->d->reg_start + suffix;
          consider (n, &c);
        }
    }
}

/* Known domains that look the same as @query (written as typed, capitals kept): the same
 * loose skeleton (rg_skeleton()), or, a weaker sign, the same skeleton once the letters that
 * blur in small type are folded (rg_visual_fold()). */
static void
find_confusables (rg_nearest *n, const char *query, bool registrable_query)
{
  const rg_checker *checker = n->checker;
  char skeleton[RG_MAX_SKELETON_OCTETS], visual[RG_MAX_SKELETON_OCTETS];
  char other[RG_MAX_SKELETON_OCTETS];
  rg_hit hits[RG_MAX_CANDIDATES];
  size_t len = rg_skeleton (checker, query, strlen (query), skeleton, sizeof skeleton);
  const char *lower = n->d->unicode + (registrable_query ? n->d->reg_start : 0);
  size_t visual_len, n_hits;

  if (len == (size_t) -1)
    return;
  memcpy (visual, skeleton, len + 1);
  visual_len = rg_visual_fold (visual, len, sizeof visual);
  n_hits = rg_index_lookup (checker->index, skeleton, len, false,
                            RG_KEYS (RG_KEY_SKEL) | RG_KEYS (RG_KEY_SKEL_REG)
                            | RG_KEYS (RG_KEY_FULL) | RG_KEYS (RG_KEY_REG), hits, 0,
                            RG_MAX_CANDIDATES);
  if (visual_len != (size_t) -1)
    n_hits = rg_index_lookup (checker->index, visual, visual_len, false,
                              RG_KEYS (RG_KEY_VISUAL) | RG_KEYS (RG_KEY_VISUAL_REG)
                              | RG_KEYS (RG_KEY_FULL) | RG_KEYS (RG_KEY_REG), hits, n_hits,
                              RG_MAX_CANDIDATES);
  for (size_t i = 0; i < n_hits; i++)
    {
      const char *key = known_key (checker, hits[i].id, hits[i].kind);
      size_t other_len;
      rg_candidate c = { 0 };

      if (strcmp (key, lower) == 0)
        continue;
      other_len = rg_skeleton (checker, key, strlen (key), other, sizeof other);
      if (other_len == (size_t) -1)
        continue;
      if (other_len == len && memcmp (other, skeleton, len) == 0)
        c.near = RG_NEAR_CONFUSABLE;
      else if (visual_len != (size_t) -1
               && rg_visual_fold (other, other_len, sizeof other) == visual_len
               && memcmp (other, visual, visual_len) == 0)
        c.near = RG_NEAR_LOOKALIKE;
      else
        continue;
      if (!make_suggestion (n, registrable_query, key, &c))
        continue;
      c.reason = RG_REASON_CONFUSABLE;
      c.level = registrable_query || hits[i].kind == RG_KEY_REG
                || hits[i].kind == RG_KEY_SKEL_REG || hits[i].kind == RG_KEY_VISUAL_REG;
      c.id = hits[i].id;
      consider (n, &c);
    }
}

/* Whether @text (@len octets) is exactly a known domain; its id in @id. */
static bool
lookup_exact (const rg_nearest *n, const char *text, size_t len, uint32_t *id)
{
  rg_hit hits[RG_MAX_CANDIDATES];
  size_t n_hits = rg_index_lookup (n->checker->index, text, len, false,
                                   RG_KEYS (RG_KEY_FULL), hits, 0, RG_MAX_CANDIDATES);

  for (size_t i = 0; i < n_hits; i++)
    {
      const char *key = known_name (n->checker, hits[i].id);

      if (strlen (key) == len && memcmp (key, text, len) == 0)
        {
          *id = hits[i].id;
          return true;
        }
    }
  return false;
}

static void
consider_ending (rg_nearest *n, uint32_t id, const char *suggestion)
{
  rg_candidate c = { 0 };
  size_t len = strlen (suggestion);

  if (len >= sizeof c.suggestion)
    return;
  memcpy (c.suggestion, suggestion, len + 1);
  c.reason = RG_REASON_EXTRA_ENDING;
  c.near = RG_NEAR_ONE_SLIP;
  c.level = false;
  c.id = id;
  c.typed_suffix = n->d->suffix_start;
  c.key_suffix = n->d->suffix_start;
  consider (n, &c);
}

/* The longest ending that a dropped dot can have glued to a name ("gmailcom"): two-letter
 * country codes, "com", "info"; a longer tail is taken for part of the name. */
#define RG_MAX_GLUED_SUFFIX 4

/* An ending added to a known domain: "gmail.com.com", "army.mil.ml", and with the dot before
 * it dropped, "gmailcom.com". */
static void
find_extra_endings (rg_nearest *n)
{
  const rg_domain *d = n->d;
  const char *name = d->unicode + d->reg_start;
  size_t name_len = name_octets (d);
  char glued[RG_MAX_SUGGESTION_OCTETS];
  uint32_t id;

  /* The domain without its ending, or one of its parents, is known: "hq.army.mil.ml".  A
   * single label is never a known domain. */
  for (size_t start = 0; start + 1 < d->suffix_start && d->reg_start > 0;)
    {
      const char *dot = memchr (d->unicode + start, '.', d->suffix_start - 1 - start);

      if (lookup_exact (n, d->unicode + start, d->suffix_start - 1 - start, &id))
        {
          memcpy (glued, d->unicode, d->suffix_start - 1);
          glued[d->suffix_start - 1] = '\0';
          consider_ending (n, id, glued);
          break;
        }
      if (dot == NULL)
        break;
      start = (size_t) (dot - d->unicode) + 1;
    }
  if (d->reg_start + name_len + 2 >= sizeof glued)
    return;
  for (size_t k = 2; k <= RG_MAX_GLUED_SUFFIX && k + 2 <= name_len; k++)
    {
      size_t head = name_len - k;
      char tail[RG_MAX_GLUED_SUFFIX + 1];

      memcpy (tail, name + head, k);
      tail[k] = '\0';
      /* The subdomains, the name's head, a dot, the glued ending: a known domain only if
       * the tail is an ending, so no look-up of the Public Suffix List is needed. */
      memcpy (glued, d->unicode, d->reg_start + head);
      glued[d->reg_start + head] = '.';
      memcpy (glued + d->reg_start + head + 1, tail, k + 1);
      if (lookup_exact (n, glued + d->reg_start, head + 1 + k, &id))
        consider_ending (n, id, glued);
    }
}

/* An ending that does not exist cut from one the user writes to: "gmail.c" for "gmail.com". */
static void
find_cut_endings (rg_nearest *n)
{
  const rg_checker *checker = n->checker;
  const rg_domain *d = n->d;
  const char *suffix = d->unicode + d->suffix_start;
  rg_hit endings[RG_MAX_CANDIDATES];
  size_t n_endings = rg_index_lookup (checker->index, suffix, strlen (suffix), false,
                                      RG_KEYS (RG_KEY_ENDING_START), endings, 0,
                                      RG_MAX_CANDIDATES);

  for (size_t i = 0; i < n_endings; i++)
    {
      const rg_known *k = rg_checker_known (checker, endings[i].id);
      const char *ending = known_name (checker, endings[i].id) + k->suffix_start;
      rg_candidate c = { 0 };
      uint32_t id;

      if (strncmp (ending, suffix, strlen (suffix)) != 0
          || d->suffix_start + strlen (ending) >= sizeof c.suggestion)
        continue;
      memcpy (c.suggestion, d->unicode, d->suffix_start);
      memcpy (c.suggestion + d->suffix_start, ending, strlen (ending) + 1);
      if (!lookup_exact (n, c.suggestion, strlen (c.suggestion), &id))
        continue;
      c.reason = RG_REASON_TRUNCATED_SUFFIX;
      c.near = RG_NEAR_TRUNCATED;
      c.id = id;
      c.typed_suffix = d->suffix_start;
      c.key_suffix = d->suffix_start;
      consider (n, &c);
    }
}

/* @text without its hyphens into @out (at least as large). */
static size_t
squash_hyphens (const char *text, char *out)
{
  size_t n = 0;

  for (; *text != '\0'; text++)
    if (*text != '-')
      out[n++] = *text;
  out[n] = '\0';
  return n;
}

/* Hyphens added or dropped, however many: "emailprovider.de" for "e-mail-provider.de". */
static void
find_hyphens (rg_nearest *n)
{
  const rg_checker *checker = n->checker;
  const char *reg = n->d->unicode + n->d->reg_start;
  char squashed[RG_MAX_SUGGESTION_OCTETS], other[RG_MAX_SUGGESTION_OCTETS];
  rg_hit hits[RG_MAX_CANDIDATES];
  size_t len, n_hits;

  if (strlen (reg) >= sizeof squashed)
    return;
  len = squash_hyphens (reg, squashed);
  n_hits = rg_index_lookup (checker->index, squashed, len, false,
                            RG_KEYS (RG_KEY_NOHYPHEN) | RG_KEYS (RG_KEY_REG)
                            | RG_KEYS (RG_KEY_FULL), hits, 0, RG_MAX_CANDIDATES);
  for (size_t i = 0; i < n_hits; i++)
    {
      const rg_known *k = rg_checker_known (checker, hits[i].id);
      const char *key = known_name (checker, hits[i].id) + k->reg_start;
      rg_candidate c = { 0 };

      if (strcmp (key, reg) == 0 || strlen (key) >= sizeof other
          || squash_hyphens (key, other) != len || strcmp (other, squashed) != 0
          || !make_suggestion (n, true, key, &c))
        continue;
      c.reason = RG_REASON_TYPO_HYPHEN;
      c.near = RG_NEAR_ONE_SLIP;
      c.edit.kind = strlen (key) > strlen (reg) ? RG_EDIT_OMISSION : RG_EDIT_INSERTION;
      c.edit.typed_cp = c.edit.key_cp = '-';
      c.level = true;
      c.id = hits[i].id;
      consider (n, &c);
    }
}

/* Whether a known domain has the public suffix of @n's domain. */
static bool
is_known_ending (const rg_nearest *n)
{
  const char *suffix = n->d->unicode + n->d->suffix_start;
  rg_hit hits[RG_MAX_CANDIDATES];
  size_t n_hits = rg_index_lookup (n->checker->index, suffix, strlen (suffix), false,
                                   RG_KEYS (RG_KEY_SUFFIX), hits, 0, RG_MAX_CANDIDATES);

  for (size_t i = 0; i < n_hits; i++)
    {
      const rg_known *k = rg_checker_known (n->checker, hits[i].id);

      if (strcmp (known_name (n->checker, hits[i].id) + k->suffix_start, suffix) == 0)
        return true;
    }
  return false;
}

/* A slip in the name and one in the ending at once: "arym.ml" for "army.mil".  The endings
 * the user writes to within one edit of the typed one are looked up first (few), then the
 * name under each of them. */
static void
find_name_and_ending (rg_nearest *n)
{
  const rg_checker *checker = n->checker;
  const rg_domain *d = n->d;
  const char *reg = d->unicode + d->reg_start;
  const char *suffix = d->unicode + d->suffix_start;
  size_t name_len = name_octets (d);
  rg_hit endings[RG_MAX_CANDIDATES];
  size_t n_endings;

  if (name_len == 0)
    return;
  n_endings = rg_index_lookup (checker->index, suffix, strlen (suffix), true,
                               RG_KEYS (RG_KEY_SUFFIX), endings, 0, RG_MAX_CANDIDATES);
  for (size_t i = 0; i < n_endings; i++)
    {
      const rg_known *k = rg_checker_known (checker, endings[i].id);
      const char *ending = known_name (checker, endings[i].id) + k->suffix_start;
      char query[RG_MAX_SUGGESTION_OCTETS];
      rg_hit hits[RG_MAX_CANDIDATES];
      rg_edit ending_edit;
      size_t query_len, n_hits;

      /* Two slips at once are plausible only when the one in the ending is a common one. */
      if (!rg_edit_find (suffix, strlen (suffix), ending, strlen (ending), &ending_edit)
          || rank_of (&ending_edit) > 1 || name_len + 1 + strlen (ending) >= sizeof query)
        continue;
      memcpy (query, reg, name_len + 1);
      memcpy (query + name_len + 1, ending, strlen (ending) + 1);
      query_len = strlen (query);
      n_hits = rg_index_lookup (checker->index, query, query_len, true,
                                RG_KEYS (RG_KEY_FULL) | RG_KEYS (RG_KEY_REG), hits, 0,
                                RG_MAX_CANDIDATES);
      for (size_t j = 0; j < n_hits; j++)
        {
          const char *key = known_key (checker, hits[j].id, hits[j].kind);
          size_t key_suffix = key_suffix_start (checker, hits[j].id, hits[j].kind);
          rg_candidate c = { 0 };

          if (!rg_edit_find (query, query_len, key, strlen (key), &c.edit)
              || key_suffix == 0 || c.edit.key_offset >= key_suffix
              || c.edit.typed_cp == '.' || c.edit.key_cp == '.'
              || !make_suggestion (n, true, key, &c))
            continue;
          c.edit2 = ending_edit;
          c.has_edit2 = true;
          c.reason = RG_REASON_COMPOUND;
          c.near = RG_NEAR_TWO_SLIPS;
          c.level = true;
          c.id = hits[j].id;
          c.typed_suffix = d->suffix_start;
          c.key_suffix = d->reg_start + key_suffix;
          consider (n, &c);
        }
    }
}

/* Two slips in a long name under the same ending: "microsfot.com" can have kept only one
 * of the name's thirds as it was, so each third of the typed name is looked up for each
 * length the name meant can have. */
static void
find_two_in_name (rg_nearest *n)
{
  const rg_checker *checker = n->checker;
  const rg_domain *d = n->d;
  const char *name = d->unicode + d->reg_start;
  const char *suffix = d->unicode + d->suffix_start;
  size_t typed_len = name_octets (d);
  rg_hit hits[RG_MAX_CANDIDATES];
  size_t n_hits = 0;

  if (typed_len + 1 < RG_PIECE_MIN_NAME || typed_len > RG_MAX_LABEL_OCTETS)
    return;
  for (size_t i = 0; i < typed_len; i++)
    if ((unsigned char) name[i] >= 0x80)
      return;
  /* Two slips that change the length by one at most (two letters changed or swapped, one
   * of them dropped or added): two letters dropped or two added are rarer, and would
   * double the look-ups. */
  for (size_t known_len = typed_len - 1; known_len <= typed_len + 1; known_len++)
    {
      if (known_len < RG_PIECE_MIN_NAME || known_len > RG_MAX_LABEL_OCTETS)
        continue;
      for (unsigned piece = 0; piece < 3; piece++)
        {
          size_t start, len;

          rg_piece_bounds (known_len, piece, &start, &len);
          /* The first third starts the name and the last ends it, whatever the slips.  The
           * middle one is needed only when the two slips are in the other two; a letter
           * dropped from the first moves it one place left, one added one place right. */
          int low = piece == 1 && known_len > typed_len ? -1 : 0;
          int high = piece == 1 && known_len < typed_len ? 1 : 0;

          for (int shift = low; shift <= high; shift++)
            {
              long from = piece == 2 ? (long) (typed_len - len) : (long) start + shift;

              if (from < 0 || (size_t) from + len > typed_len)
                continue;
              n_hits = rg_index_lookup_hash (checker->index,
                                             rg_piece_hash (known_len, piece,
                                                            name + from, len, suffix),
                                             RG_KEYS (RG_KEY_PIECE), hits, n_hits,
                                             RG_MAX_CANDIDATES);
            }
        }
    }
  for (size_t i = 0; i < n_hits; i++)
    {
      const rg_known *k = rg_checker_known (checker, hits[i].id);
      const char *key = known_name (checker, hits[i].id) + k->reg_start;
      size_t key_suffix = (size_t) (k->suffix_start - k->reg_start);
      rg_candidate c = { 0 };

      if (key_suffix == 0 || strcmp (key + key_suffix, suffix) != 0
          || rg_edit_distance (name, typed_len, key, key_suffix - 1, 2) != 2
          || !make_suggestion (n, true, key, &c))
        continue;
      c.reason = RG_REASON_COMPOUND;
      c.near = RG_NEAR_TWO_SLIPS;
      c.level = true;
      c.id = hits[i].id;
      c.typed_suffix = d->suffix_start;
      c.key_suffix = d->suffix_start;
      consider (n, &c);
    }
}

bool
rg_nearest_fix_ending (const rg_nearest *n, char *out, size_t size)
{
  const rg_checker *checker = n->checker;
  const rg_domain *d = n->d;
  const char *suffix = d->unicode + d->suffix_start;
  rg_hit endings[RG_MAX_CANDIDATES];
  size_t n_endings = rg_index_lookup (checker->index, suffix, strlen (suffix), true,
                                      RG_KEYS (RG_KEY_SUFFIX), endings, 0, RG_MAX_CANDIDATES);
  const char *best = NULL;
  int best_rank = 0;

  for (size_t i = 0; i < n_endings; i++)
    {
      const rg_known *k = rg_checker_known (checker, endings[i].id);
      const char *ending = known_name (checker, endings[i].id) + k->suffix_start;
      rg_edit e;

      char domain[RG_MAX_SUGGESTION_OCTETS];
      uint32_t id;
      int rank;

      if (!rg_edit_find (suffix, strlen (suffix), ending, strlen (ending), &e)
          || d->suffix_start + strlen (ending) >= sizeof domain)
        continue;
      /* The domain under that ending known itself comes first, then the commoner slip. */
      memcpy (domain, d->unicode, d->suffix_start);
      memcpy (domain + d->suffix_start, ending, strlen (ending) + 1);
      rank = rank_of (&e) + (lookup_exact (n, domain, strlen (domain), &id) ? 0 : 3);
      if (best == NULL || rank < best_rank || (rank == best_rank && strcmp (ending, best) < 0))
        {
          best = ending;
          best_rank = rank;
        }
    }
  if (best == NULL || d->suffix_start + strlen (best) >= size)
    return false;
  memcpy (out, d->unicode, d->suffix_start);
  memcpy (out + d->suffix_start, best, strlen (best) + 1);
  return true;
}

void
rg_nearest_find_removed_dot (rg_nearest *n)
{
  const rg_domain *d = n->d;
  char query[RG_MAX_SUGGESTION_OCTETS];
  size_t len = strlen (d->unicode);
  uint32_t id;

  memset (&n->best, 0, sizeof n->best);
  if (len >= sizeof query || d->suffix_start < 2)
    return;
  for (size_t i = 0; i + 1 < d->suffix_start; i++)
    {
      if (d->unicode[i] != '.')
        continue;
      memcpy (query, d->unicode, i);
      memcpy (query + i, d->unicode + i + 1, len - i);
      if (lookup_exact (n, query, len - 1, &id))
        {
          rg_candidate c = { 0 };

          memcpy (c.suggestion, query, len);
          c.reason = RG_REASON_EXTRA_DOT;
          c.near = RG_NEAR_ONE_SLIP;
              c.edit.kind = RG_EDIT_INSERTION;
          c.edit.typed_cp = '.';
          c.edit.key_offset = i;
          c.id = id;
          consider (n, &c);
        }
    }
}

void
rg_nearest_find (rg_nearest *n)
{
  const rg_domain *d = n->d;
  const char *domain = d->unicode;
  bool has_reg = d->reg_start > 0;
  bool known_ending;

  memset (&n->best, 0, sizeof n->best);
  if (strlen (domain) > RG_MAX_DOMAIN_OCTETS * 4)
    return;
  find_edits (n, domain, false);
  if (has_reg)
    find_edits (n, domain + d->reg_start, true);
  if (d->status != RG_OK)
    return;
  find_truncations (n);
  if (!d->tld_exists)
    find_cut_endings (n);
  find_extra_endings (n);
  find_hyphens (n);
  if ((n->checker->flags & RG_CONFIG_CHECK_LOOKALIKES) != 0)
    {
      find_confusables (n, n->typed_case, false);
      if (has_reg)
        find_confusables (n, n->typed_case + d->reg_start, true);
    }
  /* Two slips are looked for only when one does not explain the domain (or leads to a weakly
   * known domain only): they are rarer, and the look-ups cost more.  A slip in the ending
   * is looked for only in an ending the user does not write to, or to find the strong twin
   * of a weakly known domain ("arym.ml", "army.ml" sent once, "army.mil" often); two in
   * the name only under an ending the user writes to, and when nothing closer was found. */
  if (n->best.found && !rg_known_is_weak (rg_checker_known (n->checker, n->best.id)))
    return;
  known_ending = is_known_ending (n);
  if (!known_ending || n->best.found)
    find_name_and_ending (n);
  if (known_ending && !n->best.found)
    find_two_in_name (n);
}

/* Written to this often, a domain can outweigh one written to once (rg_known_outweighs()). */
#define RG_STRONG_COUNT 10u

static bool
may_shadow (const rg_known *k)
{
  return rg_known_is_certain (k) || k->count >= RG_STRONG_COUNT;
}

/* The one- and two-slip look-ups from known domain @id, as if it had been typed, with @n's
 * mode (marking the twins it shadows, or finding a twin that shadows it). */
static void
search_from (rg_nearest *n, uint32_t id)
{
  const rg_known *k = rg_checker_known (n->checker, id);
  const char *name = known_name (n->checker, id);
  rg_domain d = { 0 };

  /* A read-only view of the known domain. */
  d.unicode = (char *) name;
  d.reg_start = k->reg_start;
  d.suffix_start = k->suffix_start;
  d.tld_exists = true;
  n->d = &d;
  n->typed_case = name;
  memset (&n->best, 0, sizeof n->best);
  find_edits (n, name, false);
  if (d.reg_start > 0)
    find_edits (n, name + d.reg_start, true);
  find_name_and_ending (n);
  n->d = NULL;
}

void
rg_nearest_mark_twins (rg_checker *checker)
{
  size_t n_weak = 0, n_strong = 0;
  rg_nearest n = { 0 };

  /* Search from the smaller side: an address book of one contact per domain has few strong
   * domains, one with counts everywhere few weak ones. */
  for (uint32_t id = 0; id < checker->set.n; id++)
    {
      n_weak += rg_known_is_weak (&checker->set.known[id]);
      n_strong += may_shadow (&checker->set.known[id]);
    }
  n.checker = checker;
  for (uint32_t id = 0; id < checker->set.n; id++)
    {
      rg_known *k = &checker->set.known[id];

      if (n_strong <= n_weak && may_shadow (k))
        {
          n.shadowing = k;
          search_from (&n, id);
        }
      else if (n_strong > n_weak && rg_known_is_weak (k))
        {
          n.weaker_than = k;
          search_from (&n, id);
          k->shadowed = n.best.found;
        }
    }
}
