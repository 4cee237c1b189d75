/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-host-json.c - a request parsed as JSON, after a scan that json-glib's parser can trust.
 *
 * The scan follows strict JSON's lexical rules for strings (double quotes, backslash
 * escapes) and counts brackets outside them.  Outside a string it refuses the characters
 * that start json-glib's extensions (' for single-quoted strings, / and # for comments):
 * where those are allowed, the scan and the parser could disagree on what is inside a string,
 * and a nesting hidden in a "string" could still reach the parser.
 */
#define G_LOG_DOMAIN "rcptguard"

#include "rg-host-json.h"

#include <string.h>

#include <gio/gio.h>

static gboolean
scan (const char  *data,
      gsize        len,
      GError     **error)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '"')
            in_string = FALSE;
          else if (c == '\\' && i + 1 < len)
            {
              i++;
              if (data[i] == 'u' && len - i > 4 && memcmp (data + i + 1, "0000", 4) == 0)
                {
                  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                       "a string holds the character U+0000");
                  return FALSE;
                }
            }
          continue;
        }

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
          if (depth > 0)
            depth--;
          break;
        case '\'':
        case '/':
        case '#':
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "the request is not JSON: “%c” outside a string", c);
          return FALSE;
        default:
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
