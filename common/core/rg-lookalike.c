/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-lookalike.c - TR39 confusable skeletons and mixed-script labels, through ICU.
 */
#include "rg-lookalike.h"
#include "rg-normalize.h"

#include <stdio.h>
#include <string.h>
#include <unicode/uscript.h>

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

  /* Skeletons of printable ASCII characters; a character whose skeleton is not ASCII (or
   * longer than the slot) keeps len 0 and sends its strings through ICU. */
  memset (checker->ascii_skeleton, 0, sizeof checker->ascii_skeleton);
  for (int c = 0x21; c < 0x7F; c++)
    {
      char in[2] = { (char) c, '\0' };
      char out[16];
      int32_t n;
      bool ascii = true;

      error = U_ZERO_ERROR;
      n = uspoof_getSkeletonUTF8 (spoof, 0, in, 1, out, sizeof out, &error);
      if (U_FAILURE (error) || n <= 0 || (size_t) n >= sizeof checker->ascii_skeleton[c].text)
        continue;
      for (int32_t i = 0; i < n; i++)
        if ((unsigned char) out[i] >= 0x80)
          ascii = false;
      if (!ascii)
        continue;
      memcpy (checker->ascii_skeleton[c].text, out, (size_t) n);
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

size_t
rg_skeleton (const rg_checker *checker, const char *text, size_t len, char *buffer,
             size_t size)
{
  UErrorCode error = U_ZERO_ERROR;
  size_t out = 0;
  int32_t n;

  for (size_t i = 0; i < len; i++)
    {
      unsigned char c = (unsigned char) text[i];
      const rg_ascii_skeleton *s;

      if (c >= 0x80 || checker->ascii_skeleton[c].len == 0)
        goto icu;
      s = &checker->ascii_skeleton[c];
      if (out + s->len >= size)
        return (size_t) -1;
      memcpy (buffer + out, s->text, s->len);
      out += s->len;
    }
  buffer[out] = '\0';
  return out;

icu:
  if (len > INT32_MAX || size > INT32_MAX)
    return (size_t) -1;
  n = uspoof_getSkeletonUTF8 (checker->spoof, 0, text, (int32_t) len, buffer,
                              (int32_t) size, &error);
  if (U_FAILURE (error) || n < 0 || (size_t) n >= size)
    return (size_t) -1;
  buffer[n] = '\0';
  return (size_t) n;
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
