/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-normalize.h - from a domain as written to its canonical forms (internal).
 */
#pragma once

#include "rg-private.h"

#include <stdbool.h>

typedef struct {
  /* RG_OK; RG_E_DOMAIN, RG_E_TOO_LONG or RG_E_PUBLIC_SUFFIX with @problem set. */
  rg_status status;
  const char *problem;   /* static phrase completing "… is not a valid domain: it …" */
  bool literal;          /* an address literal "[…]"; ascii and unicode hold it */
  bool single_label;     /* no dot: "localhost", "ml" */
  bool single_label_only; /* valid but for having no dot: what a policy pattern may be */
  bool tld_exists;       /* the last label is a top-level domain of the Public Suffix List */
  bool invisible;        /* written with ignorable or compatibility characters */
  uint32_t invisible_cp; /* the first of them */
  /* The mapped forms: lower case, no trailing dot.  NULL when the text could not be mapped
   * at all (bad punycode, disallowed characters, over-long); set, and usable for finding the
   * domain that was meant, when only the structure is wrong (a..b, armymil). */
  char *ascii;
  char *unicode;
  size_t reg_start;      /* offset of the registrable domain in unicode (0: the whole) */
  size_t suffix_start;   /* offset of the public suffix in unicode */
} rg_domain;

/*
 * rg_domain_normalize:
 * @text: a domain as written, @len octets of UTF-8 (validated here)
 *
 * Lower case, one trailing root dot dropped, IDNA2008 with UTS 46 non-transitional mapping
 * (libidn2), then the checks libidn2 does not make: empty labels, LDH, lengths, a public
 * suffix or a single label.  Locale-independent.
 *
 * Returns: RG_OK (see @out->status for the verdict on the domain) or RG_E_NOMEM.
 */
rg_status rg_domain_normalize (const psl_ctx_t *psl, const char *text, size_t len,
                               rg_domain *out);

void rg_domain_clear (rg_domain *domain);

/*
 * The one validation of the entries of the lists (rg-domain-entry.c).  Each normalises @text
 * into @out, which the caller clears in every case, and returns RG_OK when @text is an entry
 * of its kind: rg_policy_pattern_normalize() a pattern of rg_config_add_policy() (a leading
 * "*." or "." is dropped first), rg_known_domain_normalize() a domain someone can own.
 * Otherwise the status of rg_domain_entry_check(), with @out->problem saying why when set.
 */
rg_status rg_policy_pattern_normalize (const char *text, rg_domain *out);
rg_status rg_known_domain_normalize (const char *text, rg_domain *out);

/* Decodes one UTF-8 sequence at @s (at most @len octets); returns its length and stores the
 * code point, or returns 0 for an invalid or truncated sequence. */
size_t rg_utf8_decode (const char *s, size_t len, uint32_t *cp);
