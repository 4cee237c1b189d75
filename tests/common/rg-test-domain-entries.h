/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-test-domain-entries.h - the rows of tests/data/domain-entries.tsv, for the tests of
 * every layer that validates a list entry.
 */
#pragma once

#include <string.h>

#include <glib.h>

typedef struct
{
  gboolean known;   /* "known" (known-domains) rather than "pattern" */
  char *entry;      /* unescaped */
  char *status;     /* rg_strerror_name () of the expected status */
  guint line;
} RgTestDomainEntry;

static inline void
rg_test_domain_entry_free (RgTestDomainEntry *row)
{
  g_free (row->entry);
  g_free (row->status);
  g_free (row);
}

/* "(empty)" is "", \uXXXX a code point, {X*N} X written N times. */
static inline char *
rg_test_domain_entry_unescape (const char *text)
{
  GString *out = g_string_new (NULL);

  if (strcmp (text, "(empty)") == 0)
    return g_string_free (out, FALSE);
  for (const char *p = text; *p != '\0';)
    {
      const char *star = NULL, *close = NULL;

      if (p[0] == '\\' && p[1] == 'u' && strlen (p) >= 6)
        {
          g_autofree char *hex = g_strndup (p + 2, 4);

          g_string_append_unichar (out, (gunichar) g_ascii_strtoull (hex, NULL, 16));
          p += 6;
          continue;
        }
      if (p[0] == '{')
        {
          star = strchr (p, '*');
          close = star != NULL ? strchr (star, '}') : NULL;
        }
      if (close != NULL)
        {
          guint64 n = g_ascii_strtoull (star + 1, NULL, 10);

          for (guint64 i = 0; i < n; i++)
            g_string_append_len (out, p + 1, star - p - 1);
          p = close + 1;
          continue;
        }
      g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

/* The rows of @path, in order; a malformed row fails the test. */
static inline GPtrArray *
rg_test_domain_entries_load (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto (GStrv) lines = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) rg_test_domain_entry_free);

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto (GStrv) fields = NULL;
      RgTestDomainEntry *row;

      if (lines[i][0] == '\0' || lines[i][0] == '#')
        continue;
      fields = g_strsplit (lines[i], "\t", -1);
      if (g_strv_length (fields) != 3
          || (strcmp (fields[0], "known") != 0 && strcmp (fields[0], "pattern") != 0))
        g_error ("%s:%u: expected KIND<TAB>ENTRY<TAB>STATUS", path, i + 1);
      row = g_new0 (RgTestDomainEntry, 1);
      row->known = strcmp (fields[0], "known") == 0;
      row->entry = rg_test_domain_entry_unescape (fields[1]);
      row->status = g_strdup (fields[2]);
      row->line = i + 1;
      g_ptr_array_add (rows, row);
    }
  g_assert_cmpuint (rows->len, >, 0);
  return rows;
}
