/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-host-language.c - gettext speaks the add-on's language (rg-host-language.h).
 */
#include "rg-host-language.h"

#include <locale.h>
#include <string.h>

/* Longer than any language tag Thunderbird uses ("sr-Latn-RS" is 10). */
#define RG_HOST_MAX_LANGUAGE_TAG 35

/* The tag as gettext names languages, language_TERRITORY: "de" → "de", "en-US" → "en_US",
 * "sr-Latn-RS" → "sr_RS" (a script subtag is dropped). */
static char *
dup_gettext_language (const char *tag)
{
  g_auto (GStrv) parts = g_strsplit (tag, "-", -1);
  g_autofree char *language = g_ascii_strdown (parts[0], -1);
  const char *territory = NULL;

  for (guint i = 1; parts[i] != NULL; i++)
    if (strlen (parts[i]) == 2)
      territory = parts[i];
  if (territory == NULL)
    return g_steal_pointer (&language);
  {
    g_autofree char *upper = g_ascii_strup (territory, -1);

    return g_strdup_printf ("%s_%s", language, upper);
  }
}

gboolean
rg_host_is_language_tag (const char *tag)
{
  size_t len = strlen (tag);

  if (len == 0 || len > RG_HOST_MAX_LANGUAGE_TAG || !g_ascii_isalpha (tag[0]))
    return FALSE;
  for (size_t i = 0; i < len; i++)
    if (!g_ascii_isalnum (tag[i]) && tag[i] != '-')
      return FALSE;
  return TRUE;
}

gboolean
rg_host_set_language (const char *tag)
{
  g_autofree char *language = NULL;
  const char *messages;

  g_return_val_if_fail (tag != NULL, FALSE);

  if (!rg_host_is_language_tag (tag))
    return FALSE;
  language = dup_gettext_language (tag);
  /* g_setenv () is not thread-safe: the caller makes sure that no other thread runs. */
  g_setenv ("LANGUAGE", language, TRUE);
  /* Setting the locale again also tells gettext to drop what it cached. */
  messages = setlocale (LC_MESSAGES, "");
  if (messages == NULL || strcmp (messages, "C") == 0 || strcmp (messages, "POSIX") == 0)
    setlocale (LC_MESSAGES, "C.UTF-8");
  return TRUE;
}
