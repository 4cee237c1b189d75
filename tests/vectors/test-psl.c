/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-psl.c - the Public Suffix List's own test vectors (tests/data/test_psl.txt, from
 * Debian's publicsuffix package, public domain) against the registrable domain that
 * rg-normalize finds.  A domain we call invalid (a single label, a public suffix, a leading
 * dot) has no registrable domain, which is what the list's "null" means.  White-box: the
 * registrable domain is internal.  Prints TAP.
 *
 * The vectors follow every rule of the list; librcptguard asks who owns a domain under the
 * ICANN section alone (README, "How a recipient is judged"), so for the vectors under a rule
 * of the private section the answer under the ICANN rules is given here, worked out by hand.
 */
#include "rg-normalize.h"
#include "rg-test-locale.h"

#include <glib.h>
#include <string.h>

/* The registrable domain we find, in the form of @input (A-labels or U-labels), or NULL. */
static char *
registrable (const char *input)
{
  rg_domain d;
  char *result = NULL;

  g_assert_cmpint (rg_domain_normalize (psl_builtin (), input, strlen (input), &d), ==, RG_OK);
  if (d.status == RG_OK && !d.literal)
    {
      gboolean ascii = TRUE;
      const char *reg = d.unicode + d.reg_start;
      size_t labels = 1;

      for (const char *c = input; *c != '\0'; c++)
        ascii = ascii && (unsigned char) *c < 0x80;
      if (!ascii)
        result = g_strdup (reg);
      else
        {
          /* The same number of labels from the end of the ASCII form. */
          for (const char *c = reg; *c != '\0'; c++)
            labels += *c == '.';
          result = g_strdup (d.ascii);
          for (size_t i = strlen (d.ascii), seen = 0; i > 0; i--)
            if (d.ascii[i - 1] == '.' && ++seen == labels)
              {
                memmove (result, d.ascii + i, strlen (d.ascii + i) + 1);
                break;
              }
        }
    }
  rg_domain_clear (&d);
  return result;
}

static const struct {
  const char *input;
  const char *icann;
} private_section[] = {
  /* "uk.com" is a private rule; under the ICANN rules it is a name under .com. */
  { "uk.com", "uk.com" },
  { "example.uk.com", "uk.com" },
  { "b.example.uk.com", "uk.com" },
  { "a.b.example.uk.com", "uk.com" },
};

/* The vector's answer, or the ICANN section's where a private rule decides it. */
static const char *
expected_under_icann (const char *input, const char *expected)
{
  for (size_t i = 0; i < G_N_ELEMENTS (private_section); i++)
    if (g_strcmp0 (input, private_section[i].input) == 0)
      return private_section[i].icann;
  return expected;
}

/* The argument of checkPublicSuffix at @p: a quoted string or null. */
static const char *
parse_argument (const char *p, char **value)
{
  while (*p == ' ')
    p++;
  if (strncmp (p, "null", 4) == 0)
    {
      *value = NULL;
      return p + 4;
    }
  g_assert_true (*p == '\'');
  {
    const char *end = strchr (p + 1, '\'');

    g_assert_nonnull (end);
    *value = g_strndup (p + 1, (gsize) (end - p - 1));
    return end + 1;
  }
}

int
main (int argc, char **argv)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  int n = 0, failed = 0;

  rg_test_init_locale ();
  g_assert_cmpint (argc, ==, 2);
  g_assert_true (g_file_get_contents (argv[1], &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (char **line = lines; *line != NULL; line++)
    {
      const char *call = strstr (*line, "checkPublicSuffix(");
      g_autofree char *input = NULL;
      g_autofree char *expected = NULL;
      g_autofree char *got = NULL;
      const char *p;

      if (call == NULL || g_str_has_prefix (*line, "//"))
        continue;
      p = parse_argument (call + strlen ("checkPublicSuffix("), &input);
      g_assert_true (*p == ',');
      parse_argument (p + 1, &expected);
      n++;
      /* A recipient never has a NULL domain; its nearest case is the empty one. */
      if (input == NULL)
        input = g_strdup ("");
      got = registrable (input);
      if (g_strcmp0 (got, expected_under_icann (input, expected)) == 0)
        printf ("ok %d - %s -> %s\n", n, input, got ? got : "null");
      else
        {
          printf ("not ok %d - %s: expected %s, got %s\n", n, input,
                  expected_under_icann (input, expected) ? expected_under_icann (input, expected)
                                                         : "null", got ? got : "null");
          failed++;
        }
    }
  printf ("1..%d\n", n);
  return failed > 0;
}
