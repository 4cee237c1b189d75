/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-lookalike.c - TR39 confusable skeletons and mixed-script labels, through ICU.
 */
#include "rg-lookalike.h"
#include "rg-normalize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>

/* UTF-16 room for one domain's skeleton: a domain has at most RG_MAX_DOMAIN_OCTETS * 4 + 4
 * octets of input (rg-normalize.c), and a TR39 prototype is a few code points. */
#define RG_MAX_SKELETON_UNITS 8192

/*
 * The ASCII letter that a Latin letter with a stroke, hook, tilde or other mark that Unicode
 * does not decompose is (ǥ, ɱ, ł, ɨ), or that a small capital stands for (ᴍ, ɢ), read from
 * its Unicode name: "LATIN SMALL LETTER G WITH STROKE", "LATIN LETTER SMALL CAPITAL M".
 * Turned, reversed and inverted letters are other shapes and stay as they are.  A few
 * Cyrillic small letters count too (below).  '\0' for anything else.
 */
static char
latin_base_letter (UChar32 c)
{
  UErrorCode error = U_ZERO_ERROR;
  char name[128];
  const char *p;
  int32_t n;

  /* Cyrillic letters that TR39 leaves alone because their capitals differ, while their
   * small forms are Latin small capitals or look-alikes: a whole name written in them
   * ("міт", "ьмԝ") reads as a Latin one. */
  static const struct {
    UChar32 cp;
    char letter;
  } cyrillic[] = {
    { 0x0432, 'b' }, { 0x043A, 'k' }, { 0x043C, 'm' }, { 0x043D, 'h' }, { 0x0442, 't' },
    { 0x044C, 'b' }, { 0x04CF, 'l' }, { 0x050D, 'g' },
  };

  for (size_t i = 0; i < sizeof cyrillic / sizeof cyrillic[0]; i++)
    if (c == cyrillic[i].cp)
      return cyrillic[i].letter;
  if (c < 0x80 || uscript_getScript (c, &error) != USCRIPT_LATIN || U_FAILURE (error))
    return '\0';
  n = u_charName (c, U_UNICODE_CHAR_NAME, name, (int32_t) sizeof name, &error);
  if (U_FAILURE (error) || n <= 0 || n >= (int32_t) sizeof name)
    return '\0';
  if (strstr (name, "TURNED") != NULL || strstr (name, "REVERSED") != NULL
      || strstr (name, "INVERTED") != NULL)
    return '\0';
  if (strncmp (name, "LATIN LETTER SMALL CAPITAL ", 27) == 0)
    p = name + 27;
  else if (strncmp (name, "LATIN SMALL LETTER ", 19) == 0
           || strncmp (name, "LATIN CAPITAL LETTER ", 21) == 0)
    {
      p = name + (name[6] == 'S' ? 19 : 21);
      /* One qualifier may come before the letter: "DOTLESS I", "SCRIPT G". */
      if (p[0] != '\0' && p[1] != ' ' && p[1] != '\0')
        {
          const char *space = strchr (p, ' ');

          if (space == NULL)
            return '\0';
          p = space + 1;
        }
    }
  else
    return '\0';
  if (p[0] < 'A' || p[0] > 'Z' || (p[1] != '\0' && strncmp (p + 1, " WITH ", 6) != 0))
    return '\0';
  return (char) (p[0] - 'A' + 'a');
}

/*
 * The loose skeleton of @text into @buffer (UTF-8): accents taken off (NFD, then nonspacing
 * marks dropped, and the Latin letters whose marks do not decompose taken to their base
 * letter, latin_base_letter()), the TR39 skeleton taken, folded to lower case (ICU's root
 * locale, so no locale matters), and the skeleton taken again.  TR39's skeleton keeps case and marks, so
 * "paypaI.com" (a capital i), "micr0soft.com" (a zero, whose prototype is a capital O) and
 * "dêl0itte.com" would each keep a skeleton of their own; a person reading them sees
 * paypal, microsoft and deloitte.
 */
static size_t
loose_skeleton_icu (const USpoofChecker *spoof, const char *text, size_t len, char *buffer,
                    size_t size)
{
  UErrorCode error = U_ZERO_ERROR;
  const UNormalizer2 *nfd = unorm2_getNFDInstance (&error);
  int32_t n = 0, m = 0, out = 0;
  UChar *x, *y;

  if (U_FAILURE (error) || len > INT32_MAX || size > INT32_MAX)
    return (size_t) -1;
  x = calloc (2 * RG_MAX_SKELETON_UNITS, sizeof *x);
  if (x == NULL)
    return (size_t) -1;
  y = x + RG_MAX_SKELETON_UNITS;
  u_strFromUTF8 (y, RG_MAX_SKELETON_UNITS, &n, text, (int32_t) len, &error);
  if (U_SUCCESS (error))
    n = unorm2_normalize (nfd, y, n, x, RG_MAX_SKELETON_UNITS, &error);
  for (int32_t i = 0; U_SUCCESS (error) && i < n;)
    {
      UChar32 c;
      int32_t start = i;
      char base;

      U16_NEXT (x, i, n, c);
      if (u_charType (c) == U_NON_SPACING_MARK)
        continue;
      base = latin_base_letter (c);
      if (base != '\0')
        {
          x[m++] = (UChar) base;
          continue;
        }
      while (start < i)
        x[m++] = x[start++];
    }
  if (U_SUCCESS (error))
    n = uspoof_getSkeleton (spoof, 0, x, m, y, RG_MAX_SKELETON_UNITS, &error);
  if (U_SUCCESS (error))
    n = u_strToLower (x, RG_MAX_SKELETON_UNITS, y, n, "", &error);
  if (U_SUCCESS (error))
    n = uspoof_getSkeleton (spoof, 0, x, n, y, RG_MAX_SKELETON_UNITS, &error);
  if (U_SUCCESS (error))
    u_strToUTF8 (buffer, (int32_t) size, &out, y, n, &error);
  free (x);
  if (U_FAILURE (error) || error == U_STRING_NOT_TERMINATED_WARNING || out < 0
      || (size_t) out >= size)
    return (size_t) -1;
  buffer[out] = '\0';
  return (size_t) out;
}

rg_status
rg_lookalike_init (rg_checker *checker)
{
  UErrorCode error = U_ZERO_ERROR;
  USpoofChecker *spoof = uspoof_open (&error);

  if (U_FAILURE (error))
    return RG_E_INTERNAL;
  uspoof_setChecks (spoof, USPOOF_RESTRICTION_LEVEL, &error);
  uspoof_setRestrictionLevel (spoof, USPOOF_MODERATELY_RESTRICTIVE);
  if (U_FAILURE (error))
    {
      uspoof_close (spoof);
      return RG_E_INTERNAL;
    }
  checker->spoof = spoof;

  /* Loose skeletons of printable ASCII characters; a character whose skeleton is not ASCII
   * (or longer than the slot) keeps len 0 and sends its strings through ICU. */
  memset (checker->ascii_skeleton, 0, sizeof checker->ascii_skeleton);
  for (int c = 0x21; c < 0x7F; c++)
    {
      char in[2] = { (char) c, '\0' };
      char out[16];
      size_t n = loose_skeleton_icu (spoof, in, 1, out, sizeof out);
      bool ascii = true;

      if (n == (size_t) -1 || n == 0 || n >= sizeof checker->ascii_skeleton[c].text)
        continue;
      for (size_t i = 0; i < n; i++)
        if ((unsigned char) out[i] >= 0x80)
          ascii = false;
      if (!ascii)
        continue;
      memcpy (checker->ascii_skeleton[c].text, out, n);
      checker->ascii_skeleton[c].len = (uint8_t) n;
    }
  return RG_OK;
}

void
rg_lookalike_clear (rg_checker *checker)
{
  if (checker->spoof != NULL)
    uspoof_close (checker->spoof);
  checker->spoof = NULL;
}

/*
 * Letters that read as a pair of others in the fonts of mail clients, expanded in place of
 * @buffer (@len octets of a skeleton, @size octets of room).  TR39 maps "m" to "rn", but ICU
 * 72's data has no prototype for "d" (cl) or "w" (vv), the two other pairs that lookalike
 * registrations use; expanding rather than folding keeps the mapping one-way, so that every
 * spelling of a domain ends in the same text.
 */
static size_t
expand (char *buffer, size_t len, size_t size, const char *const map[128])
{
  char copy[RG_MAX_SKELETON_OCTETS];
  size_t out = 0;

  if (len >= sizeof copy)
    return (size_t) -1;
  memcpy (copy, buffer, len);
  for (size_t i = 0; i < len; i++)
    {
      unsigned char c = (unsigned char) copy[i];
      const char *to = c < 128 && map[c] != NULL ? map[c] : NULL;
      size_t n = to != NULL ? strlen (to) : 1;

      if (out + n >= size)
        return (size_t) -1;
      if (to != NULL)
        memcpy (buffer + out, to, n);
      else
        buffer[out] = (char) c;
      out += n;
    }
  buffer[out] = '\0';
  return out;
}

static const char *const strict_pairs[128] = { ['d'] = "cl", ['w'] = "vv" };

/*
 * Letters that dnstwist's homoglyph fuzzer and lookalike registrations swap although TR39
 * does not call them confusable: in the small type of an address field "c" and "e", "i" and
 * "l", "q" and "g", "u" and "v" blur together; "b" and "d" (which the skeleton has made
 * "cl"), with or without an "l" before them ("lb", "ld"); "k" and "lc"; and "m" (which the
 * skeleton has made "rn"), "n", "r", "rr" and "nn", so that any run of "r" and "n" is one
 * letter.
 */
static const char *const visual_letters[128] = {
  ['e'] = "c", ['i'] = "l", ['q'] = "g", ['v'] = "u", ['b'] = "cl", ['k'] = "lc",
  ['n'] = "r",
};

size_t
rg_visual_fold (char *buffer, size_t len, size_t size)
{
  size_t out = 0;

  len = expand (buffer, len, size, visual_letters);
  if (len == (size_t) -1)
    return len;
  for (size_t i = 0; i < len; i++)
    {
      if (buffer[i] == 'r' && out > 0 && buffer[out - 1] == 'r')
        continue;
      if (buffer[i] == 'l' && i + 2 < len && buffer[i + 1] == 'c' && buffer[i + 2] == 'l')
        continue;
      buffer[out++] = buffer[i];
    }
  buffer[out] = '\0';
  return out;
}

size_t
rg_skeleton (const rg_checker *checker, const char *text, size_t len, char *buffer,
             size_t size)
{
  size_t out = 0;

  for (size_t i = 0; i < len; i++)
    {
      unsigned char c = (unsigned char) text[i];
      const rg_ascii_skeleton *s;

      if (c >= 0x80 || checker->ascii_skeleton[c].len == 0)
        {
          out = loose_skeleton_icu (checker->spoof, text, len, buffer, size);
          return out == (size_t) -1 ? out : expand (buffer, out, size, strict_pairs);
        }
      s = &checker->ascii_skeleton[c];
      if (out + s->len >= size)
        return (size_t) -1;
      memcpy (buffer + out, s->text, s->len);
      out += s->len;
    }
  buffer[out] = '\0';
  return expand (buffer, out, size, strict_pairs);
}

/* Names the first two distinct scripts of a label, ignoring Common and Inherited. */
static void
name_scripts (const char *label, size_t len, char *scripts, size_t size)
{
  UScriptCode first = USCRIPT_INVALID_CODE, second = USCRIPT_INVALID_CODE;

  for (size_t i = 0; i < len;)
    {
      uint32_t cp;
      size_t n = rg_utf8_decode (label + i, len - i, &cp);
      UErrorCode error = U_ZERO_ERROR;
      UScriptCode script;

      if (n == 0)
        break;
      i += n;
      script = uscript_getScript ((UChar32) cp, &error);
      if (U_FAILURE (error) || script == USCRIPT_COMMON || script == USCRIPT_INHERITED)
        continue;
      if (first == USCRIPT_INVALID_CODE)
        first = script;
      else if (script != first && second == USCRIPT_INVALID_CODE)
        second = script;
    }
  if (first != USCRIPT_INVALID_CODE && second != USCRIPT_INVALID_CODE)
    snprintf (scripts, size, "%s and %s", uscript_getName (first), uscript_getName (second));
  else
    snprintf (scripts, size, "several scripts");
}

bool
rg_mixed_script (const rg_checker *checker, const char *unicode, const char **label,
                 size_t *label_len, char *scripts, size_t scripts_size)
{
  const char *start = unicode;

  while (*start != '\0')
    {
      const char *end = strchr (start, '.');
      size_t len = end != NULL ? (size_t) (end - start) : strlen (start);
      bool ascii = true;

      for (size_t i = 0; i < len; i++)
        if ((unsigned char) start[i] >= 0x80)
          ascii = false;
      if (!ascii && len <= INT32_MAX)
        {
          UErrorCode error = U_ZERO_ERROR;
          int32_t result = uspoof_check2UTF8 (checker->spoof, start, (int32_t) len, NULL,
                                              &error);

          if (U_SUCCESS (error) && (result & USPOOF_RESTRICTION_LEVEL) != 0)
            {
              *label = start;
              *label_len = len;
              name_scripts (start, len, scripts, scripts_size);
              return true;
            }
        }
      if (end == NULL)
        break;
      start = end + 1;
    }
  return false;
}
