/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "rg-confirmed-header.h"

/* Whether @outcome sends the flagged address as it was. */
static gboolean
outcome_keeps_address (RgOutcome outcome)
{
  return outcome == RG_OUTCOME_KEPT || outcome == RG_OUTCOME_TRUSTED;
}

/**
 * rg_confirmed_header_dup_value:
 * @report: the check the dialog showed
 * @outcomes: (nullable) (array length=n_outcomes): after "Send Corrected", what became of
 *   each flagged finding of @report (verdict warn or block, in the report's order: the
 *   dialog's rows); %NULL after "Send Anyway", which keeps every one
 * @n_outcomes: the length of @outcomes; a finding beyond it counts as not confirmed
 *
 * The value of the header %RG_CONFIRMED_HEADER: the addresses of the flagged findings that go
 * out as they were, each once (compared without regard to ASCII case), in the report's
 * order, separated by ", ".  Addresses are the core's, at most %RG_MAX_RECIPIENTS of them,
 * so the value is bounded; a header line that long is folded by whoever writes the message
 * (Camel, Thunderbird's jsmime).  Costs O(n) in the report's findings.
 *
 * Returns: (transfer full) (nullable): the value, UTF-8, or %NULL when no recipient was
 *   confirmed (no header at all then).  Free with g_free ().
 * Since: 0.2
 */
char *
rg_confirmed_header_dup_value (const rg_report *report,
                               const RgOutcome *outcomes,
                               gsize            n_outcomes)
{
  g_autoptr (GString) value = NULL;
  g_autoptr (GHashTable) seen = NULL;
  gsize row = 0;

  g_return_val_if_fail (report != NULL, NULL);
  g_return_val_if_fail (outcomes != NULL || n_outcomes == 0, NULL);

  value = g_string_new (NULL);
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (gsize i = 0; i < rg_report_get_n_findings (report); i++)
    {
      const rg_finding *finding = rg_report_get_finding (report, i);
      const char *address;
      gboolean confirmed;

      if (rg_finding_get_verdict (finding) < RG_VERDICT_WARN)
        continue;
      if (outcomes == NULL)
        confirmed = TRUE;
      else
        confirmed = row < n_outcomes && outcome_keeps_address (outcomes[row]);
      row++;
      address = rg_finding_get_address (finding);
      if (!confirmed || address == NULL || *address == '\0')
        continue;
      if (!g_hash_table_add (seen, g_ascii_strdown (address, -1)))
        continue;
      if (value->len > 0)
        g_string_append (value, ", ");
      g_string_append (value, address);
    }
  if (value->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&value), FALSE);
}
