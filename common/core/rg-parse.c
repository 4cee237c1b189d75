/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-parse.c - RFC 5322 address lists (section 3.4), read the way mail clients write them.
 *
 * Two linear passes: the first splits the list into mailboxes at commas (and semicolons,
 * which Outlook users type and which end groups) outside quoted strings, comments, angle
 * brackets and domain literals, and unwraps groups; the second reads each mailbox.  The
 * domain is passed on as written: rg-normalize.c judges it.
 */
#include "rg-parse.h"
#include "rg-private.h"
#include "rg-normalize.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool
is_space (char c)
{
  return c == ' ' || c == '\t';
}

/* RFC 5322 specials that may not appear in a dot-atom. */
static bool
is_special (char c)
{
  return strchr ("()<>[]:;@\\,\"", c) != NULL && c != '\0';
}

/* Whole-input checks: length, UTF-8, control characters. */
static rg_status
check_text (const char *list, size_t len)
{
  if (len > RG_MAX_LIST_OCTETS)
    return RG_E_TOO_LONG;
  for (size_t i = 0; i < len;)
    {
      unsigned char c = (unsigned char) list[i];
      uint32_t cp;
      size_t n;

      if (c < 0x80)
        {
          if ((c < 0x20 && c != '\t') || c == 0x7F)
            return RG_E_CONTROL_CHARACTER;
          i++;
          continue;
        }
      n = rg_utf8_decode (list + i, len - i, &cp);
      if (n == 0)
        return RG_E_ENCODING;
      i += n;
    }
  return RG_OK;
}

static char *
trimmed_copy (const char *text, size_t len)
{
  while (len > 0 && is_space (text[0]))
    {
      text++;
      len--;
    }
  while (len > 0 && is_space (text[len - 1]))
    len--;
  return rg_strdup_len (text, len);
}

/*
 * Copies @text without its comments (each becomes one space) into a new string.  Sets
 * @problem when a comment or quoted string is unclosed or comments nest too deep.
 */
static char *
strip_comments (const char *text, size_t len, const char **problem)
{
  char *out = malloc (len + 1);
  size_t o = 0;
  int depth = 0;
  bool quoted = false;

  if (out == NULL)
    return NULL;
  for (size_t i = 0; i < len; i++)
    {
      char c = text[i];

      if (depth > 0)
        {
          if (c == '\\' && i + 1 < len)
            i++;
          else if (c == '(' && ++depth > RG_MAX_COMMENT_DEPTH)
            *problem = "has comments nested too deep";
          else if (c == ')' && --depth == 0)
            out[o++] = ' ';
          continue;
        }
      if (quoted)
        {
          out[o++] = c;
          if (c == '\\' && i + 1 < len)
            out[o++] = text[++i];
          else if (c == '"')
            quoted = false;
          continue;
        }
      if (c == '(')
        {
          depth = 1;
          continue;
        }
      if (c == '"')
        quoted = true;
      out[o++] = c;
    }
  out[o] = '\0';
  if (depth > 0 && *problem == NULL)
    *problem = "has an unclosed comment";
  if (quoted && *problem == NULL)
    *problem = "has an unclosed quoted string";
  return out;
}

/* The last '<' outside quoted strings, or NULL. */
static char *
last_angle (char *text)
{
  char *found = NULL;
  bool quoted = false;

  for (char *p = text; *p != '\0'; p++)
    {
      if (quoted && *p == '\\' && p[1] != '\0')
        p++;
      else if (*p == '"')
        quoted = !quoted;
      else if (!quoted && *p == '<')
        found = p;
    }
  return found;
}

/* The last '@' outside quoted strings and domain literals, or NULL. */
static char *
last_at (char *text)
{
  char *found = NULL;
  bool quoted = false, literal = false;

  for (char *p = text; *p != '\0'; p++)
    {
      if (quoted && *p == '\\' && p[1] != '\0')
        p++;
      else if (*p == '"' && !literal)
        quoted = !quoted;
      else if (!quoted && *p == '[')
        literal = true;
      else if (!quoted && *p == ']')
        literal = false;
      else if (!quoted && !literal && *p == '@')
        found = p;
    }
  return found;
}

static char *
trim_in_place (char *text)
{
  size_t len;

  while (is_space (*text))
    text++;
  len = strlen (text);
  while (len > 0 && is_space (text[len - 1]))
    text[--len] = '\0';
  return text;
}

/* Checks a local part: a quoted string, or a dot-atom of atext and UTF-8 (RFC 6532). */
static const char *
check_local (const char *local)
{
  size_t len = strlen (local);

  if (len == 0)
    return "has an empty local part";
  if (local[0] == '"')
    {
      for (size_t i = 1; i < len; i++)
        {
          if (local[i] == '\\' && i + 1 < len)
            i++;
          else if (local[i] == '"')
            return i == len - 1 ? NULL : "has text after a quoted local part";
        }
      return "has an unclosed quoted string";
    }
  for (size_t i = 0; i < len; i++)
    {
      if (is_space (local[i]))
        return "has white space inside the address";
      if (is_special (local[i]))
        return "has a character not allowed in the local part";
    }
  return NULL;
}

/* Checks a domain: a domain literal, or dot-atom text (validated further by rg-normalize). */
static const char *
check_domain (const char *domain)
{
  size_t len = strlen (domain);

  if (len == 0)
    return "has an empty domain";
  if (domain[0] == '[')
    {
      if (domain[len - 1] != ']')
        return "has an unclosed bracket";
      for (size_t i = 1; i + 1 < len; i++)
        if (domain[i] == '[' || domain[i] == ']' || domain[i] == '\\' || is_space (domain[i]))
          return "has a malformed domain literal";
      return NULL;
    }
  for (size_t i = 0; i < len; i++)
    {
      if (is_space (domain[i]))
        return "has white space inside the address";
      if (is_special (domain[i]))
        return "has a character not allowed in the domain";
    }
  return NULL;
}

/* Reads one mailbox, already cut out of the list, into @m. */
static rg_status
parse_mailbox (const char *text, size_t len, rg_mailbox *m)
{
  const char *problem = NULL;
  char *clean, *spec, *angle, *at;

  memset (m, 0, sizeof *m);
  m->input = trimmed_copy (text, len);
  clean = strip_comments (text, len, &problem);
  if (m->input == NULL || clean == NULL)
    {
      free (clean);
      return RG_E_NOMEM;
    }

  spec = clean;
  angle = problem == NULL ? last_angle (clean) : NULL;
  if (angle != NULL)
    {
      char *close = strchr (angle + 1, '>');

      if (close == NULL)
        problem = "has an unclosed angle bracket";
      else
        {
          *close = '\0';
          if (*trim_in_place (close + 1) != '\0')
            problem = "has text after the address";
          spec = angle + 1;
        }
    }
  spec = trim_in_place (spec);
  /* An obsolete source route, "<@relay:user@host>", is dropped (RFC 5322 section 4.4). */
  if (problem == NULL && angle != NULL && spec[0] == '@' && strchr (spec, ':') != NULL)
    spec = trim_in_place (strchr (spec, ':') + 1);
  if (problem == NULL && angle != NULL && spec[0] == '\0')
    problem = "has nothing between its angle brackets";

  at = problem == NULL ? last_at (spec) : NULL;
  if (problem == NULL && at == NULL)
    problem = "has no @";
  if (problem == NULL)
    {
      char *local, *domain;

      *at = '\0';
      local = trim_in_place (spec);
      domain = trim_in_place (at + 1);
      problem = check_local (local);
      if (problem == NULL)
        problem = check_domain (domain);
      if (problem == NULL)
        {
          m->local = rg_strdup (local);
          m->domain = rg_strdup (domain);
          m->address = m->local != NULL && m->domain != NULL
                       ? rg_strjoin3 (m->local, "@", m->domain) : NULL;
        }
    }
  free (clean);
  if (problem != NULL)
    {
      free (m->local);
      free (m->domain);
      m->status = RG_E_SYNTAX;
      m->problem = problem;
      m->local = rg_strdup ("");
      m->domain = rg_strdup ("");
      m->address = rg_strdup (m->input);
    }
  if (m->local == NULL || m->domain == NULL || m->address == NULL)
    return RG_E_NOMEM;
  return RG_OK;
}

/* Whether @text holds anything but white space and comments. */
static bool
is_blank (const char *text, size_t len)
{
  int depth = 0;

  for (size_t i = 0; i < len; i++)
    {
      if (depth > 0)
        {
          if (text[i] == '\\')
            i++;
          else if (text[i] == '(')
            depth++;
          else if (text[i] == ')')
            depth--;
        }
      else if (text[i] == '(')
        depth = 1;
      else if (!is_space (text[i]))
        return false;
    }
  /* An unclosed comment may hide an address ("(x@gmial.com"): not blank, but an error. */
  return depth == 0;
}

static rg_status
append (rg_mailbox_list *out, const char *text, size_t len, size_t *added, size_t max)
{
  rg_status status;

  if (is_blank (text, len))
    return RG_OK;
  if (*added == max)
    return RG_E_TOO_MANY;
  if (out->n == out->allocated)
    {
      size_t allocated = out->allocated ? out->allocated * 2 : 8;
      rg_mailbox *items = realloc (out->items, allocated * sizeof *items);

      if (items == NULL)
        return RG_E_NOMEM;
      out->items = items;
      out->allocated = allocated;
    }
  status = parse_mailbox (text, len, &out->items[out->n]);
  out->n++;
  (*added)++;
  return status;
}

rg_status
rg_parse_address_list (const char *list, size_t len, size_t max_mailboxes,
                       rg_mailbox_list *out)
{
  rg_status status = check_text (list, len);
  size_t start = 0, added = 0;
  bool quoted = false, angle = false, literal = false, in_group = false;
  int depth = 0;

  if (status != RG_OK)
    return status;
  for (size_t i = 0; i < len && status == RG_OK; i++)
    {
      char c = list[i];

      if (depth > 0)
        {
          if (c == '\\')
            i++;
          else if (c == '(')
            depth++;
          else if (c == ')')
            depth--;
          continue;
        }
      if (quoted)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            quoted = false;
          continue;
        }
      if (literal)
        {
          literal = c != ']';
          continue;
        }
      switch (c)
        {
        case '(': depth = 1; break;
        case '"': quoted = true; break;
        case '[': literal = true; break;
        case '<': angle = true; break;
        case '>': angle = false; break;
        case ':':
          /* "Team: a@x, b@y;" - the display name of a group is dropped. */
          if (!angle && !in_group)
            {
              in_group = true;
              start = i + 1;
            }
          break;
        case ';':
          in_group = false;
          /* fall through */
        case ',':
          if (!angle)
            {
              status = append (out, list + start, i - start, &added, max_mailboxes);
              start = i + 1;
            }
          break;
        default:
          break;
        }
    }
  if (status == RG_OK && start < len)
    status = append (out, list + start, len - start, &added, max_mailboxes);
  return status;
}

void
rg_mailbox_list_clear (rg_mailbox_list *list)
{
  for (size_t i = 0; i < list->n; i++)
    {
      free (list->items[i].input);
      free (list->items[i].address);
      free (list->items[i].local);
      free (list->items[i].domain);
    }
  free (list->items);
  memset (list, 0, sizeof *list);
}
