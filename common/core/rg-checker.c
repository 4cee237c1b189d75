/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-checker.c - the immutable checker, and the reports it gives.
 */
#include "rg-index.h"
#include "rg-lookalike.h"
#include "rg-nearest.h"
#include "rg-normalize.h"
#include "rg-parse.h"
#include "rg-score.h"

#include <stdlib.h>
#include <string.h>

/* Adds a built-in or trusted domain to the checker's set, keeping a user's count.  These
 * come on top of the caller's known domains, which may fill RG_MAX_KNOWN_DOMAINS: the
 * built-in providers never push a caller's list over its limit. */
static rg_status
add_extra (rg_checker *checker, size_t max, const char *text, bool builtin)
{
  rg_domain d;
  rg_known *entry = NULL;
  rg_status status = rg_domain_normalize (checker->psl, text, strlen (text), &d);

  if (status != RG_OK)
    return status;
  /* A trusted pattern may be a public suffix ("mil"): it trusts, but is no known domain. */
  if (d.status == RG_OK && !d.literal)
    {
      status = rg_known_set_add (&checker->set, max, d.unicode, strlen (d.unicode), 0,
                                 d.reg_start, d.suffix_start, &entry);
      if (status == RG_OK && builtin)
        entry->builtin = 1;
      else if (status == RG_OK)
        entry->trusted = 1;
    }
  rg_domain_clear (&d);
  return status;
}

RG_API rg_status
rg_checker_new (const rg_config *config, rg_checker **out)
{
  rg_checker *checker;
  rg_status status;

  if (out == NULL)
    return RG_E_INVALID_ARGUMENT;
  *out = NULL;
  if (config == NULL)
    return RG_E_INVALID_ARGUMENT;
  checker = calloc (1, sizeof *checker);
  if (checker == NULL)
    return RG_E_NOMEM;
  checker->flags = config->flags;
  checker->n_user_known = config->set.n;
  checker->psl = psl_builtin ();
  status = rg_known_set_copy (&checker->set, &config->set);
  for (int i = 0; i < RG_N_POLICIES && status == RG_OK; i++)
    status = rg_pattern_list_copy (&checker->policies[i], &config->policies[i]);
  if (status == RG_OK && checker->psl == NULL)
    status = RG_E_INTERNAL;
  if (status == RG_OK)
    status = rg_lookalike_init (checker);

  if (status == RG_OK)
    {
      size_t n_providers = 0;
      const char *const *providers = rg_builtin_providers (&n_providers);
      size_t n_trusted = checker->policies[RG_POLICY_TRUSTED].n;
      size_t max = RG_MAX_KNOWN_DOMAINS + n_providers + n_trusted;

      for (size_t i = 0; (checker->flags & RG_CONFIG_BUILTIN_PROVIDERS) != 0 && i < n_providers
                         && status == RG_OK; i++)
        status = add_extra (checker, max, providers[i], true);
      for (size_t i = 0; status == RG_OK && i < n_trusted; i++)
        status = add_extra (checker, max, checker->policies[RG_POLICY_TRUSTED].items[i], false);
    }

  if (status == RG_OK)
    status = rg_index_build (checker, &checker->index);
  if (status == RG_OK)
    rg_nearest_mark_twins (checker);
  if (status != RG_OK)
    {
      rg_checker_free (checker);
      return status;
    }
  /* The index answers every lookup from here on; the build-time hash table goes. */
  free (checker->set.slots);
  checker->set.slots = NULL;
  checker->set.n_slots = 0;
  *out = checker;
  return RG_OK;
}

RG_API void
rg_checker_free (rg_checker *checker)
{
  if (checker == NULL)
    return;
  rg_index_free (checker->index);
  rg_known_set_clear (&checker->set);
  for (int i = 0; i < RG_N_POLICIES; i++)
    rg_pattern_list_clear (&checker->policies[i]);
  rg_lookalike_clear (checker);
  free (checker);
}

static void
finding_clear (rg_finding *f)
{
  free (f->input);
  free (f->address);
  free (f->domain);
  free (f->domain_ascii);
  free (f->suggestion);
  free (f->suggested_domain);
  for (size_t i = 0; i < f->n_reasons; i++)
    free (f->messages[i]);
}

/* Makes @f an ok finding with nothing to say: what rg_checker_check_blocks () reports for a
 * recipient the block list does not name. */
static void
finding_forget (rg_finding *f)
{
  for (size_t i = 0; i < f->n_reasons; i++)
    free (f->messages[i]);
  f->n_reasons = 0;
  free (f->suggestion);
  free (f->suggested_domain);
  f->suggestion = NULL;
  f->suggested_domain = NULL;
  f->suggested_count = 0;
  f->suggested_sources = 0;
  f->verdict = RG_VERDICT_OK;
  f->score = 0;
}

RG_API void
rg_report_free (rg_report *report)
{
  if (report == NULL)
    return;
  for (size_t i = 0; i < report->n; i++)
    finding_clear (&report->findings[i]);
  free (report->findings);
  free (report);
}

static rg_status
check (const rg_checker *checker, bool blocks_only, const char *const *lists, size_t n_lists,
       rg_report **out)
{
  rg_mailbox_list mailboxes = { 0 };
  size_t *list_of = NULL;
  size_t allocated = 0;
  rg_report *report;
  rg_status status = RG_OK;

  if (out == NULL)
    return RG_E_INVALID_ARGUMENT;
  *out = NULL;
  if (checker == NULL || (lists == NULL && n_lists > 0))
    return RG_E_INVALID_ARGUMENT;

  for (size_t i = 0; i < n_lists && status == RG_OK; i++)
    {
      size_t before = mailboxes.n;

      if (lists[i] == NULL)
        {
          status = RG_E_INVALID_ARGUMENT;
          break;
        }
      status = rg_parse_address_list (lists[i], strlen (lists[i]),
                                      RG_MAX_RECIPIENTS - before, &mailboxes);
      if (status == RG_OK && mailboxes.n > allocated)
        {
          size_t *grown = realloc (list_of, mailboxes.allocated * sizeof *grown);

          if (grown == NULL)
            status = RG_E_NOMEM;
          else
            {
              list_of = grown;
              allocated = mailboxes.allocated;
            }
        }
      for (size_t j = before; status == RG_OK && j < mailboxes.n; j++)
        list_of[j] = i;
    }

  report = calloc (1, sizeof *report);
  if (status == RG_OK && report == NULL)
    status = RG_E_NOMEM;
  if (status == RG_OK && mailboxes.n > 0)
    {
      report->findings = calloc (mailboxes.n, sizeof *report->findings);
      if (report->findings == NULL)
        status = RG_E_NOMEM;
    }
  for (size_t i = 0; status == RG_OK && i < mailboxes.n; i++)
    {
      rg_finding *f = &report->findings[i];

      report->n++;
      f->list_index = list_of[i];
      status = rg_score_mailbox (checker, &mailboxes.items[i], f);
      if (status == RG_OK && blocks_only && f->verdict != RG_VERDICT_BLOCK)
        finding_forget (f);
      if (f->verdict > report->verdict)
        report->verdict = f->verdict;
    }
  rg_mailbox_list_clear (&mailboxes);
  free (list_of);
  if (status != RG_OK)
    {
      rg_report_free (report);
      return status;
    }
  *out = report;
  return RG_OK;
}

RG_API rg_status
rg_checker_check (const rg_checker *checker, const char *const *lists, size_t n_lists,
                  rg_report **out)
{
  return check (checker, false, lists, n_lists, out);
}

RG_API rg_status
rg_checker_check_blocks (const rg_checker *checker, const char *const *lists, size_t n_lists,
                         rg_report **out)
{
  return check (checker, true, lists, n_lists, out);
}

RG_API rg_verdict
rg_report_get_verdict (const rg_report *report)
{
  return report != NULL ? report->verdict : RG_VERDICT_OK;
}

RG_API size_t
rg_report_get_n_findings (const rg_report *report)
{
  return report != NULL ? report->n : 0;
}

RG_API const rg_finding *
rg_report_get_finding (const rg_report *report, size_t index)
{
  if (report == NULL || index >= report->n)
    return NULL;
  return &report->findings[index];
}

RG_API size_t
rg_finding_get_list_index (const rg_finding *finding)
{
  return finding->list_index;
}

RG_API const char *
rg_finding_get_input (const rg_finding *finding)
{
  return finding->input;
}

RG_API const char *
rg_finding_get_address (const rg_finding *finding)
{
  return finding->address;
}

RG_API const char *
rg_finding_get_domain (const rg_finding *finding)
{
  return finding->domain;
}

RG_API const char *
rg_finding_get_domain_ascii (const rg_finding *finding)
{
  return finding->domain_ascii;
}

RG_API rg_verdict
rg_finding_get_verdict (const rg_finding *finding)
{
  return finding->verdict;
}

RG_API int
rg_finding_get_score (const rg_finding *finding)
{
  return finding->score;
}

RG_API size_t
rg_finding_get_n_reasons (const rg_finding *finding)
{
  return finding->n_reasons;
}

RG_API rg_reason
rg_finding_get_reason (const rg_finding *finding, size_t index)
{
  return index < finding->n_reasons ? finding->reasons[index] : RG_N_REASONS;
}

RG_API const char *
rg_finding_get_reason_message (const rg_finding *finding, size_t index)
{
  return index < finding->n_reasons ? finding->messages[index] : NULL;
}

RG_API const char *
rg_finding_get_suggestion (const rg_finding *finding)
{
  return finding->suggestion;
}

RG_API const char *
rg_finding_get_suggested_domain (const rg_finding *finding)
{
  return finding->suggested_domain;
}

RG_API uint32_t
rg_finding_get_suggested_count (const rg_finding *finding)
{
  return finding->suggested_count;
}

RG_API unsigned
rg_finding_get_suggested_sources (const rg_finding *finding)
{
  return finding->suggested_sources;
}

RG_API uint32_t
rg_finding_get_count (const rg_finding *finding)
{
  return finding->count;
}
