/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-fuzz-json.c - a strict JSON checker (RFC 8259) and the shape of the host's answers, for
 * the fuzz targets of the native host.  A recursive descent over bytes: small, and obviously
 * what the RFC says, which is all a judge needs to be.
 */
#include "rg-fuzz-json.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Deeper than any answer, and shallow enough for the stack. */
#define RG_FUZZ_JSON_MAX_DEPTH 512

typedef struct {
  const guchar *p;
  const guchar *end;
  guint depth;
} Scan;

static gboolean scan_value (Scan *s);

static void
skip_space (Scan *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static gboolean
scan_char (Scan *s,
           guchar c)
{
  if (s->p >= s->end || *s->p != c)
    return FALSE;
  s->p++;
  return TRUE;
}

static gboolean
scan_word (Scan       *s,
           const char *word)
{
  gsize n = strlen (word);

  if ((gsize) (s->end - s->p) < n || memcmp (s->p, word, n) != 0)
    return FALSE;
  s->p += n;
  return TRUE;
}

static gboolean
scan_digits (Scan *s)
{
  const guchar *start = s->p;

  while (s->p < s->end && g_ascii_isdigit (*s->p))
    s->p++;
  return s->p > start;
}

/* -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
static gboolean
scan_number (Scan *s)
{
  scan_char (s, '-');
  if (s->p >= s->end || !g_ascii_isdigit (*s->p))
    return FALSE;
  if (!scan_char (s, '0'))
    scan_digits (s);
  if (scan_char (s, '.') && !scan_digits (s))
    return FALSE;
  if (scan_char (s, 'e') || scan_char (s, 'E'))
    {
      if (!scan_char (s, '+'))
        scan_char (s, '-');
      if (!scan_digits (s))
        return FALSE;
    }
  return TRUE;
}

/* Four hex digits, as a code unit; -1 when they are not. */
static int
scan_hex4 (Scan *s)
{
  int value = 0;

  if (s->end - s->p < 4)
    return -1;
  for (int i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (*s->p++);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

/* After the opening quote; the bytes are UTF-8 already. */
static gboolean
scan_string (Scan *s)
{
  while (s->p < s->end)
    {
      guchar c = *s->p++;
      int unit;

      if (c == '"')
        return TRUE;
      if (c < 0x20)
        return FALSE;
      if (c != '\\')
        continue;
      if (s->p >= s->end)
        return FALSE;
      c = *s->p++;
      if (c != 'u')
        {
          if (strchr ("\"\\/bfnrt", c) == NULL || c == '\0')
            return FALSE;
          continue;
        }
      unit = scan_hex4 (s);
      if (unit < 0 || (unit >= 0xdc00 && unit <= 0xdfff))
        return FALSE;
      if (unit >= 0xd800 && unit <= 0xdbff)
        {
          int low;

          if (!scan_word (s, "\\u"))
            return FALSE;
          low = scan_hex4 (s);
          if (low < 0xdc00 || low > 0xdfff)
            return FALSE;
        }
    }
  return FALSE;
}

/* The members or elements after '{' or '['. */
static gboolean
scan_container (Scan   *s,
                guchar  close,
                gboolean object)
{
  gboolean ok = FALSE;

  if (++s->depth > RG_FUZZ_JSON_MAX_DEPTH)
    return FALSE;
  skip_space (s);
  if (scan_char (s, close))
    ok = TRUE;
  while (!ok)
    {
      if (object)
        {
          if (!scan_char (s, '"') || !scan_string (s))
            break;
          skip_space (s);
          if (!scan_char (s, ':'))
            break;
        }
      if (!scan_value (s))
        break;
      skip_space (s);
      if (scan_char (s, close))
        ok = TRUE;
      else if (!scan_char (s, ','))
        break;
      skip_space (s);
    }
  s->depth--;
  return ok;
}

/* White space, a value, white space. */
static gboolean
scan_value (Scan *s)
{
  gboolean ok;

  skip_space (s);
  if (s->p >= s->end)
    return FALSE;
  switch (*s->p)
    {
    case '{':
      s->p++;
      ok = scan_container (s, '}', TRUE);
      break;
    case '[':
      s->p++;
      ok = scan_container (s, ']', FALSE);
      break;
    case '"':
      s->p++;
      ok = scan_string (s);
      break;
    case 't':
      ok = scan_word (s, "true");
      break;
    case 'f':
      ok = scan_word (s, "false");
      break;
    case 'n':
      ok = scan_word (s, "null");
      break;
    default:
      ok = scan_number (s);
      break;
    }
  skip_space (s);
  return ok;
}

gboolean
rg_fuzz_json_is_strict (const char *data,
                        gsize       len)
{
  Scan s = { (const guchar *) data, (const guchar *) data + len, 0 };

  /* g_utf8_validate_len () also refuses NUL bytes, which are never raw in JSON text. */
  if (!g_utf8_validate_len (data, len, NULL))
    return FALSE;
  return scan_value (&s) && s.p == s.end;
}

static JsonNode *
parse_object (const char *data,
              gsize       len)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, data, (gssize) len, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_node_ref (root);
}

static gboolean
node_is (JsonNode *node,
         GType     type)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

gboolean
rg_fuzz_json_get_request_id (const char *data,
                             gsize       len,
                             gint64     *id)
{
  g_autoptr (JsonNode) root = NULL;
  JsonNode *member;

  /* json-glib stops at a NUL byte, and may read an "id" before it that the host refuses. */
  if (memchr (data, '\0', len) != NULL)
    return FALSE;
  root = parse_object (data, len);
  if (root == NULL)
    return FALSE;
  member = json_object_get_member (json_node_get_object (root), "id");
  if (!node_is (member, G_TYPE_INT64))
    return FALSE;
  *id = json_node_get_int (member);
  return TRUE;
}

gboolean
rg_fuzz_check_answer (const char *data,
                      gsize       len,
                      gint64     *id)
{
  static const char *const kinds[] = {
    "protocol", "input", "timeout", "garbage", "internal", "log", NULL,
  };
  g_autoptr (JsonNode) root = NULL;
  JsonObject *answer;
  JsonNode *id_node;
  JsonNode *ok_node;

  if (!rg_fuzz_json_is_strict (data, len))
    abort ();
  root = parse_object (data, len);
  if (root == NULL)
    abort ();
  answer = json_node_get_object (root);
  id_node = json_object_get_member (answer, "id");
  ok_node = json_object_get_member (answer, "ok");
  if (id_node == NULL || !node_is (ok_node, G_TYPE_BOOLEAN))
    abort ();
  if (!json_node_get_boolean (ok_node))
    {
      JsonNode *error = json_object_get_member (answer, "error");
      JsonObject *object;
      JsonNode *kind;

      if (error == NULL || !JSON_NODE_HOLDS_OBJECT (error))
        abort ();
      object = json_node_get_object (error);
      kind = json_object_get_member (object, "kind");
      if (!node_is (kind, G_TYPE_STRING)
          || !g_strv_contains (kinds, json_node_get_string (kind))
          || !node_is (json_object_get_member (object, "message"), G_TYPE_STRING))
        abort ();
    }
  if (JSON_NODE_HOLDS_NULL (id_node))
    return FALSE;
  if (!node_is (id_node, G_TYPE_INT64))
    abort ();
  *id = json_node_get_int (id_node);
  if (*id > (G_GINT64_CONSTANT (1) << 53) || *id < -(G_GINT64_CONSTANT (1) << 53))
    abort ();
  return TRUE;
}

guint
rg_fuzz_check_answer_frames (int     fd,
                             GArray *ids)
{
  off_t end = lseek (fd, 0, SEEK_END);
  g_autofree char *frames = g_malloc (end > 0 ? (gsize) end : 1);
  guint n_answers = 0;
  gsize at = 0;

  if (end < 0 || pread (fd, frames, (gsize) end, 0) != end)
    abort ();
  while (at < (gsize) end)
    {
      guint32 len;
      gint64 id = 0;

      if ((gsize) end - at < sizeof len)
        abort ();
      memcpy (&len, frames + at, sizeof len);
      at += sizeof len;
      if (len > (gsize) end - at)
        abort ();
      if (rg_fuzz_check_answer (frames + at, len, &id))
        {
          guint i;

          for (i = 0; i < ids->len && g_array_index (ids, gint64, i) != id; i++)
            ;
          if (i == ids->len)
            abort ();
          g_array_remove_index_fast (ids, i);
        }
      n_answers++;
      at += len;
    }
  return n_answers;
}
