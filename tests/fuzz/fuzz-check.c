/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-check.c - the whole check, through the public API: the input's first line is a known
 * domain, the rest an address list.  Every finding is complete, and nothing unparsable or
 * invalid comes back ok.
 */
#include "rcptguard.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_report (const rg_report *report)
{
  for (size_t i = 0; i < rg_report_get_n_findings (report); i++)
    {
      const rg_finding *f = rg_report_get_finding (report, i);
      rg_verdict v = rg_finding_get_verdict (f);

      if (rg_finding_get_input (f) == NULL || rg_finding_get_address (f) == NULL
          || rg_finding_get_domain (f) == NULL || rg_finding_get_domain_ascii (f) == NULL)
        abort ();
      if (rg_finding_get_score (f) < 0 || rg_finding_get_score (f) > 100)
        abort ();
      if ((v == RG_VERDICT_OK) != (rg_finding_get_n_reasons (f) == 0))
        abort ();
      for (size_t r = 0; r < rg_finding_get_n_reasons (f); r++)
        {
          rg_reason reason = rg_finding_get_reason (f, r);

          if (rg_finding_get_reason_message (f, r) == NULL)
            abort ();
          /* A domain that cannot receive mail is never ok. */
          if ((reason == RG_REASON_INVALID_DOMAIN || reason == RG_REASON_INVALID_ADDRESS)
              && v < RG_VERDICT_WARN)
            abort ();
        }
      if (rg_finding_get_suggestion (f) != NULL && rg_finding_get_suggested_domain (f) == NULL)
        abort ();
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static rg_checker *checker;
  const char *newline = memchr (data, '\n', size);
  char *text;
  size_t known_len;

  if (checker == NULL)
    {
      rg_config *config = rg_config_new ();

      rg_config_add_known (config, "army.mil", 214);
      rg_config_add_known (config, "hr.example.com", 3);
      rg_config_add_known (config, "hsbc.co.uk", 1);
      rg_config_add_policy (config, RG_POLICY_BLOCK, "ml");
      rg_config_add_policy (config, RG_POLICY_WARN, "example.net");
      if (rg_checker_new (config, &checker) != RG_OK)
        abort ();
      rg_config_free (config);
    }

  text = malloc (size + 1);
  if (text == NULL)
    return 0;
  memcpy (text, data, size);
  text[size] = '\0';
  known_len = newline != NULL ? (size_t) (newline - (const char *) data) : 0;

  /* The first line, as a known domain of a one-off config, when it is short. */
  if (newline != NULL && known_len < 300)
    {
      rg_config *config = rg_config_new ();
      rg_checker *own = NULL;
      rg_report *report = NULL;
      const char *lists[] = { text + known_len + 1 };

      text[known_len] = '\0';
      rg_config_set_flags (config, RG_CONFIG_CHECK_LOOKALIKES);
      rg_config_add_known (config, text, 5);
      if (rg_checker_new (config, &own) == RG_OK
          && rg_checker_check (own, lists, 1, &report) == RG_OK)
        check_report (report);
      rg_report_free (report);
      rg_checker_free (own);
      rg_config_free (config);
      text[known_len] = '\n';
    }

  {
    rg_report *report = NULL;
    const char *lists[] = { text };

    if (rg_checker_check (checker, lists, 1, &report) == RG_OK)
      check_report (report);
    rg_report_free (report);
  }
  free (text);
  return 0;
}
