/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-text.c - the few string and arena helpers the core needs, all bounded.
 */
#include "rg-private.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Messages are built from at most a few domains (each at most a few hundred octets after the
 * callers elide long input), so 4 KiB is ample and caps any mistake. */
#define RG_MAX_MESSAGE_OCTETS 4096

char *
rg_strdup_len (const char *text, size_t len)
{
  char *copy = malloc (len + 1);

  if (copy == NULL)
    return NULL;
  memcpy (copy, text, len);
  copy[len] = '\0';
  return copy;
}

char *
rg_strdup (const char *text)
{
  return rg_strdup_len (text, strlen (text));
}

char *
rg_strjoin3 (const char *a, const char *b, const char *c)
{
  size_t la = strlen (a), lb = strlen (b), lc = strlen (c);
  char *out = malloc (la + lb + lc + 1);

  if (out == NULL)
    return NULL;
  memcpy (out, a, la);
  memcpy (out + la, b, lb);
  memcpy (out + la + lb, c, lc);
  out[la + lb + lc] = '\0';
  return out;
}

char *
rg_printf (const char *format, ...)
{
  char buffer[RG_MAX_MESSAGE_OCTETS];
  va_list args;
  int n;

  va_start (args, format);
  n = vsnprintf (buffer, sizeof buffer, format, args);
  va_end (args);
  if (n < 0)
    return NULL;
  return rg_strdup (buffer);
}

uint32_t
rg_arena_add (rg_arena *arena, const char *text, size_t len)
{
  size_t offset = arena->len;

  if (len >= UINT32_MAX || arena->len + len + 1 >= UINT32_MAX)
    return UINT32_MAX;
  if (arena->len + len + 1 > arena->allocated)
    {
      size_t allocated = arena->allocated ? arena->allocated : 4096;
      char *data;

      while (allocated < arena->len + len + 1)
        allocated *= 2;
      data = realloc (arena->data, allocated);
      if (data == NULL)
        return UINT32_MAX;
      arena->data = data;
      arena->allocated = allocated;
    }
  memcpy (arena->data + offset, text, len);
  arena->data[offset + len] = '\0';
  arena->len += len + 1;
  return (uint32_t) offset;
}

void
rg_arena_clear (rg_arena *arena)
{
  free (arena->data);
  arena->data = NULL;
  arena->len = 0;
  arena->allocated = 0;
}
