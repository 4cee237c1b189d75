/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-parse.c - the RFC 5322 address-list parser, white-box: what each list yields.
 */
#include "rg-parse.h"
#include "rg-test-locale.h"

#include <glib.h>
#include <string.h>

/* One expected mailbox: what it was written as, its address, local part, domain, status. */
typedef struct {
  const char *input;
  const char *address;
  const char *local;
  const char *domain;
  rg_status status;
  const char *problem;
} expected_mailbox;

/* A list and every mailbox it yields; the array ends at the first entry without input. */
typedef struct {
  const char *list;
  expected_mailbox mailboxes[4];
} parse_case;

#define OK(in, addr, local, domain) { in, addr, local, domain, RG_OK, NULL }
/* A bare address: written as it is. */
#define SAME(addr, local, domain) OK (addr, addr, local, domain)
#define BAD(in, problem) { in, in, "", "", RG_E_SYNTAX, problem }
#define NONE { { NULL, NULL, NULL, NULL, RG_OK, NULL } }

static const parse_case cases[] = {
  /* Plain addresses, with and without display names. */
  { "ops@army.mil", { SAME ("ops@army.mil", "ops", "army.mil") } },
  { "  ops@army.mil\t", { SAME ("ops@army.mil", "ops", "army.mil") } },
  { "Ops <ops@army.ml>", { OK ("Ops <ops@army.ml>", "ops@army.ml", "ops", "army.ml") } },
  { "<ops@army.ml>", { OK ("<ops@army.ml>", "ops@army.ml", "ops", "army.ml") } },
  { "Ops<ops@army.ml>", { OK ("Ops<ops@army.ml>", "ops@army.ml", "ops", "army.ml") } },
  { "Ops\t<ops@army.ml>", { OK ("Ops\t<ops@army.ml>", "ops@army.ml", "ops", "army.ml") } },
  { "Ops < ops@army.ml >", { OK ("Ops < ops@army.ml >", "ops@army.ml", "ops", "army.ml") } },
  { "John Q. Public <jqp@example.com>",
    { OK ("John Q. Public <jqp@example.com>", "jqp@example.com", "jqp", "example.com") } },
  { "first.last+tag@example.com",
    { SAME ("first.last+tag@example.com", "first.last+tag", "example.com") } },
  { "!#$%&'*+-/=?^_`{|}~@example.com",
    { SAME ("!#$%&'*+-/=?^_`{|}~@example.com", "!#$%&'*+-/=?^_`{|}~", "example.com") } },

  /* Quoted display names and quoted local parts; commas inside quotes do not split. */
  { "\"Doe, Jane\" <jane@example.com>",
    { OK ("\"Doe, Jane\" <jane@example.com>", "jane@example.com", "jane", "example.com") } },
  { "\"Doe, Jane\" <jane@example.com>, b@y.org",
    { OK ("\"Doe, Jane\" <jane@example.com>", "jane@example.com", "jane", "example.com"),
      SAME ("b@y.org", "b", "y.org") } },
  { "\"a,b\"@example.com", { SAME ("\"a,b\"@example.com", "\"a,b\"", "example.com") } },
  { "\"a\\\"b\"@example.com",
    { SAME ("\"a\\\"b\"@example.com", "\"a\\\"b\"", "example.com") } },
  { "\"john doe\"@example.com",
    { SAME ("\"john doe\"@example.com", "\"john doe\"", "example.com") } },
  { "\"a@b\"@example.com", { SAME ("\"a@b\"@example.com", "\"a@b\"", "example.com") } },
  { "\"a\".\"b\"@example.com",
    { SAME ("\"a\".\"b\"@example.com", "\"a\".\"b\"", "example.com") } },
  { "\"Ops <x>\" <ops@army.ml>",
    { OK ("\"Ops <x>\" <ops@army.ml>", "ops@army.ml", "ops", "army.ml") } },

  /* Comments anywhere between tokens, nested, with quoted pairs; they do not split. */
  { "ops@army.ml (operations)",
    { OK ("ops@army.ml (operations)", "ops@army.ml", "ops", "army.ml") } },
  { "ops@ (comment) army.ml",
    { OK ("ops@ (comment) army.ml", "ops@army.ml", "ops", "army.ml") } },
  { "ops(c)@army.ml", { OK ("ops(c)@army.ml", "ops@army.ml", "ops", "army.ml") } },
  { "(c)ops@army.ml(c)", { OK ("(c)ops@army.ml(c)", "ops@army.ml", "ops", "army.ml") } },
  { "(a (nested, comment)) Ops <ops@army.ml>",
    { OK ("(a (nested, comment)) Ops <ops@army.ml>", "ops@army.ml", "ops", "army.ml") } },
  { "Ops <(in)ops@army.ml(side)>",
    { OK ("Ops <(in)ops@army.ml(side)>", "ops@army.ml", "ops", "army.ml") } },
  { "Ops (x, y) <ops@army.ml>, b@y.org",
    { OK ("Ops (x, y) <ops@army.ml>", "ops@army.ml", "ops", "army.ml"),
      SAME ("b@y.org", "b", "y.org") } },
  { "(a \\) b, c) ops@army.ml",
    { OK ("(a \\) b, c) ops@army.ml", "ops@army.ml", "ops", "army.ml") } },
  { "(a \"b) ops@army.ml", { OK ("(a \"b) ops@army.ml", "ops@army.ml", "ops", "army.ml") } },
  /* RFC 5322 appendix A.5. */
  { "Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>",
    { OK ("Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>",
          "pete@silly.test", "pete", "silly.test") } },
  { "(only a comment)", NONE },
  { "(a (b (c))) , x@y.z", { SAME ("x@y.z", "x", "y.z") } },

  /* Groups: their mailboxes are ordinary ones, an empty group yields nothing. */
  { "undisclosed-recipients:;", NONE },
  { "undisclosed-recipients: (none) ;", NONE },
  { "Empty:;, c@z.net", { SAME ("c@z.net", "c", "z.net") } },
  { "Team: a@x.com, B <b@y.org>;",
    { SAME ("a@x.com", "a", "x.com"), OK ("B <b@y.org>", "b@y.org", "b", "y.org") } },
  { "Team: a@x.com", { SAME ("a@x.com", "a", "x.com") } },
  { "Team: a@x.com; b@y.org",
    { SAME ("a@x.com", "a", "x.com"), SAME ("b@y.org", "b", "y.org") } },
  { "a@x.com, Team: b@y.org;, c@z.net",
    { SAME ("a@x.com", "a", "x.com"), SAME ("b@y.org", "b", "y.org"),
      SAME ("c@z.net", "c", "z.net") } },
  { "\"Team, all\": a@x.com;", { SAME ("a@x.com", "a", "x.com") } },
  /* RFC 5322 appendix A.1.3. */
  { "A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;",
    { OK ("Ed Jones <c@a.test>", "c@a.test", "c", "a.test"),
      SAME ("joe@where.test", "joe", "where.test"),
      OK ("John <jdoe@one.test>", "jdoe@one.test", "jdoe", "one.test") } },
  { "mailto:a@x.com", { SAME ("a@x.com", "a", "x.com") } },
  /* A ':' after an '@' starts no group: the address before it must not vanish. */
  { "a@x.com: b@y.org", { BAD ("a@x.com: b@y.org", "has more than one @") } },

  /* RFC 2047 encoded words are left as they are. */
  { "=?UTF-8?B?w4RyZ2Vy?= <a@x.de>",
    { OK ("=?UTF-8?B?w4RyZ2Vy?= <a@x.de>", "a@x.de", "a", "x.de") } },
  { "=?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>",
    { OK ("=?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>", "PIRARD@vm1.ulg.ac.be",
          "PIRARD", "vm1.ulg.ac.be") } },

  /* A display name that is itself an address; the last <...> is the address. */
  { "\"boss@army.mil\" <x@army.ml>",
    { OK ("\"boss@army.mil\" <x@army.ml>", "x@army.ml", "x", "army.ml") } },
  { "boss@army.mil <x@army.ml>",
    { OK ("boss@army.mil <x@army.ml>", "x@army.ml", "x", "army.ml") } },
  { "a@x.com <b@y.org> <c@z.net>",
    { OK ("a@x.com <b@y.org> <c@z.net>", "c@z.net", "c", "z.net") } },

  /* Several mailboxes; a semicolon outside a group separates them too (Outlook). */
  { "a@x.com, b@y.org", { SAME ("a@x.com", "a", "x.com"), SAME ("b@y.org", "b", "y.org") } },
  { "a@x.com; b@y.org", { SAME ("a@x.com", "a", "x.com"), SAME ("b@y.org", "b", "y.org") } },
  { "a@x.com,b@y.org,c@z.net,d@w.io",
    { SAME ("a@x.com", "a", "x.com"), SAME ("b@y.org", "b", "y.org"),
      SAME ("c@z.net", "c", "z.net"), SAME ("d@w.io", "d", "w.io") } },

  /* Empty elements are skipped. */
  { "", NONE },
  { "   ", NONE },
  { ",", NONE },
  { " , \t,; ", NONE },
  { ",, a@x.com ,, ", { SAME ("a@x.com", "a", "x.com") } },

  /* Domain literals keep their brackets; a ':' or ',' inside one does not split. */
  { "x@[192.0.2.1]", { SAME ("x@[192.0.2.1]", "x", "[192.0.2.1]") } },
  { "x@[IPv6:2001:db8::1], y@a.b",
    { SAME ("x@[IPv6:2001:db8::1]", "x", "[IPv6:2001:db8::1]"), SAME ("y@a.b", "y", "a.b") } },
  { "Ops <x@[192.0.2.1]>", { OK ("Ops <x@[192.0.2.1]>", "x@[192.0.2.1]", "x",
                                 "[192.0.2.1]") } },

  /* UTF-8 (RFC 6532) in display names, local parts and domains. */
  { "Jürgen <jürgen@bücher.de>",
    { OK ("Jürgen <jürgen@bücher.de>", "jürgen@bücher.de", "jürgen", "bücher.de") } },
  { "\"山田 太郎\" <yamada@例え.jp>",
    { OK ("\"山田 太郎\" <yamada@例え.jp>", "yamada@例え.jp", "yamada", "例え.jp") } },
  { "用户@例子.广告", { SAME ("用户@例子.广告", "用户", "例子.广告") } },

  /* Domains are passed on as written: rg-normalize judges them. */
  { "x@a..b", { SAME ("x@a..b", "x", "a..b") } },
  { "x@-x.com", { SAME ("x@-x.com", "x", "-x.com") } },
  { "x@xn--zz.com", { SAME ("x@xn--zz.com", "x", "xn--zz.com") } },
  { "x@army.mil.", { SAME ("x@army.mil.", "x", "army.mil.") } },
  /* Cyrillic capitals that look Latin. */
  { "x@\xd0\x95\xd0\xa5\xd0\x90\xd0\x9c\xd0\xa0L\xd0\x95.com",
    { SAME ("x@\xd0\x95\xd0\xa5\xd0\x90\xd0\x9c\xd0\xa0L\xd0\x95.com", "x",
            "\xd0\x95\xd0\xa5\xd0\x90\xd0\x9c\xd0\xa0L\xd0\x95.com") } },
  /* An ideographic full stop and a full-width full stop. */
  { "x@army\xe3\x80\x82mil", { SAME ("x@army\xe3\x80\x82mil", "x", "army\xe3\x80\x82mil") } },
  { "x@army\xef\xbc\x8emil", { SAME ("x@army\xef\xbc\x8emil", "x", "army\xef\xbc\x8emil") } },
  /* A zero-width space. */
  { "x@gm\xe2\x80\x8b" "ail.com",
    { SAME ("x@gm\xe2\x80\x8b" "ail.com", "x", "gm\xe2\x80\x8b" "ail.com") } },

  /* Local parts with empty words, which old mobile carriers handed out. */
  { "a..b.@docomo.ne.jp", { SAME ("a..b.@docomo.ne.jp", "a..b.", "docomo.ne.jp") } },

  /* An obsolete source route is dropped. */
  { "<@relay.example:ops@army.mil>",
    { OK ("<@relay.example:ops@army.mil>", "ops@army.mil", "ops", "army.mil") } },
  { "<@a.example,@b.example:ops@army.mil>",
    { OK ("<@a.example,@b.example:ops@army.mil>", "ops@army.mil", "ops", "army.mil") } },

  /* Syntax errors: one mailbox each, and parsing goes on. */
  { "army.mil", { BAD ("army.mil", "has no @") } },
  { "John Smith", { BAD ("John Smith", "has no @") } },
  { "@army.mil", { BAD ("@army.mil", "has an empty local part") } },
  { "ops@", { BAD ("ops@", "has an empty domain") } },
  { "ops@ (nothing)", { BAD ("ops@ (nothing)", "has an empty domain") } },
  { "\"ops@army.mil", { BAD ("\"ops@army.mil", "has an unclosed quoted string") } },
  { "\"a\\\"@x.com", { BAD ("\"a\\\"@x.com", "has an unclosed quoted string") } },
  { "Ops <ops@army.mil", { BAD ("Ops <ops@army.mil", "has an unclosed angle bracket") } },
  { "a<b@x.com", { BAD ("a<b@x.com", "has an unclosed angle bracket") } },
  /* An unclosed bracket takes the rest of the list: it is reported, not guessed at. */
  { "Ops <ops@army.mil, b@x.com",
    { BAD ("Ops <ops@army.mil, b@x.com", "has an unclosed angle bracket") } },
  { "Ops <>", { BAD ("Ops <>", "has nothing between its angle brackets") } },
  { "Ops < (c) >", { BAD ("Ops < (c) >", "has nothing between its angle brackets") } },
  { "Ops <ops@army.mil> junk", { BAD ("Ops <ops@army.mil> junk", "has text after the address") } },
  { "<a@x.com>>", { BAD ("<a@x.com>>", "has text after the address") } },
  { "ops@@army.mil", { BAD ("ops@@army.mil", "has more than one @") } },
  { "ops@army@mil", { BAD ("ops@army@mil", "has more than one @") } },
  { "a b@x.com", { BAD ("a b@x.com", "has white space inside the address") } },
  { "Ops <a b@x.com>", { BAD ("Ops <a b@x.com>", "has white space inside the address") } },
  { "a@x .com", { BAD ("a@x .com", "has white space inside the address") } },
  { "a@x(c)y.com", { BAD ("a@x(c)y.com", "has white space inside the address") } },
  { "\"a\" b@x.com", { BAD ("\"a\" b@x.com", "has white space inside the address") } },
  { "\"a\"b@x.com", { BAD ("\"a\"b@x.com", "has a character not allowed in the local part") } },
  { "a\\b@x.com", { BAD ("a\\b@x.com", "has a character not allowed in the local part") } },
  { ")a@x.com", { BAD (")a@x.com", "has a character not allowed in the local part") } },
  { "a@x.com>", { BAD ("a@x.com>", "has a character not allowed in the domain") } },
  { "a@\"x\".com", { BAD ("a@\"x\".com", "has a character not allowed in the domain") } },
  { "ops@[192.0.2.1", { BAD ("ops@[192.0.2.1", "has an unclosed square bracket") } },
  { "ops@[]", { BAD ("ops@[]", "has a malformed domain literal") } },
  { "ops@[1.2.3.4]x", { BAD ("ops@[1.2.3.4]x", "has a malformed domain literal") } },
  { "ops@[1.2 .3.4]", { BAD ("ops@[1.2 .3.4]", "has white space inside the address") } },
  { "(x@gmial.com", { BAD ("(x@gmial.com", "has an unclosed comment") } },
  { "x@y.com (unclosed", { BAD ("x@y.com (unclosed", "has an unclosed comment") } },
  { "a@x.com, (b@gmial.com",
    { SAME ("a@x.com", "a", "x.com"), BAD ("(b@gmial.com", "has an unclosed comment") } },
  { "bad, a@x.com", { BAD ("bad", "has no @"), SAME ("a@x.com", "a", "x.com") } },
  { "a,b@x.com", { BAD ("a", "has no @"), SAME ("b@x.com", "b", "x.com") } },
  { "a@x,com", { SAME ("a@x", "a", "x"), BAD ("com", "has no @") } },
  { "Team: a@x.com, nobody;",
    { SAME ("a@x.com", "a", "x.com"), BAD ("nobody", "has no @") } },
};

static size_t
expected_count (const parse_case *c)
{
  size_t n = 0;

  while (n < G_N_ELEMENTS (c->mailboxes) && c->mailboxes[n].input != NULL)
    n++;
  return n;
}

static void
test_cases (void)
{
  g_assert_cmpuint (G_N_ELEMENTS (cases), >=, 60);
  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const parse_case *c = &cases[i];
      size_t n = expected_count (c);
      rg_mailbox_list list = { 0 };

      g_test_message ("list: %s", c->list);
      g_assert_cmpint (rg_parse_address_list (c->list, strlen (c->list), 100, &list), ==,
                       RG_OK);
      g_assert_cmpuint (list.n, ==, n);
      for (size_t j = 0; j < n; j++)
        {
          const rg_mailbox *m = &list.items[j];
          const expected_mailbox *e = &c->mailboxes[j];

          g_assert_cmpstr (m->input, ==, e->input);
          g_assert_cmpstr (m->address, ==, e->address);
          g_assert_cmpstr (m->local, ==, e->local);
          g_assert_cmpstr (m->domain, ==, e->domain);
          g_assert_cmpint (m->status, ==, e->status);
          g_assert_cmpstr (m->problem, ==, e->problem);
        }
      rg_mailbox_list_clear (&list);
    }
}

/* Checks that @text fails as a whole with @status and appends nothing to a list that
 * already holds one mailbox. */
static void
expect_error (const char *text, size_t len, rg_status status)
{
  rg_mailbox_list list = { 0 };

  g_test_message ("error case of %zu octets, expecting %d", len, (int) status);
  g_assert_cmpint (rg_parse_address_list ("a@x.com", 7, 100, &list), ==, RG_OK);
  g_assert_cmpint (rg_parse_address_list (text, len, 100, &list), ==, status);
  g_assert_cmpuint (list.n, ==, 1);
  g_assert_cmpstr (list.items[0].address, ==, "a@x.com");
  rg_mailbox_list_clear (&list);
}

static void
expect_ok (const char *text, size_t len, size_t n)
{
  rg_mailbox_list list = { 0 };

  g_assert_cmpint (rg_parse_address_list (text, len, 100, &list), ==, RG_OK);
  g_assert_cmpuint (list.n, ==, n);
  rg_mailbox_list_clear (&list);
}

static void
test_encoding (void)
{
  static const char *const invalid[] = {
    "a@x\xff.com",             /* never valid in UTF-8 */
    "a@x\x80.com",             /* a lone continuation octet */
    "a@x\xc0\xaf.com",         /* "/" as an overlong two-octet sequence */
    "a@x\xc1\xbf.com",         /* overlong */
    "a@x\xe0\x80\xaf.com",     /* overlong three-octet sequence */
    "a@x\xf0\x80\x80\xaf.com", /* overlong four-octet sequence */
    "a@x\xed\xa0\x80.com",     /* a high surrogate, U+D800 */
    "a@x\xed\xbf\xbf.com",     /* a low surrogate, U+DFFF */
    "a@x\xf4\x90\x80\x80.com", /* U+110000, past U+10FFFF */
    "a@x\xf5\x80\x80\x80.com", /* a lead octet past U+10FFFF */
    "a@x\xe2\x82.com",         /* truncated inside the list */
    "a@x.com\xe2\x82",         /* truncated at the end */
    "a@x.com\xf0\x9f\x98",     /* truncated four-octet sequence at the end */
    "\"\xc3\" <a@x.com>",      /* truncated inside a quoted string */
  };
  static const char *const valid[] = {
    "\xc2\x80@x.com",          /* U+0080, the first two-octet code point */
    "x@\xed\x9f\xbf.com",      /* U+D7FF, just below the surrogates */
    "x@\xee\x80\x80.com",      /* U+E000, just above them */
    "x@\xef\xbf\xbf.com",      /* U+FFFF */
    "x@\xf0\x90\x80\x80.com",  /* U+10000 */
    "x@\xf4\x8f\xbf\xbf.com",  /* U+10FFFF, the last code point */
  };

  for (size_t i = 0; i < G_N_ELEMENTS (invalid); i++)
    expect_error (invalid[i], strlen (invalid[i]), RG_E_ENCODING);
  for (size_t i = 0; i < G_N_ELEMENTS (valid); i++)
    expect_ok (valid[i], strlen (valid[i]), 1);
}

static void
test_control_characters (void)
{
  static const char nul[] = "a@x.com\0b@y.com";
  char text[64];

  expect_error (nul, sizeof nul - 1, RG_E_CONTROL_CHARACTER);
  expect_error ("a@x.com\r\nb@y.com", 16, RG_E_CONTROL_CHARACTER);
  expect_error ("a@x.com\rb@y.com", 15, RG_E_CONTROL_CHARACTER);
  expect_error ("a@x.com\n", 8, RG_E_CONTROL_CHARACTER);
  expect_error ("a@x.com\x1b", 8, RG_E_CONTROL_CHARACTER);
  expect_error ("a@x.com\x7f", 8, RG_E_CONTROL_CHARACTER);
  expect_error ("\"a\x01\"@x.com", 10, RG_E_CONTROL_CHARACTER);
  /* A control character in a comment is still one: the check is on the whole input. */
  expect_error ("a@x.com (\n)", 11, RG_E_CONTROL_CHARACTER);

  /* Every position within and across the eight-octet words the check reads at once. */
  for (size_t pos = 0; pos < 40; pos++)
    {
      memset (text, 'a', 40);
      text[pos] = '\n';
      expect_error (text, 40, RG_E_CONTROL_CHARACTER);
      text[pos] = 0x7f;
      expect_error (text, 40, RG_E_CONTROL_CHARACTER);
      text[pos] = '\xff';
      expect_error (text, 40, RG_E_ENCODING);
      text[pos] = '\t';
      expect_ok (text, 40, 1);
    }

  /* A tab is white space, not a control character. */
  expect_ok ("\tOps\t<a@x.com>\t", 15, 1);
}

static void
test_too_long (void)
{
  char *big = g_malloc (RG_MAX_LIST_OCTETS + 1);
  rg_mailbox_list list = { 0 };

  /* Over the limit fails whatever the text, before it is read. */
  memset (big, 'a', RG_MAX_LIST_OCTETS + 1);
  expect_error (big, RG_MAX_LIST_OCTETS + 1, RG_E_TOO_LONG);
  big[10] = '\n';
  expect_error (big, RG_MAX_LIST_OCTETS + 1, RG_E_TOO_LONG);

  /* At the limit it is read: one local part of 4 MiB less the domain. */
  memset (big, 'a', RG_MAX_LIST_OCTETS);
  memcpy (big + RG_MAX_LIST_OCTETS - 6, "@x.com", 6);
  g_assert_cmpint (rg_parse_address_list (big, RG_MAX_LIST_OCTETS, 1, &list), ==, RG_OK);
  g_assert_cmpuint (list.n, ==, 1);
  g_assert_cmpuint (strlen (list.items[0].local), ==, RG_MAX_LIST_OCTETS - 6);
  g_assert_cmpstr (list.items[0].domain, ==, "x.com");
  rg_mailbox_list_clear (&list);
  g_free (big);
}

static void
test_too_many (void)
{
  rg_mailbox_list list = { 0 };

  /* The mailboxes before the one too many stay appended. */
  g_assert_cmpint (rg_parse_address_list ("a@x.com, b@x.com, c@x.com", 25, 2, &list), ==,
                   RG_E_TOO_MANY);
  g_assert_cmpuint (list.n, ==, 2);
  g_assert_cmpstr (list.items[1].address, ==, "b@x.com");
  rg_mailbox_list_clear (&list);

  g_assert_cmpint (rg_parse_address_list ("a@x.com, b@x.com, c@x.com", 25, 3, &list), ==,
                   RG_OK);
  g_assert_cmpuint (list.n, ==, 3);

  /* The limit counts the mailboxes of this call only. */
  g_assert_cmpint (rg_parse_address_list ("d@x.com, e@x.com", 16, 2, &list), ==, RG_OK);
  g_assert_cmpuint (list.n, ==, 5);
  g_assert_cmpstr (list.items[4].address, ==, "e@x.com");
  rg_mailbox_list_clear (&list);

  /* Syntax errors are mailboxes and count; empty elements and empty groups do not. */
  g_assert_cmpint (rg_parse_address_list ("bad, a@x.com", 12, 1, &list), ==, RG_E_TOO_MANY);
  g_assert_cmpuint (list.n, ==, 1);
  g_assert_cmpint (list.items[0].status, ==, RG_E_SYNTAX);
  rg_mailbox_list_clear (&list);
  g_assert_cmpint (rg_parse_address_list (",, x:;, a@x.com ,", 17, 1, &list), ==, RG_OK);
  g_assert_cmpuint (list.n, ==, 1);
  rg_mailbox_list_clear (&list);
  g_assert_cmpint (rg_parse_address_list (" , ", 3, 0, &list), ==, RG_OK);
  g_assert_cmpint (rg_parse_address_list ("a@x.com", 7, 0, &list), ==, RG_E_TOO_MANY);
  g_assert_cmpuint (list.n, ==, 0);
  rg_mailbox_list_clear (&list);
}

static void
test_comment_depth (void)
{
  GString *s = g_string_new (NULL);
  rg_mailbox_list list = { 0 };

  /* At the limit, comments are read. */
  for (int i = 0; i < RG_MAX_COMMENT_DEPTH; i++)
    g_string_append_c (s, '(');
  for (int i = 0; i < RG_MAX_COMMENT_DEPTH; i++)
    g_string_append_c (s, ')');
  g_string_append (s, "a@x.com");
  g_assert_cmpint (rg_parse_address_list (s->str, s->len, 10, &list), ==, RG_OK);
  g_assert_cmpuint (list.n, ==, 1);
  g_assert_cmpint (list.items[0].status, ==, RG_OK);
  g_assert_cmpstr (list.items[0].address, ==, "a@x.com");
  rg_mailbox_list_clear (&list);

  /* One deeper, that mailbox is an error, and the next is still read. */
  g_string_truncate (s, 0);
  for (int i = 0; i < RG_MAX_COMMENT_DEPTH + 1; i++)
    g_string_append_c (s, '(');
  for (int i = 0; i < RG_MAX_COMMENT_DEPTH + 1; i++)
    g_string_append_c (s, ')');
  g_string_append (s, "a@x.com, b@y.org");
  g_assert_cmpint (rg_parse_address_list (s->str, s->len, 10, &list), ==, RG_OK);
  g_assert_cmpuint (list.n, ==, 2);
  g_assert_cmpint (list.items[0].status, ==, RG_E_SYNTAX);
  g_assert_cmpstr (list.items[0].problem, ==, "has comments nested too deep");
  g_assert_cmpstr (list.items[0].local, ==, "");
  g_assert_cmpstr (list.items[0].domain, ==, "");
  g_assert_cmpint (list.items[1].status, ==, RG_OK);
  g_assert_cmpstr (list.items[1].address, ==, "b@y.org");
  rg_mailbox_list_clear (&list);

  /* A million opening parentheses: no recursion, one error. */
  g_string_truncate (s, 0);
  for (int i = 0; i < 1000 * 1000; i++)
    g_string_append_c (s, '(');
  g_assert_cmpint (rg_parse_address_list (s->str, s->len, 10, &list), ==, RG_OK);
  g_assert_cmpuint (list.n, ==, 1);
  g_assert_cmpstr (list.items[0].problem, ==, "has comments nested too deep");
  rg_mailbox_list_clear (&list);
  g_string_free (s, TRUE);
}

static void
test_long_local_part (void)
{
  GString *s = g_string_new ("Big <");
  rg_mailbox_list list = { 0 };
  const size_t n = 1024 * 1024;

  for (size_t i = 0; i < n; i++)
    g_string_append_c (s, (char) ('a' + i % 26));
  g_string_append (s, "@example.com>, b@y.org");
  g_assert_cmpint (rg_parse_address_list (s->str, s->len, 10, &list), ==, RG_OK);
  g_assert_cmpuint (list.n, ==, 2);
  g_assert_cmpint (list.items[0].status, ==, RG_OK);
  g_assert_cmpuint (strlen (list.items[0].local), ==, n);
  g_assert_true (memcmp (list.items[0].local, s->str + 5, n) == 0);
  g_assert_cmpuint (strlen (list.items[0].address), ==, n + strlen ("@example.com"));
  g_assert_cmpstr (list.items[0].domain, ==, "example.com");
  g_assert_cmpstr (list.items[1].address, ==, "b@y.org");
  rg_mailbox_list_clear (&list);

  /* The same as a quoted string full of commas. */
  g_string_assign (s, "\"");
  for (size_t i = 0; i < n; i++)
    g_string_append_c (s, i % 2 ? ',' : 'q');
  g_string_append (s, "\"@example.com");
  g_assert_cmpint (rg_parse_address_list (s->str, s->len, 10, &list), ==, RG_OK);
  g_assert_cmpuint (list.n, ==, 1);
  g_assert_cmpuint (strlen (list.items[0].local), ==, n + 2);
  rg_mailbox_list_clear (&list);
  g_string_free (s, TRUE);
}

static void
test_many_addresses (void)
{
  GString *s = g_string_new (NULL);
  rg_mailbox_list list = { 0 };

  for (int i = 0; i < 20000; i++)
    g_string_append_printf (s, "%s\"User %d\" <u%d@d%d.example>", i ? ", " : "", i, i, i);
  g_assert_cmpint (rg_parse_address_list (s->str, s->len, 20000, &list), ==, RG_OK);
  g_assert_cmpuint (list.n, ==, 20000);
  g_assert_cmpuint (list.allocated, >=, list.n);
  g_assert_cmpstr (list.items[0].address, ==, "u0@d0.example");
  g_assert_cmpstr (list.items[12345].address, ==, "u12345@d12345.example");
  g_assert_cmpstr (list.items[12345].local, ==, "u12345");
  g_assert_cmpstr (list.items[19999].input, ==, "\"User 19999\" <u19999@d19999.example>");
  g_assert_cmpstr (list.items[19999].domain, ==, "d19999.example");
  rg_mailbox_list_clear (&list);

  /* One more than allowed. */
  g_assert_cmpint (rg_parse_address_list (s->str, s->len, 19999, &list), ==, RG_E_TOO_MANY);
  g_assert_cmpuint (list.n, ==, 19999);
  rg_mailbox_list_clear (&list);

  /* A list of nearly 4 MiB: 20,000 mailboxes with long display names. */
  g_string_truncate (s, 0);
  for (int i = 0; i < 20000; i++)
    {
      g_string_append_printf (s, "%s(%d) ", i ? ", " : "", i);
      for (int j = 0; j < 165; j++)
        g_string_append_c (s, 'N');
      g_string_append_printf (s, " <user.%d@host%d.example.org>", i, i % 97);
    }
  g_assert_cmpuint (s->len, <=, RG_MAX_LIST_OCTETS);
  g_assert_cmpint (rg_parse_address_list (s->str, s->len, 50000, &list), ==, RG_OK);
  g_assert_cmpuint (list.n, ==, 20000);
  g_assert_cmpstr (list.items[19998].address, ==, "user.19998@host16.example.org");
  rg_mailbox_list_clear (&list);
  g_string_free (s, TRUE);
}

/* A megabyte of one awkward character must be read in linear time, whatever it yields. */
static void
test_adversarial (void)
{
  static const struct {
    const char *unit;
    size_t n;
  } cases_[] = {
    { "<", 1 }, { ">", 1 }, { "@", 1 }, { ":", 1 }, { "\"", 1 }, { "[", 1 }, { "]", 1 },
    { "()", 0 }, { "<>", 1 }, { "a@", 1 }, { "a:", 1 }, { "\\", 1 }, { ".", 1 }, { ";", 0 },
    { ",", 0 }, { "a ", 1 }, { ")", 1 }, { "<a@b>", 1 }, { "x:a@b;", 1024 * 1024 / 6 },
  };
  rg_mailbox_list list = { 0 };

  for (size_t i = 0; i < G_N_ELEMENTS (cases_); i++)
    {
      size_t unit = strlen (cases_[i].unit), count = 1024 * 1024 / unit;
      char *text = g_malloc (count * unit);

      for (size_t j = 0; j < count; j++)
        memcpy (text + j * unit, cases_[i].unit, unit);
      g_test_message ("a megabyte of %s", cases_[i].unit);
      g_assert_cmpint (rg_parse_address_list (text, count * unit, G_MAXSIZE, &list), ==,
                       RG_OK);
      g_assert_cmpuint (list.n, ==, cases_[i].n);
      rg_mailbox_list_clear (&list);
      g_free (text);
    }
}

static void
test_append_and_clear (void)
{
  rg_mailbox_list list = { 0 };

  /* Clearing is safe on a zeroed list and idempotent. */
  rg_mailbox_list_clear (&list);
  rg_mailbox_list_clear (&list);
  g_assert_null (list.items);

  /* Mailboxes are appended across calls, in order, past the first growth. */
  for (int i = 0; i < 20; i++)
    g_assert_cmpint (rg_parse_address_list ("a@x.com, Bad", 12, 2, &list), ==, RG_OK);
  g_assert_cmpuint (list.n, ==, 40);
  g_assert_cmpstr (list.items[38].address, ==, "a@x.com");
  g_assert_cmpstr (list.items[39].address, ==, "Bad");
  g_assert_cmpstr (list.items[39].problem, ==, "has no @");

  /* The input need not be NUL-terminated: only @len octets are read. */
  g_assert_cmpint (rg_parse_address_list ("b@y.orgXXX", 7, 1, &list), ==, RG_OK);
  g_assert_cmpstr (list.items[40].domain, ==, "y.org");

  rg_mailbox_list_clear (&list);
  g_assert_cmpuint (list.n, ==, 0);
  g_assert_cmpuint (list.allocated, ==, 0);
  g_assert_null (list.items);
  rg_mailbox_list_clear (&list);

  /* An empty input, even without a buffer, yields nothing. */
  g_assert_cmpint (rg_parse_address_list (NULL, 0, 1, &list), ==, RG_OK);
  g_assert_cmpuint (list.n, ==, 0);
}

int
main (int argc, char **argv)
{
  rg_test_init_locale ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/parse/cases", test_cases);
  g_test_add_func ("/parse/encoding", test_encoding);
  g_test_add_func ("/parse/control-characters", test_control_characters);
  g_test_add_func ("/parse/too-long", test_too_long);
  g_test_add_func ("/parse/too-many", test_too_many);
  g_test_add_func ("/parse/comment-depth", test_comment_depth);
  g_test_add_func ("/parse/long-local-part", test_long_local_part);
  g_test_add_func ("/parse/many-addresses", test_many_addresses);
  g_test_add_func ("/parse/adversarial", test_adversarial);
  g_test_add_func ("/parse/append-and-clear", test_append_and_clear);
  return g_test_run ();
}
