/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-weigh.c - how much a slip towards a known domain weighs: a warning or a notice.
 */
#include "rg-weigh.h"

#include <string.h>

/*
 * The model, in points (README, "How much a slip weighs"): how common the kind of slip is,
 * how long the name is (a short name is one letter from many real ones), and how much the
 * user writes to the domain meant, against the base rate: the more domains the user knows,
 * the likelier a new, real domain lands one letter from one of them by chance.
 */
#define RG_WARN_POINTS 2

/* Names of at most this many code points ("aol", "gmx", "qq") are one plain letter from many
 * real domains ("aon.com", "ao.com"). */
#define RG_SHORT_NAME 3

static int
edit_points (const rg_edit *e)
{
  switch (e->kind)
    {
    case RG_EDIT_OMISSION:
    case RG_EDIT_TRANSPOSITION:
      return 6;
    case RG_EDIT_INSERTION:
      return e->repeated ? 6 : e->beside_neighbour ? 5 : 3;
    case RG_EDIT_SUBSTITUTION:
    default:
      if (rg_keys_adjacent (e->typed_cp, e->key_cp))
        return 5;
      if (rg_is_vowel (e->typed_cp) && rg_is_vowel (e->key_cp))
        return 2;
      return 1;
    }
}

static int
slip_points (const rg_candidate *c)
{
  switch (c->near)
    {
    case RG_NEAR_CONFUSABLE:
      return 100;
    case RG_NEAR_LOOKALIKE:
      return 3;
    case RG_NEAR_TRUNCATED:
      return 6;
    case RG_NEAR_TWO_SLIPS:
      /* Two slips at once are rarer than either alone. */
      return c->has_edit2 ? (edit_points (&c->edit) + edit_points (&c->edit2)) / 2 - 2 : -2;
    case RG_NEAR_ONE_SLIP:
    default:
      break;
    }
  switch (c->reason)
    {
    case RG_REASON_MISSING_DOT:
    case RG_REASON_EXTRA_DOT:
    case RG_REASON_MOVED_DOT:
    case RG_REASON_EXTRA_ENDING:
      return 6;
    case RG_REASON_TYPO_HYPHEN:
      return 5;
    default:
      return edit_points (&c->edit);
    }
}

static int
length_points (size_t name_len)
{
  static const int points[] = { -3, -3, -3, -1, 1, 2, 3 };

  return name_len < sizeof points / sizeof points[0] ? points[name_len] : 4;
}

static int
use_points (const rg_known *k)
{
  int points = 0;

  if (rg_known_is_certain (k) && !k->builtin)
    return 4;
  for (uint32_t c = k->count; c > 1 && points < 6; c /= 2)
    points++;
  /* A large provider is a likely destination for anyone, written to or not. */
  if (k->builtin && points < 2)
    points = 2;
  return points;
}

/* 1.5 points for each tenfold of known domains past ten. */
static int
base_rate_points (size_t n_known)
{
  int points = 0;

  for (size_t n = 10; n < n_known && points < 15; n *= 10)
    points += 3;
  return points / 2;
}

/* Whether the slip is in the ending alone, from one country's code to another's: the same
 * organisation often has both ("paypal.nl", "paypal.no"). */
static bool
between_countries (const rg_domain *d, const rg_candidate *c)
{
  return c->reason == RG_REASON_TLD_SWAP && d->ascii != NULL
         && rg_tld_country (rg_last_label (d->ascii)) != NULL
         && rg_tld_country (rg_last_label (c->suggestion)) != NULL;
}

/* The short-name rule: in a name of three letters or less, a letter changed for one that is
 * no neighbour (a vowel for a vowel included) only warns for a domain the user writes to
 * often (eight times or more), and a letter dropped or added only for a domain the user
 * writes to at all; a built-in provider alone is not enough ("aon.com", "ao.com"). */
static bool
short_name_rule (size_t shorter, const rg_candidate *c, const rg_known *k)
{
  const rg_edit *e = &c->edit;

  if (c->reason != RG_REASON_TYPO_OMISSION && c->reason != RG_REASON_TYPO_INSERTION
      && c->reason != RG_REASON_TYPO_SUBSTITUTION && c->reason != RG_REASON_TYPO_VOWEL_SWAP)
    return false;
  if (shorter > RG_SHORT_NAME)
    return false;
  if (e->kind == RG_EDIT_SUBSTITUTION && !rg_keys_adjacent (e->typed_cp, e->key_cp))
    return use_points (k) < 3 || k->builtin;
  if ((e->kind == RG_EDIT_OMISSION || (e->kind == RG_EDIT_INSERTION && !e->repeated))
      && k->sources == 0 && !k->trusted)
    return true;
  return false;
}

/* Whether the slip is in the name (not in the ending alone): the base rate of a name slip
 * grows with how many short names the user knows. */
static bool
slip_in_name (const rg_candidate *c)
{
  return c->reason != RG_REASON_TLD_SWAP && c->reason != RG_REASON_TRUNCATED_SUFFIX
         && c->reason != RG_REASON_EXTRA_ENDING;
}

/* Halves the base rate for a long name, doubles it for a short one: one letter from a
 * short name lands on a real domain far more often than one letter from a long one, and the
 * more names the user knows the likelier that is. */
static int
scaled_base_rate (const rg_checker *checker, bool in_name, size_t shorter)
{
  int base = base_rate_points (checker->n_user_known);

  if (in_name && shorter <= 4)
    return base * 2;
  if (in_name && shorter >= 8)
    return base / 2;
  return base;
}

rg_verdict
rg_weigh (const rg_checker *checker, const rg_domain *d, const rg_candidate *c)
{
  const rg_known *k = rg_checker_known (checker, c->id);
  size_t typed = rg_name_code_points (d->unicode, d->reg_start, d->suffix_start);
  size_t shorter = c->name_len < typed ? c->name_len : typed;
  int points = slip_points (c) + length_points (shorter) + use_points (k);

  if (short_name_rule (shorter, c, k))
    return RG_VERDICT_NOTICE;
  if (between_countries (d, c))
    points -= 3;
  points -= scaled_base_rate (checker, slip_in_name (c), shorter);
  return points >= RG_WARN_POINTS ? RG_VERDICT_WARN : RG_VERDICT_NOTICE;
}

bool
rg_weigh_can_warn (const rg_checker *checker, const rg_known *k, rg_near near)
{
  rg_candidate best = { 0 };
  size_t longest = 8;

  best.near = near;
  best.reason = near == RG_NEAR_TWO_SLIPS ? RG_REASON_COMPOUND : RG_REASON_CONFUSABLE;
  return slip_points (&best) + length_points (longest) + use_points (k)
         - scaled_base_rate (checker, true, longest) >= RG_WARN_POINTS;
}
