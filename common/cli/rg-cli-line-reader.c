/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-cli-line-reader.c - lines from a file descriptor, with a bound on their length.
 *
 * Standard input may be any size and its lines any length, so a line is kept in memory only
 * up to a maximum (the core's limit for one address list); the rest of a longer line is read
 * and dropped, and the caller is told.  Memory stays at most the maximum plus one read.
 */
#include "rg-cli-line-reader.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>

/* How much one read () asks for. */
#define RG_CLI_READ_CHUNK (64u * 1024u)

struct _RgCliLineReader {
  int fd;
  gsize max_line;
  guint8 *buf;
  gsize allocated;
  gsize start;            /* the first byte not yet returned */
  gsize end;              /* one past the last byte read */
  gsize scanned;          /* bytes from start already known to hold no newline */
  gboolean eof;
  guint64 line_number;
  RgCliBeforeReadFunc before_read;
  gpointer before_read_data;
};

/**
 * rg_cli_line_reader_new:
 * @fd: a readable file descriptor; not closed by the reader
 * @max_line: the longest line returned, in bytes, without its "\r\n"
 *
 * Returns: (transfer full): a reader.
 */
RgCliLineReader *
rg_cli_line_reader_new (int   fd,
                        gsize max_line)
{
  RgCliLineReader *self = g_new0 (RgCliLineReader, 1);

  self->fd = fd;
  self->max_line = max_line;
  return self;
}

void
rg_cli_line_reader_free (RgCliLineReader *self)
{
  if (self == NULL)
    return;
  g_free (self->buf);
  g_free (self);
}

/**
 * rg_cli_line_reader_set_before_read:
 *
 * Calls @func each time the reader is about to wait for input, so that a caller can flush
 * its output first: a program feeding lines one at a time sees each answer before it sends
 * the next line.
 */
void
rg_cli_line_reader_set_before_read (RgCliLineReader     *self,
                                    RgCliBeforeReadFunc  func,
                                    gpointer             user_data)
{
  self->before_read = func;
  self->before_read_data = user_data;
}

/**
 * rg_cli_line_reader_get_line_number:
 *
 * Returns: the number (from 1) of the line last returned, too long lines included.
 */
guint64
rg_cli_line_reader_get_line_number (const RgCliLineReader *self)
{
  return self->line_number;
}

/* Reads more bytes after end; sets eof at the end of the input. */
static gboolean
fill (RgCliLineReader  *self,
      GError          **error)
{
  gssize n;

  /* Keep the unreturned bytes at the start of the buffer, and room for a chunk and a NUL. */
  if (self->start > 0)
    {
      memmove (self->buf, self->buf + self->start, self->end - self->start);
      self->end -= self->start;
      self->start = 0;
    }
  if (self->allocated - self->end < RG_CLI_READ_CHUNK + 1)
    {
      /* Geometric growth: a 4 MiB line costs a few reallocations, not one per chunk. */
      self->allocated = MAX (self->allocated * 2, self->end + RG_CLI_READ_CHUNK + 1);
      self->buf = g_realloc (self->buf, self->allocated);
    }

  if (self->before_read != NULL)
    self->before_read (self->before_read_data);

  do
    n = read (self->fd, self->buf + self->end, RG_CLI_READ_CHUNK);
  while (n < 0 && errno == EINTR);

  if (n < 0)
    {
      int saved_errno = errno;

      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                           g_strerror (saved_errno));
      return FALSE;
    }
  if (n == 0)
    self->eof = TRUE;
  self->end += (gsize) n;
  return TRUE;
}

/* Drops the bytes of the current (too long) line up to and including its newline. */
static gboolean
skip_rest_of_line (RgCliLineReader  *self,
                   GError          **error)
{
  for (;;)
    {
      const guint8 *newline = memchr (self->buf + self->start, '\n', self->end - self->start);

      if (newline != NULL)
        {
          self->start = (gsize) (newline - self->buf) + 1;
          self->scanned = 0;
          return TRUE;
        }
      self->start = self->end;
      self->scanned = 0;
      if (self->eof)
        return TRUE;
      if (!fill (self, error))
        return FALSE;
    }
}

/**
 * rg_cli_line_reader_next:
 * @line: (out) (transfer none): the line, NUL-terminated, valid until the next call; the
 *   caller may modify it in place; it may hold NUL bytes itself: look for one in @len bytes
 * @len: (out): the length of @line
 *
 * Reads the next line and strips its "\n" and one "\r" before it.  A last line without a
 * newline is a line; an empty input has none.
 *
 * Returns: %RG_CLI_LINE_OK with @line set; %RG_CLI_LINE_TOO_LONG when the line is longer
 * than the maximum (it is skipped, the line number counts it); %RG_CLI_LINE_EOF;
 * %RG_CLI_LINE_ERROR with @error set.
 */
RgCliLineStatus
rg_cli_line_reader_next (RgCliLineReader  *self,
                         char            **line,
                         gsize            *len,
                         GError          **error)
{
  for (;;)
    {
      gsize avail = self->end - self->start;
      const guint8 *newline = NULL;
      gsize length;
      gboolean had_newline;

      if (avail > self->scanned)
        newline = memchr (self->buf + self->start + self->scanned, '\n', avail - self->scanned);
      had_newline = newline != NULL;

      if (newline == NULL)
        {
          /* A line that already holds more than the maximum and its "\r" is too long
           * whatever follows: stop keeping it. */
          if (avail > self->max_line + 1)
            {
              self->line_number++;
              if (!skip_rest_of_line (self, error))
                return RG_CLI_LINE_ERROR;
              return RG_CLI_LINE_TOO_LONG;
            }
          if (!self->eof)
            {
              self->scanned = avail;
              if (!fill (self, error))
                return RG_CLI_LINE_ERROR;
              continue;
            }
          if (avail == 0)
            return RG_CLI_LINE_EOF;
          length = avail;
        }
      else
        {
          length = (gsize) (newline - (self->buf + self->start));
        }

      self->line_number++;
      *line = (char *) self->buf + self->start;
      self->start += length + (had_newline ? 1 : 0);
      self->scanned = 0;

      if (had_newline && length > 0 && (*line)[length - 1] == '\r')
        length--;
      if (length > self->max_line)
        return RG_CLI_LINE_TOO_LONG;

      /* The newline (or "\r") is overwritten; at the end of the input without one, fill ()
       * left room for this NUL. */
      (*line)[length] = '\0';
      *len = length;
      return RG_CLI_LINE_OK;
    }
}
