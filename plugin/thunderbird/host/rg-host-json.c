/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-host-json.c - a request parsed as JSON, after a scan that json-glib's parser can trust.
 *
 * The scan follows strict JSON's lexical rules for strings (double quotes, backslash
 * escapes) and counts brackets outside them.  Outside a string it refuses the characters
 * that start json-glib's extensions (' for single-quoted strings, / and # for comments):
 * where those are allowed, the scan and the parser could disagree on what is inside a string,
 * and a nesting hidden in a "string" could still reach the parser.  Inside strings it allows
 * only JSON's escapes and no raw control characters; outside them only JSON's punctuation,
 * white space, numbers and literals; and after the request's object nothing but white space:
 * what json-glib is lenient about, the host is not.
 */
#define G_LOG_DOMAIN "rcptguard"

#include "rg-host-json.h"

#include <string.h>

#include <gio/gio.h>

static gboolean
refuse (GError     **error,
        const char  *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "the request is not JSON: %s", what);
  return FALSE;
}

/* The value of the four hex digits at @p (@left bytes there), or -1. */
static int
hex4 (const char *p,
      gsize       left)
{
  int value = 0;

  if (left < 4)
    return -1;
  for (guint i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (p[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

/* The escape after a backslash at data[*i] (RFC 8259, section 7): one of "\\/bfnrt, or u
 * and four hex digits, a surrogate only in a high-low pair, never U+0000.  json-glib takes
 * more (\x41, octal \333, lone surrogates), which would let bytes that are not UTF-8 into a
 * string the host echoes.  Moves *i to the escape's last byte. */
static gboolean
scan_escape (const char  *data,
             gsize        len,
             gsize       *i,
             GError     **error)
{
  int unit;

  if (*i + 1 >= len)
    return refuse (error, "a string ends in a backslash");
  (*i)++;
  if (strchr ("\"\\/bfnrt", data[*i]) != NULL && data[*i] != '\0')
    return TRUE;
  if (data[*i] != 'u')
    return refuse (error, "a string has an escape that JSON does not have");
  unit = hex4 (data + *i + 1, len - *i - 1);
  if (unit < 0)
    return refuse (error, "a \\u escape without four hex digits");
  *i += 4;
  if (unit == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "a string holds the character U+0000");
      return FALSE;
    }
  if (unit >= 0xdc00 && unit <= 0xdfff)
    return refuse (error, "a \\u escape is half of a character (a lone low surrogate)");
  if (unit >= 0xd800 && unit <= 0xdbff)
    {
      int low = *i + 2 < len && data[*i + 1] == '\\' && data[*i + 2] == 'u'
                  ? hex4 (data + *i + 3, len - *i - 3) : -1;

      if (low < 0xdc00 || low > 0xdfff)
        return refuse (error, "a \\u escape is half of a character (a lone high surrogate)");
      *i += 6;
    }
  return TRUE;
}

/* The end of the number at data[p] (RFC 8259, section 6: -? (0 | [1-9][0-9]*) (.[0-9]+)?
 * ([eE][+-]?[0-9]+)?), or 0 when none starts there.  json-glib also takes 0x10, 05, .5, 1.
 * and more. */
static gsize
scan_number (const char *data,
             gsize       len,
             gsize       p)
{
  gsize digits;

  if (p < len && data[p] == '-')
    p++;
  if (p < len && data[p] == '0')
    p++;
  else if (p < len && data[p] >= '1' && data[p] <= '9')
    while (p < len && g_ascii_isdigit (data[p]))
      p++;
  else
    return 0;
  if (p < len && data[p] == '.')
    {
      for (digits = 0, p++; p < len && g_ascii_isdigit (data[p]); p++)
        digits++;
      if (digits == 0)
        return 0;
    }
  if (p < len && (data[p] == 'e' || data[p] == 'E'))
    {
      p++;
      if (p < len && (data[p] == '+' || data[p] == '-'))
        p++;
      for (digits = 0; p < len && g_ascii_isdigit (data[p]); p++)
        digits++;
      if (digits == 0)
        return 0;
    }
  return p;
}

/* Whether data[*i] starts a number or one of true, false, null that ends where a value may
 * end; moves *i to its last byte. */
static gboolean
scan_literal (const char *data,
              gsize       len,
              gsize      *i)
{
  static const char *const words[] = { "true", "false", "null" };
  gsize end = 0;

  for (guint w = 0; w < G_N_ELEMENTS (words) && end == 0; w++)
    {
      gsize n = strlen (words[w]);

      if (len - *i >= n && memcmp (data + *i, words[w], n) == 0)
        end = *i + n;
    }
  if (end == 0)
    end = scan_number (data, len, *i);
  if (end == 0 || (end < len && strchr (",]} \t\n\r", data[end]) == NULL)
      || (end < len && data[end] == '\0'))
    return FALSE;
  *i = end - 1;
  return TRUE;
}

static gboolean
scan (const char  *data,
      gsize        len,
      GError     **error)
{
  gboolean in_string = FALSE;
  gboolean ended = FALSE; /* the top-level object or array was closed */
  guint depth = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '"')
            in_string = FALSE;
          else if (c == '\\')
            {
              if (!scan_escape (data, len, &i, error))
                return FALSE;
            }
          else if ((guchar) c < 0x20)
            return refuse (error, "a string holds a control character");
          continue;
        }

      /* One value per request: json-glib would take the first of "{…}{…}" and drop the
       * rest without a word. */
      if (ended && !g_ascii_isspace (c))
        return refuse (error, "something follows the object");

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '[':
        case '{':
          if (++depth > RG_HOST_JSON_MAX_DEPTH)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "the request nests deeper than %u levels", RG_HOST_JSON_MAX_DEPTH);
              return FALSE;
            }
          break;
        case ']':
        case '}':
          if (depth > 0 && --depth == 0)
            ended = TRUE;
          break;
        case ',':
        case ':':
        case ' ':
        case '\t':
        case '\n':
        case '\r':
          break;
        default:
          if (!scan_literal (data, len, &i))
            {
              if (g_ascii_isprint (c))
                g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                             "the request is not JSON: “%c” outside a string", c);
              else
                g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                             "the request is not JSON: the byte 0x%02x outside a string",
                             (guchar) c);
              return FALSE;
            }
          break;
        }
    }
  return TRUE;
}

JsonNode *
rg_host_json_parse (const char  *data,
                    gsize        len,
                    GError     **error)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GError) parse_error = NULL;
  JsonNode *root;

  /* Also refuses NUL bytes, which json-glib would take for the end. */
  if (!g_utf8_validate_len (data, len, NULL))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "the request is not UTF-8 text");
      return NULL;
    }
  if (!scan (data, len, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) len, &parse_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "the request is not JSON: %s",
                   parse_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "the request is empty");
      return NULL;
    }
  return json_node_ref (root);
}
