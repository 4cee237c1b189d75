/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-parse.c - the RFC 5322 address-list parser, white-box: what each list yields.
 */
#include "rg-parse.h"
#include "rg-test-locale.h"

#include <glib.h>
#include <string.h>

/* One expected mailbox: address, local part, domain; or a syntax error with its input. */
typedef struct {
  const char *input;
  const char *address;
  const char *local;
  const char *domain;
  rg_status status;
} expected_mailbox;

typedef struct {
  const char *list;
  size_t n;
  expected_mailbox mailboxes[3];
} parse_case;

#define OK(in, addr, local, domain) { in, addr, local, domain, RG_OK }
#define BAD(in) { in, in, "", "", RG_E_SYNTAX }

static const parse_case cases[] = {
  { "ops@army.mil", 1, { OK ("ops@army.mil", "ops@army.mil", "ops", "army.mil") } },
  { "  ops@army.mil  ", 1, { OK ("ops@army.mil", "ops@army.mil", "ops", "army.mil") } },
  { "Ops <ops@army.ml>", 1, { OK ("Ops <ops@army.ml>", "ops@army.ml", "ops", "army.ml") } },
  { "<ops@army.ml>", 1, { OK ("<ops@army.ml>", "ops@army.ml", "ops", "army.ml") } },
  { "\"Doe, Jane\" <jane@example.com>", 1,
    { OK ("\"Doe, Jane\" <jane@example.com>", "jane@example.com", "jane", "example.com") } },
  { "\"a,b\"@example.com", 1,
    { OK ("\"a,b\"@example.com", "\"a,b\"@example.com", "\"a,b\"", "example.com") } },
  { "\"a\\\"b\"@example.com", 1,
    { OK ("\"a\\\"b\"@example.com", "\"a\\\"b\"@example.com", "\"a\\\"b\"", "example.com") } },
  { "ops@army.ml (operations)", 1,
    { OK ("ops@army.ml (operations)", "ops@army.ml", "ops", "army.ml") } },
  { "ops@ (comment) army.ml", 1,
    { OK ("ops@ (comment) army.ml", "ops@army.ml", "ops", "army.ml") } },
  { "(a (nested, comment)) Ops <ops@army.ml>", 1,
    { OK ("(a (nested, comment)) Ops <ops@army.ml>", "ops@army.ml", "ops", "army.ml") } },
  { "a@x.com, b@y.org", 2,
    { OK ("a@x.com", "a@x.com", "a", "x.com"), OK ("b@y.org", "b@y.org", "b", "y.org") } },
  { "a@x.com; b@y.org", 2,
    { OK ("a@x.com", "a@x.com", "a", "x.com"), OK ("b@y.org", "b@y.org", "b", "y.org") } },
  { ",, a@x.com ,, ", 1, { OK ("a@x.com", "a@x.com", "a", "x.com") } },
  { "", 0, { { 0 } } },
  { "   ", 0, { { 0 } } },
  { "(only a comment)", 0, { { 0 } } },
  { "undisclosed-recipients:;", 0, { { 0 } } },
  { "Team: a@x.com, B <b@y.org>;", 2,
    { OK ("a@x.com", "a@x.com", "a", "x.com"), OK ("B <b@y.org>", "b@y.org", "b", "y.org") } },
  { "Team: a@x.com", 1, { OK ("a@x.com", "a@x.com", "a", "x.com") } },
  { "Empty:;, c@z.net", 1, { OK ("c@z.net", "c@z.net", "c", "z.net") } },
  { "=?UTF-8?B?w4RyZ2Vy?= <a@x.de>", 1,
    { OK ("=?UTF-8?B?w4RyZ2Vy?= <a@x.de>", "a@x.de", "a", "x.de") } },
  { "\"boss@army.mil\" <x@army.ml>", 1,
    { OK ("\"boss@army.mil\" <x@army.ml>", "x@army.ml", "x", "army.ml") } },
  { "boss@army.mil <x@army.ml>", 1,
    { OK ("boss@army.mil <x@army.ml>", "x@army.ml", "x", "army.ml") } },
  { "x@[192.0.2.1]", 1, { OK ("x@[192.0.2.1]", "x@[192.0.2.1]", "x", "[192.0.2.1]") } },
  { "x@[IPv6:2001:db8::1], y@a.b", 2,
    { OK ("x@[IPv6:2001:db8::1]", "x@[IPv6:2001:db8::1]", "x", "[IPv6:2001:db8::1]"),
      OK ("y@a.b", "y@a.b", "y", "a.b") } },
  { "Jürgen <jürgen@bücher.de>", 1,
    { OK ("Jürgen <jürgen@bücher.de>", "jürgen@bücher.de", "jürgen", "bücher.de") } },
  { "<@relay.example:ops@army.mil>", 1,
    { OK ("<@relay.example:ops@army.mil>", "ops@army.mil", "ops", "army.mil") } },
  /* Domains are passed on as written: rg-normalize judges them. */
  { "x@a..b", 1, { OK ("x@a..b", "x@a..b", "x", "a..b") } },
  { "x@xn--zz.com", 1, { OK ("x@xn--zz.com", "x@xn--zz.com", "x", "xn--zz.com") } },
  { "x@army\xe3\x80\x82mil", 1,
    { OK ("x@army\xe3\x80\x82mil", "x@army\xe3\x80\x82mil", "x", "army\xe3\x80\x82mil") } },
  /* Syntax errors: one mailbox each, and parsing goes on. */
  { "army.mil", 1, { BAD ("army.mil") } },
  { "@army.mil", 1, { BAD ("@army.mil") } },
  { "ops@", 1, { BAD ("ops@") } },
  { "\"ops@army.mil", 1, { BAD ("\"ops@army.mil") } },
  { "Ops <ops@army.mil", 1, { BAD ("Ops <ops@army.mil") } },
  { "Ops <>", 1, { BAD ("Ops <>") } },
  { "Ops <ops@army.mil> junk", 1, { BAD ("Ops <ops@army.mil> junk") } },
  { "ops@@army.mil", 1, { BAD ("ops@@army.mil") } },
  { "ops@army@mil", 1, { BAD ("ops@army@mil") } },
  { "a b@x.com", 1, { BAD ("a b@x.com") } },
  { "a@x .com", 1, { BAD ("a@x .com") } },
  { "ops@[192.0.2.1", 1, { BAD ("ops@[192.0.2.1") } },
  { "(x@gmial.com", 1, { BAD ("(x@gmial.com") } },
  { "a@x.com, (b@gmial.com", 2,
    { OK ("a@x.com", "a@x.com", "a", "x.com"), BAD ("(b@gmial.com") } },
  { "bad, a@x.com", 2, { BAD ("bad"), OK ("a@x.com", "a@x.com", "a", "x.com") } },
};

static void
test_cases (void)
{
  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const parse_case *c = &cases[i];
      rg_mailbox_list list = { 0 };

      g_test_message ("list: %s", c->list);
      g_assert_cmpint (rg_parse_address_list (c->list, strlen (c->list), 100, &list), ==,
                       RG_OK);
      g_assert_cmpuint (list.n, ==, c->n);
      for (size_t j = 0; j < c->n; j++)
        {
          const rg_mailbox *m = &list.items[j];
          const expected_mailbox *e = &c->mailboxes[j];

          g_assert_cmpstr (m->input, ==, e->input);
          g_assert_cmpstr (m->address, ==, e->address);
          g_assert_cmpstr (m->local, ==, e->local);
          g_assert_cmpstr (m->domain, ==, e->domain);
          g_assert_cmpint (m->status, ==, e->status);
          if (e->status != RG_OK)
            g_assert_nonnull (m->problem);
        }
      rg_mailbox_list_clear (&list);
      rg_mailbox_list_clear (&list);
    }
}

static void
expect_error (const char *text, size_t len, rg_status status)
{
  rg_mailbox_list list = { 0 };

  g_assert_cmpint (rg_parse_address_list (text, len, 100, &list), ==, status);
  g_assert_cmpuint (list.n, ==, 0);
  rg_mailbox_list_clear (&list);
}

static void
test_whole_input_errors (void)
{
  static const char nul[] = "a@x.com\0b@y.com";
  char *big;

  expect_error ("a@x\xff.com", 8, RG_E_ENCODING);
  expect_error ("a@x\xc0\xaf.com", 9, RG_E_ENCODING);     /* overlong "/" */
  expect_error ("a@x\xed\xa0\x80.com", 10, RG_E_ENCODING); /* a surrogate */
  expect_error ("a@x\xf4\x90\x80\x80.com", 11, RG_E_ENCODING); /* past U+10FFFF */
  expect_error ("a@x.com\xe2\x82", 9, RG_E_ENCODING);     /* truncated */
  expect_error (nul, sizeof nul - 1, RG_E_CONTROL_CHARACTER);
  expect_error ("a@x.com\r\nb@y.com", 16, RG_E_CONTROL_CHARACTER);
  expect_error ("a@x.com\n", 8, RG_E_CONTROL_CHARACTER);
  expect_error ("a@x.com\x1b", 8, RG_E_CONTROL_CHARACTER);
  big = g_malloc (RG_MAX_LIST_OCTETS + 1);
  memset (big, 'a', RG_MAX_LIST_OCTETS + 1);
  expect_error (big, RG_MAX_LIST_OCTETS + 1, RG_E_TOO_LONG);
  g_free (big);
}

static void
test_limits (void)
{
  GString *s = g_string_new (NULL);
  rg_mailbox_list list = { 0 };

  /* A tab is white space, not a control character. */
  g_assert_cmpint (rg_parse_address_list ("Ops\t<a@x.com>", 13, 10, &list), ==, RG_OK);
  g_assert_cmpstr (list.items[0].address, ==, "a@x.com");
  rg_mailbox_list_clear (&list);

  /* Too many mailboxes for what is left. */
  g_assert_cmpint (rg_parse_address_list ("a@x.com, b@x.com, c@x.com", 25, 2, &list), ==,
                   RG_E_TOO_MANY);
  rg_mailbox_list_clear (&list);

  /* Comments nested past the limit make that mailbox an error. */
  for (int i = 0; i < RG_MAX_COMMENT_DEPTH + 1; i++)
    g_string_append_c (s, '(');
  for (int i = 0; i < RG_MAX_COMMENT_DEPTH + 1; i++)
    g_string_append_c (s, ')');
  g_string_append (s, "a@x.com");
  g_assert_cmpint (rg_parse_address_list (s->str, s->len, 10, &list), ==, RG_OK);
  g_assert_cmpuint (list.n, ==, 1);
  g_assert_cmpint (list.items[0].status, ==, RG_E_SYNTAX);
  rg_mailbox_list_clear (&list);

  /* A 1 MB local part comes back whole. */
  g_string_truncate (s, 0);
  for (int i = 0; i < 1024 * 1024; i++)
    g_string_append_c (s, 'l');
  g_string_append (s, "@example.com");
  g_assert_cmpint (rg_parse_address_list (s->str, s->len, 10, &list), ==, RG_OK);
  g_assert_cmpuint (strlen (list.items[0].local), ==, 1024 * 1024);
  g_assert_cmpstr (list.items[0].domain, ==, "example.com");
  rg_mailbox_list_clear (&list);

  /* 20,000 addresses, in order. */
  g_string_truncate (s, 0);
  for (int i = 0; i < 20000; i++)
    g_string_append_printf (s, "%sUser %d <u%d@d%d.example>", i ? ", " : "", i, i, i);
  g_assert_cmpint (rg_parse_address_list (s->str, s->len, 20000, &list), ==, RG_OK);
  g_assert_cmpuint (list.n, ==, 20000);
  g_assert_cmpstr (list.items[0].address, ==, "u0@d0.example");
  g_assert_cmpstr (list.items[12345].address, ==, "u12345@d12345.example");
  g_assert_cmpstr (list.items[19999].input, ==, "User 19999 <u19999@d19999.example>");
  rg_mailbox_list_clear (&list);
  g_string_free (s, TRUE);
}

int
main (int argc, char **argv)
{
  rg_test_init_locale ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/parse/cases", test_cases);
  g_test_add_func ("/parse/whole-input-errors", test_whole_input_errors);
  g_test_add_func ("/parse/limits", test_limits);
  return g_test_run ();
}
