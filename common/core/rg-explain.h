/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-explain.h - the plain-English sentence for each reason (internal).
 */
#pragma once

#include "rg-edit.h"
#include "rg-private.h"

typedef struct {
  rg_reason reason;
  const char *typed;        /* the domain as the user will recognise it */
  const char *typed_ascii;  /* its ASCII form, or NULL */
  const char *known;        /* the domain meant (near-known reasons) */
  const char *known_name;   /* the known domain it comes from (may be a parent of known) */
  uint32_t count;
  bool builtin;
  bool trusted;
  const char *certain_source; /* "identity" or "admin" when the known domain is that */
  const rg_edit *edit;      /* the typo, for edit-based reasons */
  const rg_edit *edit2;     /* the slip in the ending, for a slip in both */
  uint32_t typed_count;     /* rare twin: uses of the typed domain */
  size_t typed_suffix;      /* offset of the public suffix in typed (tld-swap, truncation) */
  size_t known_suffix;      /* likewise in known */
  const char *pattern;      /* the policy pattern (ASCII) */
  const char *problem;      /* why a domain or address is invalid */
  uint32_t cp;              /* the invisible character */
  const char *label;        /* the mixed-script label and its scripts */
  size_t label_len;
  const char *scripts;
  const char *input;        /* the recipient as written (invalid-address) */
} rg_explain_args;

/* Returns a newly allocated sentence, or NULL when out of memory. */
char *rg_explain (const rg_explain_args *args);
