/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-score.c - from a recipient to a verdict: policy, known domains, the nearest known
 * domain and what kind of slip leads there, lookalikes, and domains that cannot exist.
 */
#include "rg-score.h"

#include "rg-edit.h"
#include "rg-explain.h"
#include "rg-index.h"
#include "rg-lookalike.h"
#include "rg-normalize.h"

#include <stdlib.h>
#include <string.h>

/* Names shorter than this (the label before the public suffix: "aol", "gmx", "qq") are one
 * plain omission, insertion or substitution away from too many real domains ("aon.com",
 * "ao.com"); for them only the slips that are typical of typing count. */
#define RG_SHORT_NAME_CODE_POINTS 4

#define RG_MAX_SKELETON_OCTETS (RG_MAX_DOMAIN_OCTETS * 4 + 64)

/* How sure each reason is that something is wrong, before the use count of the domain meant
 * adds up to 5 points. */
static const int reason_score[RG_N_REASONS] = {
  [RG_REASON_TYPO_OMISSION] = 80,
  [RG_REASON_TYPO_INSERTION] = 75,
  [RG_REASON_TYPO_REPETITION] = 80,
  [RG_REASON_TYPO_ADJACENT_KEY] = 80,
  [RG_REASON_TYPO_VOWEL_SWAP] = 75,
  [RG_REASON_TYPO_SUBSTITUTION] = 70,
  [RG_REASON_TYPO_TRANSPOSITION] = 85,
  [RG_REASON_TYPO_HYPHEN] = 70,
  [RG_REASON_TLD_SWAP] = 90,
  [RG_REASON_MISSING_DOT] = 85,
  [RG_REASON_EXTRA_DOT] = 85,
  [RG_REASON_MOVED_DOT] = 85,
  [RG_REASON_TRUNCATED_SUFFIX] = 85,
  [RG_REASON_CONFUSABLE] = 95,
  [RG_REASON_MIXED_SCRIPT] = 70,
  [RG_REASON_INVISIBLE] = 90,
  [RG_REASON_UNKNOWN_TLD] = 80,
  [RG_REASON_INVALID_DOMAIN] = 100,
  [RG_REASON_INVALID_ADDRESS] = 100,
  [RG_REASON_IP_LITERAL] = 30,
  [RG_REASON_NEW_DOMAIN] = 20,
  [RG_REASON_POLICY_WARN] = 60,
  [RG_REASON_POLICY_BLOCK] = 100,
};

/* The order in which reasons are listed: what decides first, then what explains. */
static int
reason_rank (rg_reason reason)
{
  switch (reason)
    {
    case RG_REASON_POLICY_BLOCK: return 0;
    case RG_REASON_POLICY_WARN: return 1;
    case RG_REASON_INVALID_ADDRESS: return 2;
    case RG_REASON_INVISIBLE: return 3;
    case RG_REASON_MIXED_SCRIPT: return 5;
    case RG_REASON_INVALID_DOMAIN: return 6;
    case RG_REASON_UNKNOWN_TLD: return 7;
    case RG_REASON_IP_LITERAL: return 8;
    case RG_REASON_NEW_DOMAIN: return 9;
    default: return 4; /* the slip towards a known domain */
    }
}

static rg_verdict
reason_verdict (rg_reason reason)
{
  switch (reason)
    {
    case RG_REASON_POLICY_BLOCK: return RG_VERDICT_BLOCK;
    case RG_REASON_IP_LITERAL:
    case RG_REASON_NEW_DOMAIN: return RG_VERDICT_NOTICE;
    default: return RG_VERDICT_WARN;
    }
}

/* A known domain near the recipient's, and how it is near. */
typedef struct {
  bool found;
  rg_reason reason;
  int klass;           /* 0 confusable, 1 one edit, 2 truncated suffix: lower is closer */
  int level;           /* 0 the whole domain, 1 its registrable domain */
  uint32_t id;
  rg_edit edit;
  size_t typed_suffix; /* offsets of the public suffixes, for the message */
  size_t key_suffix;
  char suggestion[RG_MAX_DOMAIN_OCTETS * 4 + 1];
} candidate;

typedef struct {
  const rg_checker *checker;
  rg_finding *f;
  rg_domain d;
  const char *local;
  candidate best;
  rg_status status;
} scorer;

static const rg_known *
known_at (const rg_checker *checker, uint32_t id)
{
  return &checker->set.known[id];
}

static const char *
known_key (const rg_checker *checker, uint32_t id, rg_key_kind kind)
{
  const rg_known *k = known_at (checker, id);
  const char *name = rg_known_name (&checker->set.arena, k);

  if (kind == RG_KEY_REG || kind == RG_KEY_SKEL_REG || kind == RG_KEY_TRUNC)
    return name + k->reg_start;
  return name;
}

static size_t
key_suffix_start (const rg_checker *checker, uint32_t id, rg_key_kind kind)
{
  const rg_known *k = known_at (checker, id);

  if (kind == RG_KEY_REG || kind == RG_KEY_SKEL_REG || kind == RG_KEY_TRUNC)
    return (size_t) (k->suffix_start - k->reg_start);
  return k->suffix_start;
}

static void
add_reason (scorer *s, rg_reason reason, const rg_explain_args *args)
{
  rg_finding *f = s->f;
  char *message;

  if (s->status != RG_OK || f->n_reasons == RG_MAX_REASONS)
    return;
  message = rg_explain (args);
  if (message == NULL)
    {
      s->status = RG_E_NOMEM;
      return;
    }
  f->reasons[f->n_reasons] = reason;
  f->messages[f->n_reasons] = message;
  f->n_reasons++;
}

/* Whether the recipient's domain is known, a subdomain or parent of a known domain, or of the
 * same organisation (registrable domain) as one: then no slip can send it to a stranger. */
static bool
is_known (const scorer *s)
{
  const rg_checker *checker = s->checker;
  const char *name = s->d.unicode;
  rg_hit hits[RG_MAX_CANDIDATES];
  size_t n;

  /* The domain itself and each parent down to, not into, the public suffix. */
  for (const char *p = name; p != NULL && (size_t) (p - name) < s->d.suffix_start;)
    {
      n = rg_index_lookup (checker->index, p, strlen (p), false, RG_KEYS (RG_KEY_FULL), hits,
                           0, RG_MAX_CANDIDATES);
      for (size_t i = 0; i < n; i++)
        if (strcmp (known_key (checker, hits[i].id, RG_KEY_FULL), p) == 0)
          return true;
      p = strchr (p, '.');
      if (p != NULL)
        p++;
    }
  /* The same registrable domain as a known subdomain: covers parents and siblings. */
  if (s->d.reg_start > 0 || s->d.suffix_start > 0)
    {
      const char *reg = name + s->d.reg_start;

      n = rg_index_lookup (checker->index, reg, strlen (reg), false, RG_KEYS (RG_KEY_REG),
                           hits, 0, RG_MAX_CANDIDATES);
      for (size_t i = 0; i < n; i++)
        if (strcmp (known_key (checker, hits[i].id, RG_KEY_REG), reg) == 0)
          return true;
    }
  return false;
}

static size_t
count_code_points (const char *s, size_t len)
{
  size_t n = 0;

  for (size_t i = 0; i < len; i++)
    if (((unsigned char) s[i] & 0xC0) != 0x80)
      n++;
  return n;
}

/* Names a one-edit slip from @key to @typed; false when the short-name rule rejects it. */
static bool
classify_edit (const char *key, size_t suffix_start, const rg_edit *e, rg_reason *reason)
{
  size_t name_start = 0;
  bool in_suffix = e->key_offset >= suffix_start;

  if (e->typed_cp == '.' || e->key_cp == '.')
    {
      if (e->kind == RG_EDIT_TRANSPOSITION)
        *reason = RG_REASON_MOVED_DOT;
      else if (e->kind == RG_EDIT_INSERTION || (e->kind == RG_EDIT_SUBSTITUTION
                                                && e->typed_cp == '.'))
        *reason = RG_REASON_EXTRA_DOT;
      else
        *reason = RG_REASON_MISSING_DOT;
      return true;
    }
  if (e->typed_cp == '-' || e->key_cp == '-')
    {
      *reason = RG_REASON_TYPO_HYPHEN;
      return true;
    }
  if (in_suffix && suffix_start > 0)
    {
      *reason = RG_REASON_TLD_SWAP;
      return true;
    }
  switch (e->kind)
    {
    case RG_EDIT_OMISSION:
      *reason = RG_REASON_TYPO_OMISSION;
      break;
    case RG_EDIT_INSERTION:
      *reason = e->repeated ? RG_REASON_TYPO_REPETITION : RG_REASON_TYPO_INSERTION;
      break;
    case RG_EDIT_TRANSPOSITION:
      *reason = RG_REASON_TYPO_TRANSPOSITION;
      break;
    case RG_EDIT_SUBSTITUTION:
    default:
      if (rg_keys_adjacent (e->typed_cp, e->key_cp))
        *reason = RG_REASON_TYPO_ADJACENT_KEY;
      else if (rg_is_vowel (e->typed_cp) && rg_is_vowel (e->key_cp))
        *reason = RG_REASON_TYPO_VOWEL_SWAP;
      else
        *reason = RG_REASON_TYPO_SUBSTITUTION;
      break;
    }

  /* The short-name rule. */
  if (suffix_start >= 1)
    for (size_t i = suffix_start - 1; i > 0; i--)
      if (key[i - 1] == '.')
        {
          name_start = i;
          break;
        }
  if (suffix_start > name_start
      && count_code_points (key + name_start, suffix_start - 1 - name_start)
         < RG_SHORT_NAME_CODE_POINTS
      && e->key_offset >= name_start
      && (*reason == RG_REASON_TYPO_OMISSION || *reason == RG_REASON_TYPO_INSERTION
          || *reason == RG_REASON_TYPO_VOWEL_SWAP || *reason == RG_REASON_TYPO_SUBSTITUTION))
    return false;
  return true;
}

/* How close a one-edit slip is: swapping, dropping or doubling a letter is the commonest
 * slip of the fingers, a neighbouring key next, anything else last.  ("yahoo.co" is closer to
 * "yahoo.com" than to "yahoo.ca".) */
static int
edit_rank (const rg_edit *e, int klass)
{
  if (klass != 1)
    return 0;
  switch (e->kind)
    {
    case RG_EDIT_OMISSION:
    case RG_EDIT_TRANSPOSITION:
      return 0;
    case RG_EDIT_INSERTION:
      return e->repeated ? 0 : 2;
    case RG_EDIT_SUBSTITUTION:
    default:
      return rg_keys_adjacent (e->typed_cp, e->key_cp) ? 1 : 2;
    }
}

/* Keeps @c when it is closer, or as close and more used, than the best so far. */
static void
consider (scorer *s, const candidate *c)
{
  const rg_checker *checker = s->checker;
  const candidate *b = &s->best;
  uint32_t cc, bc;
  int order;

  if (!b->found)
    {
      s->best = *c;
      return;
    }
  if (c->klass != b->klass)
    {
      if (c->klass < b->klass)
        s->best = *c;
      return;
    }
  if (c->level != b->level)
    {
      if (c->level < b->level)
        s->best = *c;
      return;
    }
  if (edit_rank (&c->edit, c->klass) != edit_rank (&b->edit, b->klass))
    {
      if (edit_rank (&c->edit, c->klass) < edit_rank (&b->edit, b->klass))
        s->best = *c;
      return;
    }
  cc = known_at (checker, c->id)->count;
  bc = known_at (checker, b->id)->count;
  if (cc != bc)
    {
      if (cc > bc)
        s->best = *c;
      return;
    }
  order = strcmp (c->suggestion, b->suggestion);
  if (order < 0)
    s->best = *c;
}

/* The suggested domain: the key, under the subdomains of the recipient's domain when the
 * query was its registrable domain. */
static bool
make_suggestion (const scorer *s, bool registrable_query, const char *key, candidate *c)
{
  size_t prefix = registrable_query ? s->d.reg_start : 0;
  size_t len = strlen (key);

  if (prefix + len >= sizeof c->suggestion)
    return false;
  memcpy (c->suggestion, s->d.unicode, prefix);
  memcpy (c->suggestion + prefix, key, len + 1);
  return true;
}

/* One-edit neighbours of @query (the domain, or its registrable domain). */
static void
find_edits (scorer *s, const char *query, bool registrable_query)
{
  const rg_checker *checker = s->checker;
  rg_hit hits[RG_MAX_CANDIDATES];
  size_t n = rg_index_lookup (checker->index, query, strlen (query), true,
                              RG_KEYS (RG_KEY_FULL) | RG_KEYS (RG_KEY_REG), hits, 0,
                              RG_MAX_CANDIDATES);

  for (size_t i = 0; i < n; i++)
    {
      const char *key = known_key (checker, hits[i].id, hits[i].kind);
      size_t suffix = key_suffix_start (checker, hits[i].id, hits[i].kind);
      candidate c = { 0 };

      if (!rg_edit_find (query, strlen (query), key, strlen (key), &c.edit))
        continue;
      if (!classify_edit (key, suffix, &c.edit, &c.reason))
        continue;
      if (!make_suggestion (s, registrable_query, key, &c))
        continue;
      c.found = true;
      c.klass = 1;
      c.level = registrable_query || hits[i].kind != RG_KEY_FULL;
      c.id = hits[i].id;
      c.key_suffix = (registrable_query ? s->d.reg_start : 0) + suffix;
      c.typed_suffix = s->d.suffix_start;
      consider (s, &c);
    }
}

/* "hsbc.co" or "hsbc.uk" for a known "hsbc.co.uk". */
static void
find_truncations (scorer *s)
{
  const rg_checker *checker = s->checker;
  const char *query = s->d.unicode + s->d.reg_start;
  rg_hit hits[RG_MAX_CANDIDATES];
  size_t n = rg_index_lookup (checker->index, query, strlen (query), false,
                              RG_KEYS (RG_KEY_TRUNC), hits, 0, RG_MAX_CANDIDATES);

  for (size_t i = 0; i < n; i++)
    {
      char truncated[2][RG_MAX_DOMAIN_OCTETS * 4 + 1];
      const char *reg = known_key (checker, hits[i].id, RG_KEY_TRUNC);
      size_t suffix = key_suffix_start (checker, hits[i].id, RG_KEY_TRUNC);
      size_t n_truncated = rg_truncations (reg, suffix, truncated);
      candidate c = { 0 };

      for (size_t j = 0; j < n_truncated; j++)
        {
          if (strcmp (truncated[j], query) != 0 || !make_suggestion (s, true, reg, &c))
            continue;
          c.found = true;
          c.reason = RG_REASON_TRUNCATED_SUFFIX;
          c.klass = 2;
          c.level = 1;
          c.id = hits[i].id;
          c.typed_suffix = s->d.suffix_start;
          c.key_suffix = s->d.reg_start + suffix;
          consider (s, &c);
        }
    }
}

/* Known domains with the same TR39 skeleton as @query. */
static void
find_confusables (scorer *s, const char *query, bool registrable_query)
{
  const rg_checker *checker = s->checker;
  char skeleton[RG_MAX_SKELETON_OCTETS], other[RG_MAX_SKELETON_OCTETS];
  rg_hit hits[RG_MAX_CANDIDATES];
  size_t len = rg_skeleton (checker, query, strlen (query), skeleton, sizeof skeleton);
  size_t n;

  if (len == (size_t) -1)
    return;
  n = rg_index_lookup (checker->index, skeleton, len, false,
                       RG_KEYS (RG_KEY_SKEL) | RG_KEYS (RG_KEY_SKEL_REG)
                       | RG_KEYS (RG_KEY_FULL) | RG_KEYS (RG_KEY_REG), hits, 0,
                       RG_MAX_CANDIDATES);
  for (size_t i = 0; i < n; i++)
    {
      const char *key = known_key (checker, hits[i].id, hits[i].kind);
      bool match;
      candidate c = { 0 };

      if (strcmp (key, query) == 0)
        continue;
      if (hits[i].kind == RG_KEY_SKEL || hits[i].kind == RG_KEY_SKEL_REG)
        match = rg_skeleton (checker, key, strlen (key), other, sizeof other) == len
                && memcmp (other, skeleton, len) == 0;
      else
        match = strcmp (key, skeleton) == 0;
      if (!match || !make_suggestion (s, registrable_query, key, &c))
        continue;
      c.found = true;
      c.reason = RG_REASON_CONFUSABLE;
      c.klass = 0;
      c.level = registrable_query || hits[i].kind == RG_KEY_REG
                || hits[i].kind == RG_KEY_SKEL_REG;
      c.id = hits[i].id;
      consider (s, &c);
    }
}

static void
find_nearest (scorer *s)
{
  const char *domain = s->d.unicode;
  const char *reg = domain + s->d.reg_start;
  bool has_reg = s->d.reg_start > 0;

  if (strlen (domain) > RG_MAX_DOMAIN_OCTETS * 4)
    return;
  find_edits (s, domain, false);
  if (has_reg)
    find_edits (s, reg, true);
  if (s->d.status != RG_OK)
    return;
  find_truncations (s);
  if ((s->checker->flags & RG_CONFIG_CHECK_LOOKALIKES) != 0)
    {
      find_confusables (s, domain, false);
      if (has_reg)
        find_confusables (s, reg, true);
    }
}

static void
explain_nearest (scorer *s)
{
  const candidate *c = &s->best;
  const rg_known *k = known_at (s->checker, c->id);
  rg_explain_args args = { 0 };

  args.reason = c->reason;
  args.typed = s->d.unicode;
  args.typed_ascii = s->d.ascii;
  args.known = c->suggestion;
  args.known_name = rg_known_name (&s->checker->set.arena, k);
  args.count = k->count;
  args.builtin = k->builtin;
  args.trusted = k->trusted;
  args.edit = &c->edit;
  args.typed_suffix = c->typed_suffix;
  args.known_suffix = c->key_suffix;
  add_reason (s, c->reason, &args);
}

static rg_status
set_suggestion (scorer *s, const char *domain, uint32_t count)
{
  rg_finding *f = s->f;

  f->suggested_domain = rg_strdup (domain);
  f->suggestion = rg_strjoin3 (s->local, "@", domain);
  f->suggested_count = count;
  if (f->suggested_domain == NULL || f->suggestion == NULL)
    return RG_E_NOMEM;
  return RG_OK;
}

/* Sorts the reasons by rank (insertion sort: at most RG_MAX_REASONS) and sets the verdict
 * and score. */
static void
conclude (scorer *s)
{
  rg_finding *f = s->f;

  for (size_t i = 1; i < f->n_reasons; i++)
    for (size_t j = i; j > 0 && reason_rank (f->reasons[j]) < reason_rank (f->reasons[j - 1]);
         j--)
      {
        rg_reason r = f->reasons[j];
        char *m = f->messages[j];

        f->reasons[j] = f->reasons[j - 1];
        f->messages[j] = f->messages[j - 1];
        f->reasons[j - 1] = r;
        f->messages[j - 1] = m;
      }
  f->verdict = RG_VERDICT_OK;
  f->score = 0;
  for (size_t i = 0; i < f->n_reasons; i++)
    {
      int score = reason_score[f->reasons[i]];

      if (reason_rank (f->reasons[i]) == 4 && f->suggestion != NULL)
        {
          uint32_t c = f->suggested_count;
          int bonus = 0;

          while (c > 1 && bonus < 5)
            {
              c /= 4;
              bonus++;
            }
          score += bonus;
        }
      if (reason_verdict (f->reasons[i]) > f->verdict)
        f->verdict = reason_verdict (f->reasons[i]);
      if (score > f->score)
        f->score = score > 100 ? 100 : score;
    }
}

static void
score_domain (scorer *s)
{
  const rg_checker *checker = s->checker;
  rg_domain *d = &s->d;
  rg_explain_args args = { 0 };
  const char *pattern;
  bool warned_by_policy = false;
  char scripts[128];
  const char *label;
  size_t label_len;

  args.typed = d->unicode;
  args.typed_ascii = d->ascii;

  if (d->literal)
    {
      args.reason = d->status == RG_OK ? RG_REASON_IP_LITERAL : RG_REASON_INVALID_DOMAIN;
      args.problem = d->problem;
      add_reason (s, args.reason, &args);
      return;
    }

  if (d->invisible && d->unicode != NULL)
    {
      args.reason = RG_REASON_INVISIBLE;
      args.cp = d->invisible_cp;
      args.known = d->status == RG_OK ? d->unicode : NULL;
      args.typed = s->f->domain;
      add_reason (s, RG_REASON_INVISIBLE, &args);
      args.typed = d->unicode;
    }

  if (d->status == RG_OK)
    {
      pattern = rg_pattern_list_match (&checker->policies[RG_POLICY_BLOCK], d->ascii);
      if (pattern != NULL)
        {
          args.reason = RG_REASON_POLICY_BLOCK;
          args.pattern = pattern;
          add_reason (s, RG_REASON_POLICY_BLOCK, &args);
          warned_by_policy = true;
        }
      else if (rg_pattern_list_match (&checker->policies[RG_POLICY_TRUSTED], d->ascii))
        return;
      else if ((pattern = rg_pattern_list_match (&checker->policies[RG_POLICY_WARN],
                                                 d->ascii)) != NULL)
        {
          args.reason = RG_REASON_POLICY_WARN;
          args.pattern = pattern;
          add_reason (s, RG_REASON_POLICY_WARN, &args);
          warned_by_policy = true;
        }
      if (is_known (s))
        return;
    }

  if (d->unicode != NULL)
    {
      find_nearest (s);
      if (s->best.found)
        explain_nearest (s);
    }

  if (d->status != RG_OK)
    {
      args.reason = RG_REASON_INVALID_DOMAIN;
      args.problem = d->problem;
      args.typed = s->f->domain;
      add_reason (s, RG_REASON_INVALID_DOMAIN, &args);
      return;
    }
  if ((checker->flags & RG_CONFIG_CHECK_LOOKALIKES) != 0
      && rg_mixed_script (checker, d->unicode, &label, &label_len, scripts, sizeof scripts))
    {
      args.reason = RG_REASON_MIXED_SCRIPT;
      args.label = label;
      args.label_len = label_len;
      args.scripts = scripts;
      add_reason (s, RG_REASON_MIXED_SCRIPT, &args);
    }
  if (!d->tld_exists)
    {
      args.reason = RG_REASON_UNKNOWN_TLD;
      add_reason (s, RG_REASON_UNKNOWN_TLD, &args);
    }
  if (s->f->n_reasons == 0 && !warned_by_policy
      && (checker->flags & RG_CONFIG_NOTICE_NEW_DOMAINS) != 0)
    {
      args.reason = RG_REASON_NEW_DOMAIN;
      add_reason (s, RG_REASON_NEW_DOMAIN, &args);
    }
}

rg_status
rg_score_mailbox (const rg_checker *checker, const rg_mailbox *mailbox, rg_finding *out)
{
  scorer s = { 0 };
  rg_explain_args args = { 0 };
  rg_status status;

  s.checker = checker;
  s.f = out;
  s.local = mailbox->local;
  out->input = rg_strdup (mailbox->input);
  out->address = rg_strdup (mailbox->address);
  if (out->input == NULL || out->address == NULL)
    return RG_E_NOMEM;

  if (mailbox->status != RG_OK || strlen (mailbox->local) > RG_MAX_LOCAL_OCTETS)
    {
      out->domain = rg_strdup (mailbox->status == RG_OK ? mailbox->domain : "");
      out->domain_ascii = rg_strdup ("");
      if (out->domain == NULL || out->domain_ascii == NULL)
        return RG_E_NOMEM;
      args.reason = RG_REASON_INVALID_ADDRESS;
      args.input = mailbox->input;
      args.problem = mailbox->status != RG_OK ? mailbox->problem
                                              : "has a local part longer than 64 octets";
      add_reason (&s, RG_REASON_INVALID_ADDRESS, &args);
      conclude (&s);
      return s.status;
    }

  status = rg_domain_normalize (checker->psl, mailbox->domain, strlen (mailbox->domain),
                                &s.d);
  if (status != RG_OK)
    return status;
  out->domain = rg_strdup (s.d.unicode != NULL && !s.d.invisible ? s.d.unicode
                                                                 : mailbox->domain);
  out->domain_ascii = rg_strdup (s.d.status == RG_OK && s.d.ascii != NULL ? s.d.ascii : "");
  if (out->domain == NULL || out->domain_ascii == NULL)
    s.status = RG_E_NOMEM;

  if (s.status == RG_OK)
    score_domain (&s);
  /* A local part and a domain each within their limits can still make a path longer than
   * SMTP carries; an over-long domain has said so already. */
  if (s.status == RG_OK && strlen (mailbox->address) > RG_MAX_ADDRESS_OCTETS
      && s.d.status == RG_OK)
    {
      args.reason = RG_REASON_INVALID_ADDRESS;
      args.input = mailbox->input;
      args.problem = "is longer than 254 octets, more than SMTP can carry";
      add_reason (&s, RG_REASON_INVALID_ADDRESS, &args);
    }
  if (s.status == RG_OK && s.best.found)
    s.status = set_suggestion (&s, s.best.suggestion,
                               known_at (checker, s.best.id)->count);
  else if (s.status == RG_OK && s.d.invisible && s.d.status == RG_OK)
    s.status = set_suggestion (&s, s.d.unicode, 0);
  conclude (&s);
  rg_domain_clear (&s.d);
  return s.status;
}
