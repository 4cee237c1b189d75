/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-normalize.c - canonical forms of a domain, and why one is not valid.
 *
 * libidn2 does the IDNA2008/UTS 46 mapping but accepts "", "." and "a..b", and knows nothing
 * of LDH for ASCII labels; libpsl answers for public suffixes but mangles "[127.0.0.1]".  So
 * literals are taken aside first and the structure is checked here, on the ASCII form.
 */
#include "rg-normalize.h"

#include <arpa/inet.h>
#include <idn2.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/uidna.h>

/* UTS 46 non-transitional: ß stays ß.  Not IDN2_USE_STD3_ASCII_RULES: libidn2 2.3.3 then
 * drops "≠" from "a≠b.com" and answers "ab.com", another domain; has_symbol() refuses such
 * characters instead. */
#define RG_IDN2_FLAGS (IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL)

/* Text longer than this cannot become a domain of 253 octets even after UTS 46 removes
 * ignorable characters and folds compatibility forms (at most 4 octets each in UTF-8), so it
 * is rejected before libidn2 spends time on it. */
#define RG_MAX_DOMAIN_INPUT_OCTETS (4 * RG_MAX_DOMAIN_OCTETS + 4)

size_t
rg_utf8_decode (const char *s, size_t len, uint32_t *cp)
{
  const unsigned char *u = (const unsigned char *) s;
  size_t need;
  uint32_t c, min;

  if (len == 0)
    return 0;
  if (u[0] < 0x80)
    {
      *cp = u[0];
      return 1;
    }
  if (u[0] >= 0xC2 && u[0] <= 0xDF)
    { need = 2; c = u[0] & 0x1F; min = 0x80; }
  else if (u[0] >= 0xE0 && u[0] <= 0xEF)
    { need = 3; c = u[0] & 0x0F; min = 0x800; }
  else if (u[0] >= 0xF0 && u[0] <= 0xF4)
    { need = 4; c = u[0] & 0x07; min = 0x10000; }
  else
    return 0;
  if (len < need)
    return 0;
  for (size_t i = 1; i < need; i++)
    {
      if ((u[i] & 0xC0) != 0x80)
        return 0;
      c = (c << 6) | (u[i] & 0x3F);
    }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
    return 0;
  *cp = c;
  return need;
}

/* Characters that UTS 46 silently removes or folds into others: what the user sees is then
 * not what is sent.  Ideographic and full-width full stops are folded into "." by UTS 46
 * without being compatibility characters, so they are named here. */
static bool
is_invisible_or_compat (uint32_t cp)
{
  int type;

  if (cp == 0x3002 || cp == 0xFF0E || cp == 0xFF61)
    return true;
  /* Bidirectional controls reorder what is shown: no cleaned form of such a domain can be
   * trusted to be the one the user read, so they stay invalid (IDNA2008 disallows them). */
  if (u_hasBinaryProperty ((UChar32) cp, UCHAR_BIDI_CONTROL))
    return false;
  if (u_hasBinaryProperty ((UChar32) cp, UCHAR_DEFAULT_IGNORABLE_CODE_POINT))
    return true;
  type = u_getIntPropertyValue ((UChar32) cp, UCHAR_DECOMPOSITION_TYPE);
  return type != U_DT_NONE && type != U_DT_CANONICAL;
}

/* Removes default-ignorable code points (zero-width joiners, soft hyphens, ...) in place from
 * valid UTF-8. */
static void
strip_ignorables (char *text)
{
  size_t len = strlen (text), out = 0;

  for (size_t i = 0; i < len;)
    {
      uint32_t cp = 0;
      size_t n = rg_utf8_decode (text + i, len - i, &cp);

      if (n == 0)
        break;
      if (!u_hasBinaryProperty ((UChar32) cp, UCHAR_DEFAULT_IGNORABLE_CODE_POINT))
        {
          memmove (text + out, text + i, n);
          out += n;
        }
      i += n;
    }
  text[out] = '\0';
}

static bool
is_ldh (char c)
{
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

static void
set_problem (rg_domain *out, rg_status status, const char *problem)
{
  if (out->status == RG_OK)
    {
      out->status = status;
      out->problem = problem;
    }
}

/* RFC 5321 section 4.1.3: "[" IPv4 "]" or "[IPv6:" address "]". */
static void
normalize_literal (const char *text, size_t len, rg_domain *out)
{
  char inner[64];
  unsigned char addr[16];
  size_t n = len - 2;

  out->literal = true;
  if (n == 0 || n >= sizeof inner)
    {
      set_problem (out, RG_E_DOMAIN, "is not an IP address in brackets");
      return;
    }
  memcpy (inner, text + 1, n);
  inner[n] = '\0';
  if (n > 5 && rg_ascii_lower (inner[0]) == 'i' && rg_ascii_lower (inner[1]) == 'p'
      && rg_ascii_lower (inner[2]) == 'v' && inner[3] == '6' && inner[4] == ':')
    {
      if (inet_pton (AF_INET6, inner + 5, addr) != 1)
        set_problem (out, RG_E_DOMAIN, "is not an IPv6 address in brackets");
    }
  else if (inet_pton (AF_INET, inner, addr) != 1)
    set_problem (out, RG_E_DOMAIN, "is not an IP address in brackets");
}

/* Checks the structure of the ASCII form and strips its trailing dot. */
static void
check_structure (rg_domain *out)
{
  char *a = out->ascii;
  size_t len = strlen (a);
  size_t label_start = 0;
  size_t n_labels = 0;
  bool all_digits = true;

  if (len > 0 && a[len - 1] == '.')
    a[--len] = '\0';
  if (len == 0)
    {
      set_problem (out, RG_E_DOMAIN, "is empty");
      return;
    }
  if (len > RG_MAX_DOMAIN_OCTETS)
    set_problem (out, RG_E_TOO_LONG, "is longer than 253 octets");
  for (size_t i = 0; i <= len; i++)
    {
      if (i < len && a[i] != '.')
        {
          if (!is_ldh (a[i]))
            set_problem (out, RG_E_DOMAIN,
                         "has a character other than letters, digits, hyphens and dots");
          if (a[i] < '0' || a[i] > '9')
            all_digits = false;
          continue;
        }
      /* The end of a label. */
      n_labels++;
      if (i == label_start)
        set_problem (out, RG_E_DOMAIN, "has an empty label (two dots in a row, or a dot "
                     "at the start)");
      else if (i - label_start > RG_MAX_LABEL_OCTETS)
        set_problem (out, RG_E_DOMAIN, "has a label longer than 63 octets");
      else if (a[label_start] == '-' || a[i - 1] == '-')
        set_problem (out, RG_E_DOMAIN, "has a label that starts or ends with a hyphen");
      else if (i - label_start >= 4 && a[label_start + 2] == '-' && a[label_start + 3] == '-'
               && !(a[label_start] == 'x' && a[label_start + 1] == 'n'))
        /* RFC 5891 section 4.2.3.1: "--" in the third and fourth places is reserved for
         * encodings, and "xn--" is the only one. */
        set_problem (out, RG_E_DOMAIN, "has a label with \"--\" in its third and fourth "
                     "places, which is reserved");
      if (i < len)
        {
          all_digits = true;
          label_start = i + 1;
        }
    }
  if (all_digits)
    set_problem (out, RG_E_DOMAIN, "ends in a number: an IP address needs brackets");
  /* Said last, by refuse_single_label (): the other checks run on a single label too. */
  out->single_label = n_labels == 1;
}

/* A single label ("ml", "localhost") is no full domain name.  Only now, after every other
 * check: a policy pattern may name a top-level domain, but only one that is valid but for
 * having no dot. */
static void
refuse_single_label (rg_domain *out)
{
  if (!out->single_label || out->status != RG_OK)
    return;
  out->single_label_only = true;
  set_problem (out, RG_E_DOMAIN, "has no dot: it is not a full domain name");
}

/* Offset in @s of its last @n labels. */
static size_t
last_labels_start (const char *s, size_t n)
{
  size_t len = strlen (s);
  size_t seen = 0;

  if (n == 0)
    return len;
  for (size_t i = len; i > 0; i--)
    {
      if (s[i - 1] == '.')
        {
          seen++;
          if (seen == n)
            return i;
        }
    }
  return 0;
}

static size_t
count_labels (const char *s)
{
  size_t n = 1;

  for (; *s != '\0'; s++)
    if (*s == '.')
      n++;
  return n;
}

/* The public suffix of @ascii under the ICANN section of the Public Suffix List, starting
 * from @suffix, its suffix under all the rules.  The private section lists names that their
 * owners open to others (blogspot.com, and also an organisation's own homeoffice.gov.uk):
 * those still belong to someone who receives mail, so whether a domain can be owned, and
 * who owns it, is a question for the ICANN rules alone. */
static const char *
icann_suffix (const psl_ctx_t *psl, const char *suffix)
{
  /* A top-level domain is an ICANN rule (or the implicit "*" rule): the private section
   * only lists names under one. */
  while (suffix != NULL && strchr (suffix, '.') != NULL
         && psl_is_public_suffix2 (psl, suffix, PSL_TYPE_ICANN) == 0)
    {
      suffix = strchr (suffix, '.');
      if (suffix != NULL)
        suffix++;
    }
  return suffix;
}

/* Whether the last label of @ascii is a top-level domain: a rule of its own, or a rule under
 * it (.za has only "ac.za", "co.za", ...). */
static bool
tld_exists (const psl_ctx_t *psl, const char *tld, const char *suffix)
{
  if (psl_is_public_suffix2 (psl, tld, PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE) != 0)
    return true;
  return suffix != tld
         && psl_is_public_suffix2 (psl, suffix, PSL_TYPE_ICANN | PSL_TYPE_NO_STAR_RULE) != 0;
}

/* Public suffix, registrable domain and whether the TLD exists, from libpsl.  The registrable
 * domain is the public suffix and one label more, so one look-up finds both (a million known
 * domains are located at load time, and libpsl is most of that cost); a second one is made
 * only when a private rule matched. */
static void
locate_suffix (const psl_ctx_t *psl, rg_domain *out)
{
  const char *ascii = out->ascii;
  const char *tld = strrchr (ascii, '.');
  const char *suffix;

  tld = tld != NULL ? tld + 1 : ascii;
  suffix = psl_unregistrable_domain (psl, ascii);
  suffix = icann_suffix (psl, suffix != NULL ? suffix : tld);
  if (suffix == NULL)
    suffix = tld;
  out->tld_exists = tld_exists (psl, tld, suffix);
  out->suffix_start = last_labels_start (out->unicode, count_labels (suffix));
  if (out->single_label)
    return;
  if (suffix == ascii)
    {
      set_problem (out, RG_E_PUBLIC_SUFFIX, "is a public suffix (like .co.uk): nobody can "
                   "own it");
      return;
    }
  out->reg_start = last_labels_start (out->unicode, count_labels (suffix) + 1);
}

/*
 * libidn2 2.3.3 leaves out the Bidi rule (RFC 5893) and some of UTS 46's validity checks on
 * what it maps; ICU implements UTS 46 whole.  Run on the U-label form of an internationalised
 * domain (ASCII domains need neither), it returns why the domain is not valid, or NULL.
 */
static const char *
uts46_problem (const char *unicode)
{
  UErrorCode error = U_ZERO_ERROR;
  UIDNA *idna = uidna_openUTS46 (UIDNA_USE_STD3_RULES | UIDNA_CHECK_BIDI
                                 | UIDNA_CHECK_CONTEXTJ | UIDNA_NONTRANSITIONAL_TO_ASCII,
                                 &error);
  UIDNAInfo info = UIDNA_INFO_INITIALIZER;
  char out[RG_MAX_DOMAIN_INPUT_OCTETS * 2];
  const char *problem = NULL;
  size_t len = strlen (unicode);

  if (U_FAILURE (error) || len > INT32_MAX)
    {
      uidna_close (idna);
      return "could not be checked (ICU)";
    }
  uidna_nameToASCII_UTF8 (idna, unicode, (int32_t) len, out, (int32_t) sizeof out, &info,
                          &error);
  if (U_FAILURE (error))
    problem = "could not be checked (ICU)";
  else if ((info.errors & UIDNA_ERROR_BIDI) != 0)
    problem = "mixes right-to-left and left-to-right text in a way IDNA forbids (RFC 5893)";
  else if ((info.errors & (UIDNA_ERROR_DISALLOWED | UIDNA_ERROR_LEADING_COMBINING_MARK
                           | UIDNA_ERROR_INVALID_ACE_LABEL | UIDNA_ERROR_CONTEXTJ)) != 0)
    problem = "has characters not allowed in domain names (IDNA2008)";
  uidna_close (idna);
  return problem;
}

/* IDNA2008 (RFC 5892) disallows symbols and punctuation; libidn2 2.3.3 and ICU 72 still let
 * a few through under UTS 46 ("≠", "≮", "≯"), so they are refused here. */
static bool
has_symbol (const char *unicode)
{
  size_t len = strlen (unicode);

  for (size_t i = 0; i < len;)
    {
      uint32_t cp = 0;
      size_t n = rg_utf8_decode (unicode + i, len - i, &cp);

      if (n == 0)
        return true;
      i += n;
      if (cp < 0x80)
        continue;
      switch (u_charType ((UChar32) cp))
        {
        case U_MATH_SYMBOL:
        case U_CURRENCY_SYMBOL:
        case U_MODIFIER_SYMBOL:
        case U_OTHER_SYMBOL:
        case U_DASH_PUNCTUATION:
        case U_START_PUNCTUATION:
        case U_END_PUNCTUATION:
        case U_CONNECTOR_PUNCTUATION:
        case U_OTHER_PUNCTUATION:
        case U_INITIAL_PUNCTUATION:
        case U_FINAL_PUNCTUATION:
          return true;
        default:
          break;
        }
    }
  return false;
}

static bool
is_ascii (const char *text, size_t len)
{
  for (size_t i = 0; i < len; i++)
    if ((unsigned char) text[i] >= 0x80)
      return false;
  return true;
}

rg_status
rg_domain_normalize (const psl_ctx_t *psl, const char *text, size_t len, rg_domain *out)
{
  char *input, *ascii = NULL, *unicode = NULL;
  int rc;

  memset (out, 0, sizeof *out);
  if (len == 0)
    {
      set_problem (out, RG_E_DOMAIN, "is empty");
      return RG_OK;
    }
  if (len > RG_MAX_DOMAIN_INPUT_OCTETS)
    {
      set_problem (out, RG_E_TOO_LONG, "is longer than 253 octets");
      return RG_OK;
    }
  if (text[0] == '[' && text[len - 1] == ']' && len >= 2)
    {
      normalize_literal (text, len, out);
      out->ascii = rg_strdup_len (text, len);
      out->unicode = rg_strdup_len (text, len);
      if (out->ascii == NULL || out->unicode == NULL)
        return RG_E_NOMEM;
      for (char *c = out->ascii; *c != '\0'; c++)
        *c = (char) rg_ascii_lower (*c);
      memcpy (out->unicode, out->ascii, len);
      return RG_OK;
    }

  uint32_t previous = 0;

  for (size_t i = 0; i < len;)
    {
      uint32_t cp;
      size_t n = rg_utf8_decode (text + i, len - i, &cp);

      if (n == 0)
        {
          set_problem (out, RG_E_DOMAIN, "is not valid UTF-8");
          return RG_OK;
        }
      if (cp < 0x20 || cp == 0x7F)
        {
          set_problem (out, RG_E_DOMAIN, "contains a control character");
          return RG_OK;
        }
      /* A joiner after a virama is how Sinhala, Devanagari and other Indic scripts spell
       * conjuncts (RFC 5892 appendix A.1 and A.2, CONTEXTJ): part of the word, not hidden. */
      if (cp >= 0x80 && !out->invisible && is_invisible_or_compat (cp)
          && !((cp == 0x200C || cp == 0x200D)
               && u_getCombiningClass ((UChar32) previous) == 9))
        {
          out->invisible = true;
          out->invisible_cp = cp;
        }
      previous = cp;
      i += n;
    }

  input = rg_strdup_len (text, len);
  if (input == NULL)
    return RG_E_NOMEM;
  if (is_ascii (input, len))
    {
      /* UTS 46 maps ASCII by lower-casing it; libidn2 is needed only to check A-labels. */
      for (size_t i = 0; i < len; i++)
        input[i] = (char) rg_ascii_lower (input[i]);
      if (strstr (input, "xn--") == NULL)
        {
          out->ascii = input;
          out->unicode = NULL;
          check_structure (out);
          out->unicode = rg_strdup (out->ascii);
          if (out->unicode == NULL)
            return RG_E_NOMEM;
          if (out->status == RG_OK || out->single_label)
            locate_suffix (psl, out);
          refuse_single_label (out);
          return RG_OK;
        }
    }

  rc = idn2_to_ascii_8z (input, &ascii, RG_IDN2_FLAGS);
  if (rc != IDN2_OK && rc != IDN2_MALLOC && out->invisible)
    {
      /* IDNA2008 refuses a zero-width joiner outside the scripts that need one, so the
       * domain is invalid as typed; but what the user sees is the domain without it, and
       * that is the one to suggest. */
      idn2_free (ascii);
      ascii = NULL;
      strip_ignorables (input);
      rc = idn2_to_ascii_8z (input, &ascii, RG_IDN2_FLAGS);
    }
  free (input);
  if (rc == IDN2_MALLOC)
    return RG_E_NOMEM;
  if (rc != IDN2_OK)
    {
      idn2_free (ascii);
      set_problem (out, RG_E_DOMAIN, rc == IDN2_PUNYCODE_BAD_INPUT
                   ? "has an invalid punycode (xn--) label"
                   : rc == IDN2_TOO_BIG_DOMAIN || rc == IDN2_TOO_BIG_LABEL
                   ? "is too long"
                   : "has characters not allowed in domain names (IDNA2008)");
      return RG_OK;
    }
  out->ascii = rg_strdup (ascii);
  idn2_free (ascii);
  if (out->ascii == NULL)
    return RG_E_NOMEM;
  check_structure (out);

  rc = idn2_to_unicode_8z8z (out->ascii, &unicode, 0);
  if (rc == IDN2_MALLOC)
    return RG_E_NOMEM;
  if (rc != IDN2_OK)
    {
      idn2_free (unicode);
      set_problem (out, RG_E_DOMAIN, "has an invalid punycode (xn--) label");
      free (out->ascii);
      out->ascii = NULL;
      return RG_OK;
    }
  out->unicode = rg_strdup (unicode);
  idn2_free (unicode);
  if (out->unicode == NULL)
    return RG_E_NOMEM;
  if (out->status == RG_OK && has_symbol (out->unicode))
    set_problem (out, RG_E_DOMAIN, "has symbols or punctuation, which IDNA2008 does not "
                 "allow in domain names");
  if (out->status == RG_OK)
    {
      const char *problem = uts46_problem (out->unicode);

      if (problem != NULL)
        set_problem (out, RG_E_DOMAIN, problem);
    }
  if (out->status == RG_OK || out->single_label)
    locate_suffix (psl, out);
  refuse_single_label (out);
  return RG_OK;
}

void
rg_domain_clear (rg_domain *domain)
{
  free (domain->ascii);
  free (domain->unicode);
  memset (domain, 0, sizeof *domain);
}
