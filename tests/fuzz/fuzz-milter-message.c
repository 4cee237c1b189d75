/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-milter-message.c - the milter's message handling (plugin/milter/rg-milter-message.c)
 * without libmilter: whatever envelope and headers Postfix hands over, the decision must be
 * well-formed.  Also the config file reader (common/glib/rg-milter-config.c) and the
 * learn line parser (rg-milter-learn.c) on the same bytes.
 *
 * Input: a config file (GKeyFile text), a line "--", then one command per line:
 *   out 0|1          whether the client is the organisation's
 *   from ADDRESS     MAIL FROM argument
 *   rcpt ADDRESS     RCPT TO argument (repeatable)
 *   hdr NAME:VALUE   a header ("\r\n" in VALUE as the two characters \n is left as is)
 *   end              decide (repeatable: a second message on the connection)
 * Without "--" the whole input is the envelope commands with the default config.
 *
 * Checked: reply texts are printable ASCII within the limit with every '%' doubled, codes
 * match the action, a block finding always rejects with 5.7.1, the tag header has no line
 * break, and every learned domain is lower-case.
 */
#include <glib.h>
#include <rcptguard.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rg-milter-config.h"
#include "rg-milter-learn.h"
#include "rg-milter-message.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check (gboolean condition, const char *what)
{
  if (!condition)
    {
      fprintf (stderr, "fuzz-milter-message: %s\n", what);
      abort ();
    }
}

static void
check_text (const char *text, gsize max)
{
  gsize len = strlen (text);

  check (len <= max, "reply text within its limit");
  for (gsize i = 0; i < len; i++)
    {
      check (text[i] >= 0x20 && text[i] < 0x7f, "reply text printable ASCII");
      if (text[i] == '%')
        {
          check (i + 1 < len && text[i + 1] == '%', "'%' doubled");
          i++;
        }
    }
}

/* Odd-length recipients were "told before": both paths of reject-once are taken. */
static gboolean
remembered (const char *sender, const char *recipient, gpointer data)
{
  return strlen (recipient) % 2 == 1;
}

static void
decide (RgMilterMessage *message, const rg_checker *checker, const RgMilterConfig *config)
{
  RgMilterVerdict verdict;
  gboolean any_block = FALSE;

  rg_milter_message_decide (message, checker, config, remembered, NULL, &verdict);
  for (gsize i = 0; verdict.report != NULL && i < rg_report_get_n_findings (verdict.report); i++)
    if (rg_finding_get_verdict (rg_report_get_finding (verdict.report, i)) == RG_VERDICT_BLOCK)
      any_block = TRUE;
  switch (verdict.action)
    {
    case RG_MILTER_REJECT:
      check (strcmp (verdict.rcode, "550") == 0, "reject is 550");
      check_text (verdict.text, RG_MILTER_MAX_REPLY_TEXT);
      break;
    case RG_MILTER_TEMPFAIL:
      check (strcmp (verdict.rcode, "451") == 0 && strcmp (verdict.xcode, "4.7.1") == 0,
             "tempfail is 451 4.7.1");
      check_text (verdict.text, RG_MILTER_MAX_REPLY_TEXT);
      break;
    case RG_MILTER_HOLD:
      check (verdict.hold_reason != NULL, "hold has a reason");
      check_text (verdict.hold_reason, RG_MILTER_MAX_REPLY_TEXT);
      break;
    case RG_MILTER_ACCEPT:
      check (!any_block, "a block finding is never accepted");
      if (verdict.tag != NULL)
        check (strpbrk (verdict.tag, "\r\n") == NULL, "tag is one line");
      break;
    default:
      check (FALSE, "known action");
    }
  if (any_block)
    check (verdict.action == RG_MILTER_REJECT && strcmp (verdict.xcode, "5.7.1") == 0,
           "a block finding rejects with 5.7.1");
  for (guint i = 0; verdict.learn != NULL && i < verdict.learn->len; i++)
    {
      const char *domain = g_ptr_array_index (verdict.learn, i);
      g_autofree char *lower = g_ascii_strdown (domain, -1);

      check (strcmp (domain, lower) == 0, "learned domains are lower case");
    }
  if (verdict.log)
    check (verdict.log_action != NULL, "a logged verdict names its action");
  rg_milter_verdict_clear (&verdict);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  const char *separator = strstr (text, "\n--\n");
  g_autoptr (RgMilterConfig) config = NULL;
  g_autoptr (RgMilterMessage) message = rg_milter_message_new ();
  g_auto (GStrv) lines = NULL;
  rg_config *core = rg_config_new ();
  rg_checker *checker = NULL;

  if (separator != NULL)
    config = rg_milter_config_load_data (text, (gsize) (separator - text), "fuzz", NULL);
  if (config == NULL)
    config = rg_milter_config_new_default ();
  for (guint i = 0; config->problems[i] != NULL; i++)
    check (g_utf8_validate (config->problems[i], -1, NULL) || TRUE, "problem");

  rg_milter_config_apply (config, core);
  rg_config_add_evidence (core, "army.mil", 214, RG_SOURCE_COLLECTED);
  rg_config_add_evidence (core, "army.ml", 1, RG_SOURCE_COLLECTED);
  rg_config_add_evidence (core, "example.org", 1, RG_SOURCE_IDENTITY);
  check (rg_checker_new (core, &checker) == RG_OK, "checker");
  rg_config_free (core);

  lines = g_strsplit (separator != NULL ? separator + 4 : text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      g_autofree char *domain = rg_milter_learn_parse_line (line, strlen (line));

      if (domain != NULL)
        check (*domain != '\0' && strchr (domain, '@') == NULL, "learned a domain");
      if (g_str_has_prefix (line, "out "))
        rg_milter_message_set_outgoing (message, line[4] == '1');
      else if (g_str_has_prefix (line, "from "))
        rg_milter_message_set_sender (message, line + 5);
      else if (g_str_has_prefix (line, "rcpt "))
        rg_milter_message_add_recipient (message, line + 5);
      else if (g_str_has_prefix (line, "hdr "))
        {
          g_autofree char *name = g_strdup (line + 4);
          char *colon = strchr (name, ':');

          if (colon != NULL)
            {
              *colon = '\0';
              rg_milter_message_add_header (message, name, colon + 1);
            }
        }
      else if (strcmp (line, "end") == 0)
        {
          decide (message, checker, config);
          rg_milter_message_reset (message);
        }
    }
  decide (message, checker, config);
  /* Without a checker, on-error decides. */
  decide (message, NULL, config);
  rg_checker_free (checker);
  return 0;
}
