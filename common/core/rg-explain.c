/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-explain.c - say why a recipient was flagged, naming the domains involved.
 *
 * These sentences are for the command line and the logs; the desktop layers build their
 * translated sentences from the same facts (reason, domains, count, rg_tld_country()).
 */
#include "rg-explain.h"

#include <stdio.h>
#include <string.h>

/* Text from the user is shown in full up to this many octets, then cut with an ellipsis:
 * a sentence quoting a 100,000-octet domain helps nobody. */
#define RG_MAX_QUOTED_OCTETS 80

static const char *
quote (const char *text, char *buffer, size_t size)
{
  size_t len = strlen (text);
  size_t cut = RG_MAX_QUOTED_OCTETS - 20;

  if (len <= RG_MAX_QUOTED_OCTETS)
    return text;
  /* Cut at the start of a UTF-8 sequence. */
  while (cut > 0 && ((unsigned char) text[cut] & 0xC0) == 0x80)
    cut--;
  snprintf (buffer, size, "%.*s… (%zu octets)", (int) cut, text, len);
  return buffer;
}

static void
encode_cp (uint32_t cp, char out[5])
{
  if (cp < 0x80)
    {
      out[0] = (char) cp;
      out[1] = '\0';
    }
  else if (cp < 0x800)
    {
      out[0] = (char) (0xC0 | (cp >> 6));
      out[1] = (char) (0x80 | (cp & 0x3F));
      out[2] = '\0';
    }
  else if (cp < 0x10000)
    {
      out[0] = (char) (0xE0 | (cp >> 12));
      out[1] = (char) (0x80 | ((cp >> 6) & 0x3F));
      out[2] = (char) (0x80 | (cp & 0x3F));
      out[3] = '\0';
    }
  else
    {
      out[0] = (char) (0xF0 | (cp >> 18));
      out[1] = (char) (0x80 | ((cp >> 12) & 0x3F));
      out[2] = (char) (0x80 | ((cp >> 6) & 0x3F));
      out[3] = (char) (0x80 | (cp & 0x3F));
      out[4] = '\0';
    }
}

/* "a letter missing", "“l” typed twice", ...: what the slip was. */
static void
describe_edit (const rg_explain_args *a, char *out, size_t size)
{
  const rg_edit *e = a->edit;
  char typed[5], key[5];

  encode_cp (e->typed_cp, typed);
  encode_cp (e->key_cp, key);
  switch (e->kind)
    {
    case RG_EDIT_OMISSION:
      snprintf (out, size, "%s", e->key_cp == '.' ? "a dot missing"
                : e->key_cp == '-' ? "a hyphen missing" : "a letter missing");
      break;
    case RG_EDIT_INSERTION:
      if (e->typed_cp == '.')
        snprintf (out, size, "an extra dot");
      else if (e->typed_cp == '-')
        snprintf (out, size, "an extra hyphen");
      else if (e->repeated)
        snprintf (out, size, "“%s” typed twice", typed);
      else
        snprintf (out, size, "an extra “%s”", typed);
      break;
    case RG_EDIT_SUBSTITUTION:
      if (e->typed_cp == '.')
        snprintf (out, size, "a dot in place of “%s”", key);
      else if (e->key_cp == '.')
        snprintf (out, size, "“%s” in place of a dot", typed);
      else if (a->reason == RG_REASON_TYPO_ADJACENT_KEY)
        snprintf (out, size, "“%s” typed for the neighbouring key “%s”", typed, key);
      else
        snprintf (out, size, "“%s” in place of “%s”", typed, key);
      break;
    case RG_EDIT_TRANSPOSITION:
      if (e->typed_cp == '.' || e->key_cp == '.')
        snprintf (out, size, "a dot in the wrong place");
      else
        snprintf (out, size, "“%s%s” typed as “%s%s”", key, typed, typed, key);
      break;
    default:
      snprintf (out, size, "a slip");
      break;
    }
}

/* " You write to army.mil." and the like. */
static void
describe_known (const rg_explain_args *a, char *out, size_t size)
{
  const char *name = a->known_name != NULL ? a->known_name : a->known;

  if (a->certain_source != NULL && strcmp (a->certain_source, "identity") == 0)
    snprintf (out, size, " %s is your own domain.", name);
  else if (a->certain_source != NULL)
    snprintf (out, size, " Your administrator lists %s.", name);
  else if (a->trusted)
    snprintf (out, size, " %s is a trusted domain.", name);
  else if (a->count >= 2)
    snprintf (out, size, " You write to %s (%u uses).", name, a->count);
  else if (a->count == 1)
    snprintf (out, size, " You write to %s.", name);
  else if (a->builtin)
    snprintf (out, size, " %s is a large public mail provider.", name);
  else
    out[0] = '\0';
}

/* " .ml is the country domain of Mali." when the typed domain ends in another country's
 * code than the domain meant. */
static void
describe_country (const char *typed_ascii, const char *known, char *out, size_t size)
{
  const char *tld = typed_ascii != NULL ? rg_last_label (typed_ascii) : NULL;
  const char *country = tld != NULL ? rg_tld_country (tld) : NULL;

  out[0] = '\0';
  if (country == NULL || (known != NULL && strcmp (rg_last_label (known), tld) == 0))
    return;
  snprintf (out, size, " .%s is the country domain of %s.", tld, country);
}

/* "once", "twice", "214 times". */
static void
times (uint32_t count, char *out, size_t size)
{
  if (count == 1)
    snprintf (out, size, "once");
  else if (count == 2)
    snprintf (out, size, "twice");
  else
    snprintf (out, size, "%u times", (unsigned) count);
}

/* The two slips of a compound: "“my” typed as “ym” and the ending .ml for .mil", or "two
 * letters wrong" when they were not told apart. */
static void
describe_two_slips (const rg_explain_args *a, char *out, size_t size)
{
  char first[128];

  if (a->edit2 == NULL)
    {
      snprintf (out, size, "two letters wrong");
      return;
    }
  describe_edit (a, first, sizeof first);
  snprintf (out, size, "%s and the ending .%s for .%s", first, a->typed + a->typed_suffix,
            a->known + a->known_suffix);
}

char *
rg_explain (const rg_explain_args *a)
{
  char q1[RG_MAX_QUOTED_OCTETS + 32], q2[RG_MAX_QUOTED_OCTETS + 32];
  char detail[256], known[RG_MAX_DOMAIN_OCTETS * 4 + 64];
  char country[256];
  const char *typed = a->typed != NULL ? quote (a->typed, q1, sizeof q1) : "";

  switch (a->reason)
    {
    case RG_REASON_TYPO_OMISSION:
    case RG_REASON_TYPO_INSERTION:
    case RG_REASON_TYPO_REPETITION:
    case RG_REASON_TYPO_ADJACENT_KEY:
    case RG_REASON_TYPO_VOWEL_SWAP:
    case RG_REASON_TYPO_SUBSTITUTION:
    case RG_REASON_TYPO_TRANSPOSITION:
    case RG_REASON_TYPO_HYPHEN:
    case RG_REASON_MISSING_DOT:
    case RG_REASON_EXTRA_DOT:
    case RG_REASON_MOVED_DOT:
      describe_edit (a, detail, sizeof detail);
      describe_known (a, known, sizeof known);
      describe_country (a->typed_ascii, a->known, country, sizeof country);
      return rg_printf ("%s is %s with %s.%s%s", typed, a->known, detail, known, country);

    case RG_REASON_COMPOUND:
      describe_two_slips (a, detail, sizeof detail);
      describe_known (a, known, sizeof known);
      describe_country (a->typed_ascii, a->known, country, sizeof country);
      return rg_printf ("%s is %s with two slips: %s.%s%s", typed, a->known, detail, known,
                        country);

    case RG_REASON_EXTRA_ENDING:
      describe_known (a, known, sizeof known);
      return rg_printf ("%s is %s with an ending added.%s", typed, a->known, known);

    case RG_REASON_RARE_TWIN:
      {
        char typed_times[32], known_times[32];

        times (a->typed_count, typed_times, sizeof typed_times);
        describe_known (a, known, sizeof known);
        if (a->certain_source != NULL || a->trusted || a->builtin || a->count == 0)
          return rg_printf ("You have written to %s only %s, and it is one slip from %s.%s",
                            typed, typed_times, a->known, known);
        times (a->count, known_times, sizeof known_times);
        return rg_printf ("You have written to %s %s and to %s %s: %s may be a slip that "
                          "was sent before.", typed, typed_times, a->known, known_times, typed);
      }

    case RG_REASON_TLD_SWAP:
    case RG_REASON_TRUNCATED_SUFFIX:
      describe_known (a, known, sizeof known);
      describe_country (a->typed_ascii, a->known, country, sizeof country);
      return rg_printf ("%s has the ending .%s where %s has .%s.%s%s", typed,
                        a->typed + a->typed_suffix, a->known, a->known + a->known_suffix,
                        known, country);

    case RG_REASON_CONFUSABLE:
      describe_known (a, known, sizeof known);
      if (a->typed_ascii != NULL && strcmp (a->typed_ascii, a->typed) != 0)
        return rg_printf ("%s (%s) looks like %s but is written with other characters.%s",
                          typed, quote (a->typed_ascii, q2, sizeof q2), a->known, known);
      return rg_printf ("%s looks like %s but is another domain.%s", typed, a->known, known);

    case RG_REASON_MIXED_SCRIPT:
      return rg_printf ("The label “%.*s” of %s mixes %s letters, the way lookalike domains "
                        "are made.", (int) a->label_len, a->label, typed, a->scripts);

    case RG_REASON_INVISIBLE:
      return rg_printf ("%s is written with an invisible or look-alike character (U+%04X): "
                        "it would be sent as %s.", typed, (unsigned) a->cp,
                        a->known != NULL ? a->known : "something else");

    case RG_REASON_UNKNOWN_TLD:
      return rg_printf ("%s ends in .%s, which is not a top-level domain that exists.",
                        typed, rg_last_label (a->typed));

    case RG_REASON_INVALID_DOMAIN:
      return rg_printf ("%s is not a valid domain: it %s.", typed, a->problem);

    case RG_REASON_INVALID_ADDRESS:
      return rg_printf ("“%s” is not an e-mail address: it %s.",
                        quote (a->input, q2, sizeof q2), a->problem);

    case RG_REASON_IP_LITERAL:
      return rg_printf ("%s is an IP address, not a domain name: the mail goes straight to "
                        "that machine.", typed);

    case RG_REASON_NEW_DOMAIN:
      return rg_printf ("You have not written to %s before.", typed);

    case RG_REASON_POLICY_WARN:
    case RG_REASON_POLICY_BLOCK:
      describe_country (a->pattern, NULL, country, sizeof country);
      if (strchr (a->pattern, '.') == NULL)
        snprintf (detail, sizeof detail, ".%s addresses", a->pattern);
      else
        snprintf (detail, sizeof detail, "%s", a->pattern);
      return rg_printf (a->reason == RG_REASON_POLICY_BLOCK
                        ? "Your policy forbids sending to %s.%s"
                        : "Your policy asks before sending to %s.%s", detail, country);

    default:
      return rg_printf ("%s looks wrong.", typed);
    }
}
