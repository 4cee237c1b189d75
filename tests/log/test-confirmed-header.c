/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The value of X-Recipient-Guard-Confirmed (rg-confirmed-header.h): which flagged recipients
 * a message that left after the dialog names for the organisation's rcptguard-milter.
 */
#include <rcptguard.h>

#include "rg-autoptr.h"
#include "rg-confirmed-header.h"

static rg_checker *
new_checker (void)
{
  g_autoptr (rg_config) config = rg_config_new ();
  rg_checker *checker = NULL;

  g_assert_cmpint (rg_config_add_known (config, "army.mil", 214), ==, RG_OK);
  g_assert_cmpint (rg_config_add_known (config, "gmail.com", 30), ==, RG_OK);
  g_assert_cmpint (rg_config_add_known (config, "corp.example", 12), ==, RG_OK);
  g_assert_cmpint (rg_checker_new (config, &checker), ==, RG_OK);
  return checker;
}

/* A report of @list (one recipient list) whose flagged findings are @n_flagged. */
static rg_report *
check (rg_checker *checker,
       const char *list,
       gsize       n_flagged)
{
  rg_report *report = NULL;
  gsize flagged = 0;

  g_assert_cmpint (rg_checker_check (checker, &list, 1, &report), ==, RG_OK);
  for (gsize i = 0; i < rg_report_get_n_findings (report); i++)
    {
      if (rg_finding_get_verdict (rg_report_get_finding (report, i)) >= RG_VERDICT_WARN)
        flagged++;
    }
  g_assert_cmpuint (flagged, ==, n_flagged);
  return report;
}

static void
test_anyway (void)
{
  g_autoptr (rg_checker) checker = new_checker ();
  g_autoptr (rg_report) report = check (checker, "Ops <ops@army.ml>, hr@corp.example, "
                                        "someone@gmial.com", 2);
  g_autofree char *value = rg_confirmed_header_dup_value (report, NULL, 0);

  /* "Send Anyway": every flagged recipient, the others not (they need no confirmation). */
  g_assert_cmpstr (value, ==, "ops@army.ml, someone@gmial.com");
}

static void
test_corrected (void)
{
  g_autoptr (rg_checker) checker = new_checker ();
  g_autoptr (rg_report) report = check (checker, "ops@army.ml, someone@gmial.com, "
                                        "jo@army.mill, al@gmial.com", 4);
  const RgOutcome outcomes[] = { RG_OUTCOME_KEPT, RG_OUTCOME_USED_SUGGESTION,
                                 RG_OUTCOME_REMOVED, RG_OUTCOME_TRUSTED };
  g_autofree char *value = rg_confirmed_header_dup_value (report, outcomes,
                                                          G_N_ELEMENTS (outcomes));

  /* Kept and trusted go out as they were; a corrected or removed one is not named. */
  g_assert_cmpstr (value, ==, "ops@army.ml, al@gmial.com");
}

static void
test_none (void)
{
  g_autoptr (rg_checker) checker = new_checker ();
  g_autoptr (rg_report) report = check (checker, "ops@army.ml, someone@gmial.com", 2);
  g_autoptr (rg_report) clean = check (checker, "ops@army.mil", 0);
  const RgOutcome outcomes[] = { RG_OUTCOME_USED_SUGGESTION, RG_OUTCOME_REMOVED };
  const RgOutcome short_list[] = { RG_OUTCOME_KEPT };
  g_autofree char *value = NULL;

  /* Every row corrected or removed, or nothing flagged: no header at all. */
  g_assert_null (rg_confirmed_header_dup_value (report, outcomes, G_N_ELEMENTS (outcomes)));
  g_assert_null (rg_confirmed_header_dup_value (clean, NULL, 0));
  /* Outcomes missing for a row: that row is not confirmed (never more than the user said). */
  value = rg_confirmed_header_dup_value (report, short_list, 1);
  g_assert_cmpstr (value, ==, "ops@army.ml");
}

static void
test_each_once (void)
{
  g_autoptr (rg_checker) checker = new_checker ();
  /* The same address in To and Cc, once in other case. */
  g_autoptr (rg_report) report = check (checker, "ops@army.ml, OPS@army.ml, ops@army.ml", 3);
  g_autofree char *value = rg_confirmed_header_dup_value (report, NULL, 0);

  g_assert_cmpstr (value, ==, "ops@army.ml");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/confirmed-header/anyway", test_anyway);
  g_test_add_func ("/confirmed-header/corrected", test_corrected);
  g_test_add_func ("/confirmed-header/none", test_none);
  g_test_add_func ("/confirmed-header/each-once", test_each_once);
  return g_test_run ();
}
