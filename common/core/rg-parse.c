/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-parse.c - RFC 5322 address lists (section 3.4), read the way mail clients write them.
 *
 * The list is read in one pass.  The pass tracks quoted strings, comments (nested, by a
 * counter, never by recursion), domain literals and angle brackets; it cuts the list into
 * elements at the commas outside all of them, unwraps groups, and copies each element
 * without its comments into a scratch buffer.  Each element is then read once or twice more
 * over its own length, so the whole is linear in the input.
 *
 * Leniency, where real mail clients are lenient: a semicolon outside a group separates
 * mailboxes as a comma does (Outlook users type it); anything may stand before the last
 * "<...>" of a mailbox, so "boss@army.mil <x@army.ml>" is read as x@army.ml; an obsolete
 * source route "<@relay:user@host>" is dropped; the dots of a local part are not checked
 * (old Japanese mobile addresses have "..").  The domain is passed on as written:
 * rg-normalize.c judges it.
 *
 * Strictness, where a guard should speak up: a ':' starts a group only before any '@' or
 * angle bracket, so no address can vanish into a group's name; white space or a comment
 * inside a local part or a domain (obsolete syntax nobody writes) is an error rather than
 * something to join silently.  An unclosed quote, comment or bracket takes the rest of the
 * list into one mailbox in error: it is reported, never guessed at.
 *
 * The strings of one mailbox share a single allocation starting at its input (see
 * append_mailbox); rg_mailbox_list_clear() frees them.
 */
#include "rg-parse.h"
#include "rg-normalize.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* An offset that points nowhere. */
#define NO_OFFSET SIZE_MAX

/* A piece of a longer text; not NUL-terminated. */
typedef struct {
  const char *text;
  size_t len;
} span;

/* Where mailboxes go, and how many more may go there. */
typedef struct {
  rg_mailbox_list *out;
  size_t added;
  size_t max;
} sink;

/* What the pass over the list knows about the element it is in. */
typedef struct {
  size_t start;        /* offset in the list of the element's first octet */
  size_t clean_len;    /* octets of the element written to the scratch buffer */
  size_t open;         /* offset in the buffer of the last top-level '<', or NO_OFFSET */
  size_t close;        /* offset in the buffer of the '>' closing it, or NO_OFFSET */
  bool seen_address;   /* a top-level '@', '<' or '>': a ':' no longer starts a group */
  const char *problem; /* the first problem found by the pass, or NULL */
} element;

/*
 * For each octet, the states in which it means more than itself; the pass copies runs of
 * the other octets at once.
 */
enum {
  STOP_OUTSIDE = 1 << 0,    /* outside quoted strings, comments and domain literals */
  STOP_IN_QUOTE = 1 << 1,
  STOP_IN_COMMENT = 1 << 2,
  STOP_IN_LITERAL = 1 << 3,
};

static const unsigned char stops[256] = {
  ['('] = STOP_OUTSIDE | STOP_IN_COMMENT,
  [')'] = STOP_IN_COMMENT,
  ['"'] = STOP_OUTSIDE | STOP_IN_QUOTE,
  ['\\'] = STOP_IN_QUOTE | STOP_IN_COMMENT,
  ['['] = STOP_OUTSIDE,
  [']'] = STOP_IN_LITERAL,
  ['<'] = STOP_OUTSIDE,
  ['>'] = STOP_OUTSIDE,
  ['@'] = STOP_OUTSIDE,
  [':'] = STOP_OUTSIDE,
  [';'] = STOP_OUTSIDE,
  [','] = STOP_OUTSIDE,
};

/* The offset of the first octet from @i on that means more than itself in @state. */
static size_t
run_end (const char *list, size_t i, size_t len, unsigned state)
{
  while (i < len && (stops[(unsigned char) list[i]] & state) == 0)
    i++;
  return i;
}

static bool
is_space (char c)
{
  return c == ' ' || c == '\t';
}

/* RFC 5322 section 3.2.3 specials other than '.', which no atom may hold. */
static bool
is_special (char c)
{
  switch (c)
    {
    case '(': case ')': case '<': case '>': case '[': case ']':
    case ':': case ';': case '@': case '\\': case ',': case '"':
      return true;
    default:
      return false;
    }
}

static span
trim (const char *text, size_t len)
{
  span s = { text, len };

  while (s.len > 0 && is_space (s.text[0]))
    {
      s.text++;
      s.len--;
    }
  while (s.len > 0 && is_space (s.text[s.len - 1]))
    s.len--;
  return s;
}

static bool
is_blank (const char *text, size_t len)
{
  for (size_t i = 0; i < len; i++)
    if (!is_space (text[i]))
      return false;
  return true;
}

/* The whole-input checks, done before anything is appended. */
static rg_status
check_text (const char *s, size_t len)
{
  for (size_t i = 0; i < len;)
    {
      unsigned char c = (unsigned char) s[i];
      uint32_t cp;
      size_t n;

      if (c < 0x80)
        {
          if ((c < 0x20 && c != '\t') || c == 0x7F)
            return RG_E_CONTROL_CHARACTER;
          i++;
          continue;
        }
      n = rg_utf8_decode (s + i, len - i, &cp);
      if (n == 0)
        return RG_E_ENCODING;
      i += n;
    }
  return RG_OK;
}

static char *
put_string (char *dest, const char *text, size_t n)
{
  memcpy (dest, text, n);
  dest[n] = '\0';
  return dest + n + 1;
}

/* Makes room for one more mailbox, or says why there is none. */
static rg_status
reserve (sink *k)
{
  rg_mailbox_list *out = k->out;
  rg_mailbox *items;
  size_t allocated;

  if (k->added >= k->max)
    return RG_E_TOO_MANY;
  if (out->n < out->allocated)
    return RG_OK;
  allocated = out->allocated > 0 ? out->allocated * 2 : 8;
  if (allocated <= out->allocated || allocated > SIZE_MAX / sizeof *items)
    return RG_E_NOMEM;
  items = realloc (out->items, allocated * sizeof *items);
  if (items == NULL)
    return RG_E_NOMEM;
  out->items = items;
  out->allocated = allocated;
  return RG_OK;
}

/*
 * Appends one mailbox: an address when @problem is NULL, else a syntax error whose address
 * is its input.  On failure nothing is appended.
 *
 * The strings of a mailbox share one allocation that starts at its input: a list of 20,000
 * costs 20,000 calls of malloc() rather than 80,000, and the calls dominated the time.
 */
static rg_status
append_mailbox (sink *k, span input, span local, span domain, const char *problem)
{
  rg_mailbox m = { 0 };
  rg_status status = reserve (k);
  size_t size = input.len + 1;
  char *p;

  if (status != RG_OK)
    return status;
  /* Lengths are bounded by RG_MAX_LIST_OCTETS, so the sum cannot overflow. */
  if (problem == NULL)
    size += 2 * (local.len + 1) + 2 * (domain.len + 1);
  m.input = malloc (size);
  if (m.input == NULL)
    return RG_E_NOMEM;
  p = put_string (m.input, input.text, input.len);
  if (problem == NULL)
    {
      m.status = RG_OK;
      m.local = p;
      p = put_string (p, local.text, local.len);
      m.domain = p;
      p = put_string (p, domain.text, domain.len);
      m.address = p;
      memcpy (p, local.text, local.len);
      p[local.len] = '@';
      put_string (p + local.len + 1, domain.text, domain.len);
    }
  else
    {
      /* The address of a mailbox that is none is its input; its local part and domain are
       * the empty string that ends the input. */
      m.status = RG_E_SYNTAX;
      m.problem = problem;
      m.address = m.input;
      m.local = m.input + input.len;
      m.domain = m.input + input.len;
    }
  k->out->items[k->out->n++] = m;
  k->added++;
  return RG_OK;
}

/*
 * The offset of the first @target in @s outside quoted strings and domain literals
 * (@last false), or of the last one (@last true); NO_OFFSET when there is none.
 */
static size_t
find_outside (span s, char target, bool last)
{
  size_t found = NO_OFFSET;
  bool quoted = false, literal = false;

  for (size_t i = 0; i < s.len; i++)
    {
      char c = s.text[i];

      if (quoted)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            quoted = false;
        }
      else if (literal)
        literal = c != ']';
      else if (c == '"')
        quoted = true;
      else if (c == '[')
        literal = true;
      else if (c == target)
        {
          found = i;
          if (!last)
            break;
        }
    }
  return found;
}

/*
 * Checks a local part: words separated by dots, each a quoted string (kept as written) or
 * atext and non-ASCII UTF-8 (RFC 6532).  Empty words are let through: old mobile carriers
 * handed out addresses such as "a..b" and "a.", and they receive mail.
 */
static const char *
check_local (span s)
{
  size_t i = 0;

  if (s.len == 0)
    return "has an empty local part";
  while (i < s.len)
    {
      if (s.text[i] == '.')
        {
          i++;
          continue;
        }
      if (s.text[i] == '"')
        {
          for (i++; i < s.len && s.text[i] != '"'; i++)
            if (s.text[i] == '\\')
              i++;
          if (i >= s.len)
            return "has an unclosed quoted string";
          i++;
          if (i < s.len && is_space (s.text[i]))
            return "has white space inside the address";
          if (i < s.len && s.text[i] != '.')
            return "has a character not allowed in the local part";
          continue;
        }
      for (; i < s.len && s.text[i] != '.'; i++)
        {
          char c = s.text[i];

          if (is_space (c))
            return "has white space inside the address";
          if (c == '@')
            return "has more than one @";
          if (is_special (c))
            return "has a character not allowed in the local part";
        }
    }
  return NULL;
}

/* Checks that a domain is dot-atom text or one domain literal; the rest is rg-normalize's. */
static const char *
check_domain (span s)
{
  if (s.len == 0)
    return "has an empty domain";
  if (s.text[0] == '[')
    {
      size_t i;

      for (i = 1; i < s.len && s.text[i] != ']'; i++)
        {
          if (is_space (s.text[i]))
            return "has white space inside the address";
          if (s.text[i] == '[' || s.text[i] == '\\')
            return "has a malformed domain literal";
        }
      if (i >= s.len)
        return "has an unclosed square bracket";
      if (i == 1 || i + 1 != s.len)
        return "has a malformed domain literal";
      return NULL;
    }
  for (size_t i = 0; i < s.len; i++)
    {
      if (is_space (s.text[i]))
        return "has white space inside the address";
      if (is_special (s.text[i]))
        return "has a character not allowed in the domain";
    }
  return NULL;
}

/*
 * Reads the mailbox in @clean (an element without its comments) into @local and @domain.
 * Returns: NULL, or the problem that makes it no address.
 */
static const char *
read_mailbox (const char *clean, const element *e, span *local, span *domain)
{
  span spec;
  size_t at;
  const char *problem;

  if (e->open == NO_OFFSET)
    spec = trim (clean, e->clean_len);
  else
    {
      if (e->close == NO_OFFSET)
        return "has an unclosed angle bracket";
      if (!is_blank (clean + e->close + 1, e->clean_len - e->close - 1))
        return "has text after the address";
      spec = trim (clean + e->open + 1, e->close - e->open - 1);
      if (spec.len == 0)
        return "has nothing between its angle brackets";
      /* An obsolete source route, "<@relay.example:user@host>", names relays that servers
       * have ignored for decades (RFC 5322 section 4.4); only what follows it is the
       * address. */
      if (spec.text[0] == '@')
        {
          size_t colon = find_outside (spec, ':', false);

          if (colon != NO_OFFSET)
            spec = trim (spec.text + colon + 1, spec.len - colon - 1);
        }
    }

  /* The last '@' splits: a quoted local part may hold more, and "a@b@c" is then reported as
   * a local part holding an '@'. */
  at = find_outside (spec, '@', true);
  if (at == NO_OFFSET)
    return "has no @";
  *local = trim (spec.text, at);
  *domain = trim (spec.text + at + 1, spec.len - at - 1);
  problem = check_local (*local);
  if (problem == NULL)
    problem = check_domain (*domain);
  return problem;
}

/*
 * Appends the element @text (as written) whose comment-free copy is @clean, unless it is
 * blank: empty elements between commas are skipped silently.
 */
static rg_status
finish_element (sink *k, const char *text, size_t len, const char *clean, const element *e)
{
  span input = trim (text, len);
  span local = { "", 0 }, domain = { "", 0 };
  const char *problem = e->problem;

  /* An element with a problem (an unclosed comment, say) is never blank: the problem may
   * hide an address. */
  if (problem == NULL && is_blank (clean, e->clean_len))
    return RG_OK;
  if (problem == NULL)
    problem = read_mailbox (clean, e, &local, &domain);
  return append_mailbox (k, input, local, domain, problem);
}

static void
element_reset (element *e, size_t start)
{
  e->start = start;
  e->clean_len = 0;
  e->open = NO_OFFSET;
  e->close = NO_OFFSET;
  e->seen_address = false;
  e->problem = NULL;
}

/* Appends @n octets of the list to the comment-free copy of the element. */
static void
put (char *clean, element *e, const char *text, size_t n)
{
  memcpy (clean + e->clean_len, text, n);
  e->clean_len += n;
}

rg_status
rg_parse_address_list (const char *list, size_t len, size_t max_mailboxes,
                       rg_mailbox_list *out)
{
  sink k = { out, 0, max_mailboxes };
  rg_status status;
  element e;
  char *clean;
  size_t i = 0, depth = 0;
  bool quoted = false, literal = false, angle = false, in_group = false;

  if (out == NULL || (list == NULL && len > 0))
    return RG_E_INVALID_ARGUMENT;
  if (len > RG_MAX_LIST_OCTETS)
    return RG_E_TOO_LONG;
  status = check_text (list, len);
  if (status != RG_OK || len == 0)
    return status;

  /* An element without its comments is never longer than the list.  Only as much of the
   * buffer as the longest element is ever touched. */
  clean = malloc (len);
  if (clean == NULL)
    return RG_E_NOMEM;
  element_reset (&e, 0);

  while (i < len && status == RG_OK)
    {
      size_t end;
      char c;

      if (depth > 0)
        {
          /* Comments are dropped; each, as a whole, separates tokens like a space. */
          i = run_end (list, i, len, STOP_IN_COMMENT);
          if (i == len)
            break;
          c = list[i++];
          if (c == '\\')
            {
              /* A quoted pair: the octet after the backslash ends nothing. */
              if (i < len)
                i++;
            }
          else if (c == '(')
            {
              depth++;
              if (depth > RG_MAX_COMMENT_DEPTH && e.problem == NULL)
                e.problem = "has comments nested too deep";
            }
          else
            {
              depth--;
              if (depth == 0)
                put (clean, &e, " ", 1);
            }
          continue;
        }

      if (quoted)
        {
          end = run_end (list, i, len, STOP_IN_QUOTE);
          put (clean, &e, list + i, end - i);
          i = end;
          if (i == len)
            break;
          /* A quoted pair is copied whole: the quote it may hold ends nothing. */
          if (list[i] == '\\' && i + 1 < len)
            {
              put (clean, &e, list + i, 2);
              i += 2;
            }
          else
            {
              quoted = list[i] != '"';
              put (clean, &e, list + i, 1);
              i++;
            }
          continue;
        }

      if (literal)
        {
          end = run_end (list, i, len, STOP_IN_LITERAL);
          put (clean, &e, list + i, end - i);
          i = end;
          if (i == len)
            break;
          literal = false;
          put (clean, &e, list + i, 1);
          i++;
          continue;
        }

      end = run_end (list, i, len, STOP_OUTSIDE);
      put (clean, &e, list + i, end - i);
      i = end;
      if (i == len)
        break;
      c = list[i++];
      switch (c)
        {
        case '(':
          depth = 1;
          continue;
        case '"':
          quoted = true;
          break;
        case '[':
          literal = true;
          break;
        case '<':
          e.seen_address = true;
          if (!angle)
            {
              angle = true;
              e.open = e.clean_len;
              e.close = NO_OFFSET;
            }
          break;
        case '>':
          e.seen_address = true;
          if (angle)
            {
              angle = false;
              e.close = e.clean_len;
            }
          break;
        case '@':
          e.seen_address = true;
          break;
        case ':':
          /* "Team: a@x.com, b@y.org;" - the group's name is dropped, its mailboxes are
           * ordinary ones.  After an '@' or a bracket the ':' cannot start a group: the
           * text before it could be an address. */
          if (!angle && !in_group && !e.seen_address && e.problem == NULL)
            {
              in_group = true;
              element_reset (&e, i);
              continue;
            }
          break;
        case ';':
        case ',':
          if (angle)
            break;
          if (c == ';')
            in_group = false;
          status = finish_element (&k, list + e.start, i - 1 - e.start, clean, &e);
          element_reset (&e, i);
          continue;
        default:
          break;
        }
      put (clean, &e, &c, 1);
    }

  if (status == RG_OK)
    {
      if (depth > 0 && e.problem == NULL)
        e.problem = "has an unclosed comment";
      else if (quoted && e.problem == NULL)
        e.problem = "has an unclosed quoted string";
      else if (literal && e.problem == NULL)
        e.problem = "has an unclosed square bracket";
      if (angle && e.problem == NULL)
        e.problem = "has an unclosed angle bracket";
      /* A group whose ';' is missing at the end of the input is accepted as closed. */
      status = finish_element (&k, list + e.start, len - e.start, clean, &e);
    }
  free (clean);
  return status;
}

/* Each mailbox's strings live in the one allocation that starts at its input. */
void
rg_mailbox_list_clear (rg_mailbox_list *list)
{
  if (list == NULL)
    return;
  for (size_t i = 0; i < list->n; i++)
    free (list->items[i].input);
  free (list->items);
  memset (list, 0, sizeof *list);
}
