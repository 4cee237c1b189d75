/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-score.c - from a recipient to a verdict: policy, known domains, the nearest known
 * domain and what kind of slip leads there, lookalikes, and domains that cannot exist.
 */
#include "rg-score.h"

#include "rg-explain.h"
#include "rg-index.h"
#include "rg-lookalike.h"
#include "rg-nearest.h"
#include "rg-weigh.h"

#include <stdlib.h>
#include <string.h>

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
  [RG_REASON_RARE_TWIN] = 85,
  [RG_REASON_COMPOUND] = 75,
  [RG_REASON_EXTRA_ENDING] = 85,
};

/* The score of a lookalike in small type (rg_visual_fold()), a weaker sign than a TR39
 * confusable; and the highest score of a slip weighed as a notice. */
#define RG_LOOKALIKE_SCORE 80
#define RG_NOTICE_MAX_SCORE 50

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

typedef struct {
  const rg_checker *checker;
  rg_finding *f;
  rg_domain d;
  const char *local;
  char typed_case[RG_MAX_SUGGESTION_OCTETS];
  rg_nearest nearest;
  rg_verdict near_verdict;  /* what the slip towards the nearest known domain weighs */
  rg_status status;
} scorer;

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

/* Whether the known domain @id is @text exactly. */
static bool
key_is (const rg_checker *checker, uint32_t id, rg_key_kind kind, const char *text)
{
  const rg_known *k = rg_checker_known (checker, id);
  const char *name = rg_known_name (&checker->set.arena, k);

  return strcmp (kind == RG_KEY_REG ? name + k->reg_start : name, text) == 0;
}

/* Keeps in @best the known domain with the stronger evidence. */
static void
keep_stronger (const rg_checker *checker, uint32_t id, const rg_known **best)
{
  const rg_known *k = rg_checker_known (checker, id);

  if (*best == NULL || rg_known_outweighs (k, *best)
      || (!rg_known_outweighs (*best, k) && k->count > (*best)->count))
    *best = k;
}

/* Whether the recipient's domain is known, a subdomain or parent of a known domain, or of the
 * same organisation (registrable domain) as one: then no slip can send it to a stranger.
 * @exact receives the known domain itself; when there is none, @related the strongest known
 * domain it is related to (for the known domain itself, @related is it: nothing more is
 * looked up, the commonest case at Send). */
static bool
is_known (const scorer *s, const rg_known **exact, const rg_known **related)
{
  const rg_checker *checker = s->checker;
  const char *name = s->d.unicode;
  rg_hit hits[RG_MAX_CANDIDATES];
  size_t n;

  *exact = NULL;
  *related = NULL;
  /* The domain itself and each parent down to, not into, the public suffix. */
  for (const char *p = name; p != NULL && (size_t) (p - name) < s->d.suffix_start;)
    {
      n = rg_index_lookup (checker->index, p, strlen (p), false, RG_KEYS (RG_KEY_FULL), hits,
                           0, RG_MAX_CANDIDATES);
      for (size_t i = 0; i < n; i++)
        if (key_is (checker, hits[i].id, RG_KEY_FULL, p))
          {
            if (p == name)
              {
                *exact = rg_checker_known (checker, hits[i].id);
                *related = *exact;
                return true;
              }
            keep_stronger (checker, hits[i].id, related);
          }
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
        if (key_is (checker, hits[i].id, RG_KEY_REG, reg))
          keep_stronger (checker, hits[i].id, related);
    }
  return *related != NULL;
}

static void
fill_nearest_args (const scorer *s, rg_explain_args *args)
{
  const rg_candidate *c = &s->nearest.best;
  const rg_known *k = rg_checker_known (s->checker, c->id);

  args->reason = c->reason;
  args->typed = s->d.unicode;
  args->typed_ascii = s->d.ascii;
  args->known = c->suggestion;
  args->known_name = rg_known_name (&s->checker->set.arena, k);
  args->count = k->count;
  args->builtin = k->builtin;
  args->trusted = k->trusted;
  args->certain_source = (k->sources & RG_SOURCE_BIT (RG_SOURCE_IDENTITY)) != 0
                         ? "identity"
                         : (k->sources & RG_SOURCE_BIT (RG_SOURCE_ADMIN)) != 0 ? "admin"
                                                                               : NULL;
  args->edit = &c->edit;
  args->edit2 = c->has_edit2 ? &c->edit2 : NULL;
  args->typed_suffix = c->typed_suffix;
  args->known_suffix = c->key_suffix;
}

static void
explain_nearest (scorer *s)
{
  rg_explain_args args = { 0 };

  fill_nearest_args (s, &args);
  add_reason (s, args.reason, &args);
}

/* A known domain with weak evidence that is one or two slips from one with much stronger
 * evidence: a slip sent once, collected since. */
static bool
find_rare_twin (scorer *s, const rg_known *weak)
{
  rg_explain_args args = { 0 };

  s->nearest.weaker_than = weak;
  rg_nearest_find (&s->nearest);
  s->nearest.weaker_than = NULL;
  if (!s->nearest.best.found)
    return false;
  fill_nearest_args (s, &args);
  args.reason = RG_REASON_RARE_TWIN;
  args.typed_count = weak->count;
  add_reason (s, RG_REASON_RARE_TWIN, &args);
  s->near_verdict = RG_VERDICT_WARN;
  return true;
}

/* "g.mx.net" is under a known domain but, without its extra dot, is another known one
 * ("gmx.net"): the dot is the slip, unless the domain without it is a weak twin. */
static bool
find_dot_over_known (scorer *s, const rg_known *related)
{
  rg_nearest_find_removed_dot (&s->nearest);
  if (!s->nearest.best.found)
    return false;
  {
    const rg_known *k = rg_checker_known (s->checker, s->nearest.best.id);

    if (rg_known_is_weak (k) && rg_known_outweighs (related, k))
      {
        s->nearest.best.found = false;
        return false;
      }
  }
  explain_nearest (s);
  s->near_verdict = rg_weigh (s->checker, &s->d, &s->nearest.best);
  return true;
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
      bool near = reason_rank (f->reasons[i]) == 4;
      int score = reason_score[f->reasons[i]];
      rg_verdict verdict = near ? s->near_verdict : reason_verdict (f->reasons[i]);

      if (near && s->nearest.best.near == RG_NEAR_LOOKALIKE)
        score = RG_LOOKALIKE_SCORE;
      if (near && f->suggestion != NULL)
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
      /* A slip the model weighs as a notice is not likely, whatever its kind. */
      if (near && verdict == RG_VERDICT_NOTICE && score > RG_NOTICE_MAX_SCORE)
        score = RG_NOTICE_MAX_SCORE;
      if (verdict > f->verdict)
        f->verdict = verdict;
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
  const rg_known *exact, *related;

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
      if (is_known (s, &exact, &related))
        {
          s->f->count = exact != NULL ? exact->count : 0;
          if (exact != NULL && exact->shadowed && find_rare_twin (s, exact))
            return;
          if (exact == NULL)
            find_dot_over_known (s, related);
          return;
        }
    }

  if (d->unicode != NULL)
    {
      rg_nearest_find (&s->nearest);
      if (s->nearest.best.found)
        {
          explain_nearest (s);
          s->near_verdict = rg_weigh (s->checker, &s->d, &s->nearest.best);
        }
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
  char fixed[RG_MAX_SUGGESTION_OCTETS];
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

  /* The domain as typed keeps its capitals for the lookalike look-up ("paypaI.com"); when it
   * does not line up octet for octet with the normalised form (an IDN, a trailing dot), the
   * normalised form stands in. */
  s.nearest.checker = checker;
  s.nearest.d = &s.d;
  s.nearest.typed_case = s.d.unicode;
  if (s.d.unicode != NULL && strlen (mailbox->domain) < sizeof s.typed_case)
    {
      size_t len = strlen (s.d.unicode);

      memcpy (s.typed_case, mailbox->domain, strlen (mailbox->domain) + 1);
      if (strlen (s.typed_case) == len + 1 && s.typed_case[len] == '.')
        s.typed_case[len] = '\0';
      if (strlen (s.typed_case) == len)
        {
          bool same = true;

          for (size_t i = 0; i < len && same; i++)
            same = rg_ascii_lower (s.typed_case[i]) == s.d.unicode[i];
          if (same)
            s.nearest.typed_case = s.typed_case;
        }
    }
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
  if (s.status == RG_OK && s.nearest.best.found)
    {
      const rg_known *known = rg_checker_known (checker, s.nearest.best.id);

      s.status = set_suggestion (&s, s.nearest.best.suggestion, known->count);
      s.f->suggested_sources = known->sources;
    }
  else if (s.status == RG_OK && s.d.invisible && s.d.status == RG_OK)
    s.status = set_suggestion (&s, s.d.unicode, 0);
  else if (s.status == RG_OK && s.d.status == RG_OK && !s.d.tld_exists
           && rg_nearest_fix_ending (&s.nearest, fixed, sizeof fixed))
    s.status = set_suggestion (&s, fixed, 0);
  conclude (&s);
  rg_domain_clear (&s.d);
  return s.status;
}
