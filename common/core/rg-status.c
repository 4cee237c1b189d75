/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-status.c - names and sentences for status codes, verdicts and reasons.
 */
#include "rcptguard.h"

#include <string.h>

RG_API const char *
rg_strerror (rg_status status)
{
  switch (status)
    {
    case RG_OK: return "Success";
    case RG_E_NOMEM: return "Out of memory";
    case RG_E_INTERNAL: return "Internal error in a library";
    case RG_E_INVALID_ARGUMENT: return "Invalid argument";
    case RG_E_ENCODING: return "Not valid UTF-8";
    case RG_E_CONTROL_CHARACTER: return "Contains a control character (NUL, CR, LF, ...)";
    case RG_E_TOO_LONG: return "Longer than the limit";
    case RG_E_TOO_MANY: return "More items than the limit";
    case RG_E_SYNTAX: return "Not an e-mail address";
    case RG_E_DOMAIN: return "Not a valid domain name";
    case RG_E_PUBLIC_SUFFIX: return "A public suffix, not a domain someone can own";
    default: return "Unknown error";
    }
}

RG_API const char *
rg_strerror_name (rg_status status)
{
  switch (status)
    {
    case RG_OK: return "RG_OK";
    case RG_E_NOMEM: return "RG_E_NOMEM";
    case RG_E_INTERNAL: return "RG_E_INTERNAL";
    case RG_E_INVALID_ARGUMENT: return "RG_E_INVALID_ARGUMENT";
    case RG_E_ENCODING: return "RG_E_ENCODING";
    case RG_E_CONTROL_CHARACTER: return "RG_E_CONTROL_CHARACTER";
    case RG_E_TOO_LONG: return "RG_E_TOO_LONG";
    case RG_E_TOO_MANY: return "RG_E_TOO_MANY";
    case RG_E_SYNTAX: return "RG_E_SYNTAX";
    case RG_E_DOMAIN: return "RG_E_DOMAIN";
    case RG_E_PUBLIC_SUFFIX: return "RG_E_PUBLIC_SUFFIX";
    default: return "RG_E_UNKNOWN";
    }
}

RG_API const char *
rg_verdict_to_string (rg_verdict verdict)
{
  switch (verdict)
    {
    case RG_VERDICT_OK: return "ok";
    case RG_VERDICT_NOTICE: return "notice";
    case RG_VERDICT_WARN: return "warn";
    case RG_VERDICT_BLOCK: return "block";
    default: return "unknown";
    }
}

/* Stable: logs, tests and scripts match on these. */
static const char *const reason_codes[RG_N_REASONS] = {
  [RG_REASON_TYPO_OMISSION] = "typo-omission",
  [RG_REASON_TYPO_INSERTION] = "typo-insertion",
  [RG_REASON_TYPO_REPETITION] = "typo-repetition",
  [RG_REASON_TYPO_ADJACENT_KEY] = "typo-adjacent-key",
  [RG_REASON_TYPO_VOWEL_SWAP] = "typo-vowel-swap",
  [RG_REASON_TYPO_SUBSTITUTION] = "typo-substitution",
  [RG_REASON_TYPO_TRANSPOSITION] = "typo-transposition",
  [RG_REASON_TYPO_HYPHEN] = "typo-hyphen",
  [RG_REASON_TLD_SWAP] = "tld-swap",
  [RG_REASON_MISSING_DOT] = "missing-dot",
  [RG_REASON_EXTRA_DOT] = "extra-dot",
  [RG_REASON_MOVED_DOT] = "moved-dot",
  [RG_REASON_TRUNCATED_SUFFIX] = "truncated-suffix",
  [RG_REASON_CONFUSABLE] = "confusable",
  [RG_REASON_MIXED_SCRIPT] = "mixed-script",
  [RG_REASON_INVISIBLE] = "invisible-character",
  [RG_REASON_UNKNOWN_TLD] = "unknown-tld",
  [RG_REASON_INVALID_DOMAIN] = "invalid-domain",
  [RG_REASON_INVALID_ADDRESS] = "invalid-address",
  [RG_REASON_IP_LITERAL] = "ip-literal",
  [RG_REASON_NEW_DOMAIN] = "new-domain",
  [RG_REASON_POLICY_WARN] = "policy-warn",
  [RG_REASON_POLICY_BLOCK] = "policy-block",
  [RG_REASON_RARE_TWIN] = "rare-twin",
  [RG_REASON_COMPOUND] = "compound-slip",
  [RG_REASON_EXTRA_ENDING] = "extra-ending",
};

static const char *const source_names[RG_N_SOURCES] = {
  [RG_SOURCE_CONTACT] = "contact",
  [RG_SOURCE_COLLECTED] = "collected",
  [RG_SOURCE_IDENTITY] = "identity",
  [RG_SOURCE_ADMIN] = "admin",
};

RG_API const char *
rg_source_to_string (rg_source source)
{
  if ((unsigned) source >= RG_N_SOURCES)
    return NULL;
  return source_names[source];
}

RG_API bool
rg_source_from_string (const char *text, rg_source *out)
{
  if (text == NULL)
    return false;
  for (int i = 0; i < RG_N_SOURCES; i++)
    if (strcmp (text, source_names[i]) == 0)
      {
        *out = (rg_source) i;
        return true;
      }
  return false;
}

RG_API const char *
rg_reason_to_code (rg_reason reason)
{
  if ((unsigned) reason >= RG_N_REASONS)
    return "unknown";
  return reason_codes[reason];
}
