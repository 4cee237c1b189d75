/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-domain-entry.c - what the domain lists of a policy may hold: one validation, shared by
 * rg_config_add_policy (), rg_config_add_known () and whoever checks an entry before storing
 * it (a settings page, the command line), so that they all refuse the same entries.
 */
#include "rg-normalize.h"

#include <string.h>

rg_status
rg_policy_pattern_normalize (const char *text,
                             rg_domain  *out)
{
  rg_status status;

  if (text[0] == '*' && text[1] == '.')
    text += 2;
  else if (text[0] == '.')
    text += 1;
  status = rg_domain_normalize (psl_builtin (), text, strlen (text), out);
  if (status != RG_OK)
    return status;
  if (out->literal)
    return RG_E_DOMAIN;
  /* A pattern may be a public suffix or a top-level domain: "ml" covers all of .ml. */
  if (out->status == RG_OK || out->status == RG_E_PUBLIC_SUFFIX || out->single_label_only)
    return RG_OK;
  return out->status;
}

rg_status
rg_known_domain_normalize (const char *text,
                           rg_domain  *out)
{
  rg_status status = rg_domain_normalize (psl_builtin (), text, strlen (text), out);

  if (status != RG_OK)
    return status;
  return out->literal ? RG_E_DOMAIN : out->status;
}

RG_API rg_status
rg_domain_entry_check (rg_domain_entry kind,
                       const char     *entry)
{
  rg_domain d;
  rg_status status;

  if (entry == NULL)
    return RG_E_INVALID_ARGUMENT;
  switch (kind)
    {
    case RG_DOMAIN_ENTRY_PATTERN:
      status = rg_policy_pattern_normalize (entry, &d);
      break;
    case RG_DOMAIN_ENTRY_KNOWN:
      status = rg_known_domain_normalize (entry, &d);
      break;
    default:
      return RG_E_INVALID_ARGUMENT;
    }
  rg_domain_clear (&d);
  return status;
}
