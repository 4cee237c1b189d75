/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-cli-known.c - known domains from the command line and from --known files.
 *
 * A --known file has one domain or address per line, optionally followed by white space and
 * a decimal use count ("army.mil 300"), and after that by where the evidence comes from
 * (rg_source_to_string (): "army.ml 1 collected"; without it, "contact"); "#" at the start of a
 * line or after white space starts a comment ("#" inside a word is left alone: it is allowed
 * in a local part); blank lines are ignored.  A bad line is reported as "FILE:LINE: why" and
 * skipped; the rest of the file is still read so that one run reports every bad line.
 */
#include "config.h"

#include "rg-cli-known.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "rg-cli-line-reader.h"

/* The longest line of a --known file: a domain (253), an address (64 + 1 + 253 as the RFCs
 * allow, more when quoted), a count and a comment fit many times over. */
#define RG_CLI_KNOWN_MAX_LINE (64u * 1024u)

static gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t';
}

/* Reports a core error about a known domain; returns the exit status it calls for. */
static RgCliExit
report_status (const char *where,
               rg_status   status)
{
  g_autofree char *what = NULL;

  if (status == RG_E_TOO_MANY)
    /* Translators: %u is the limit, 4194304. */
    what = g_strdup_printf (_("more known domains than the limit of %u (the built-in "
                              "providers do not count)"), RG_MAX_KNOWN_DOMAINS);
  else
    what = rg_cli_describe_status (status);
  rg_cli_error (where, "%s", what);
  return rg_cli_exit_from_status (status);
}

/**
 * rg_cli_known_add_value:
 * @option: the option that gave @value, for messages ("--known-domain", "--from")
 * @value: a domain or an address, as given
 * @source: what kind of evidence @value is
 *
 * Adds the domain of @value to @config with a use count of 1.
 *
 * Returns: %RG_CLI_EXIT_OK, or the exit status of the error it reported.
 */
RgCliExit
rg_cli_known_add_value (rg_config  *config,
                        const char *option,
                        const char *value,
                        rg_source   source)
{
  rg_status status = rg_config_add_evidence (config, value, 1, source);

  if (status != RG_OK)
    {
      g_autofree char *quoted = rg_cli_quote (value, (gsize) -1);
      g_autofree char *where = g_strdup_printf ("%s %s", option, quoted);

      return report_status (where, status);
    }
  return RG_CLI_EXIT_OK;
}

/* Parses a use count: decimal digits only; values past 2^32 - 1 saturate, as the core's
 * sums do. */
static gboolean
parse_count (const char *text,
             guint32    *count)
{
  guint64 value = 0;

  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      value = value * 10 + (guint64) (*p - '0');
      if (value > G_MAXUINT32)
        value = G_MAXUINT32;
    }
  *count = (guint32) value;
  return TRUE;
}

/* Returns the word at *@text (NUL-terminated in place) and moves *@text past it and the
 * blanks after it; NULL at the end. */
static char *
next_word (char **text)
{
  char *word = *text;
  char *p = word;

  if (*word == '\0')
    return NULL;
  while (*p != '\0' && !is_blank (*p))
    p++;
  if (*p != '\0')
    {
      *p = '\0';
      p++;
      while (is_blank (*p))
        p++;
    }
  *text = p;
  return word;
}

/* Handles one line (NUL-terminated, without its newline, modified in place). */
static RgCliExit
add_line (rg_config  *config,
          const char *where,
          char       *line)
{
  char *rest;
  char *end;
  char *domain;
  char *count_text;
  char *source_text;
  guint32 count = 1;
  rg_source source = RG_SOURCE_CONTACT;
  rg_status status;

  for (char *p = line; *p != '\0'; p++)
    {
      if (*p == '#' && (p == line || is_blank (p[-1])))
        {
          *p = '\0';
          break;
        }
    }

  rest = line;
  while (is_blank (*rest))
    rest++;
  end = rest + strlen (rest);
  while (end > rest && is_blank (end[-1]))
    end--;
  *end = '\0';
  domain = next_word (&rest);
  if (domain == NULL)
    return RG_CLI_EXIT_OK;
  count_text = next_word (&rest);
  source_text = next_word (&rest);

  if (count_text != NULL && !parse_count (count_text, &count))
    {
      g_autofree char *quoted = rg_cli_quote (count_text, (gsize) -1);

      /* Translators: about a line of a --known file; %s is what was found, in quotes. */
      rg_cli_error (where, _("expected a decimal use count after the domain or address, "
                             "found %s"), quoted);
      return RG_CLI_EXIT_BAD_INPUT;
    }
  if (source_text != NULL && !rg_source_from_string (source_text, &source))
    {
      g_autofree char *quoted = rg_cli_quote (source_text, (gsize) -1);

      /* Translators: about a line of a --known file; contact, collected, identity and admin
       * are words of the file: keep them as they are.  %s is what was found, in quotes. */
      rg_cli_error (where, _("expected a source after the use count (contact, collected, "
                             "identity or admin), found %s"), quoted);
      return RG_CLI_EXIT_BAD_INPUT;
    }
  if (*rest != '\0')
    {
      g_autofree char *quoted = rg_cli_quote (rest, (gsize) -1);

      /* Translators: about a line of a --known file; %s is what was found, in quotes. */
      rg_cli_error (where, _("expected a domain or an address, a use count and a source at "
                             "most, found %s after them"), quoted);
      return RG_CLI_EXIT_BAD_INPUT;
    }

  status = rg_config_add_evidence (config, domain, count, source);
  if (status != RG_OK)
    return report_status (where, status);
  return RG_CLI_EXIT_OK;
}

/**
 * rg_cli_known_add_file:
 * @path: a file name, as given on the command line
 *
 * Adds the known domains of the file at @path to @config.
 *
 * Returns: %RG_CLI_EXIT_OK, or the worst exit status of the errors it reported.
 */
RgCliExit
rg_cli_known_add_file (rg_config  *config,
                       const char *path)
{
  g_autoptr(RgCliLineReader) reader = NULL;
  g_autofree char *display = g_filename_display_name (path);
  RgCliExit result = RG_CLI_EXIT_OK;
  int fd;

  do
    fd = open (path, O_RDONLY | O_CLOEXEC);
  while (fd < 0 && errno == EINTR);
  if (fd < 0)
    {
      int saved_errno = errno;

      rg_cli_error (display, "%s", g_strerror (saved_errno));
      return RG_CLI_EXIT_BAD_INPUT;
    }

  reader = rg_cli_line_reader_new (fd, RG_CLI_KNOWN_MAX_LINE);
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *where = NULL;
      char *line = NULL;
      gsize len = 0;
      RgCliLineStatus status = rg_cli_line_reader_next (reader, &line, &len, &error);

      if (status == RG_CLI_LINE_EOF)
        break;
      if (status == RG_CLI_LINE_ERROR)
        {
          rg_cli_error (display, "%s", error->message);
          result = rg_cli_exit_worst (result, RG_CLI_EXIT_BAD_INPUT);
          break;
        }

      where = g_strdup_printf ("%s:%" G_GUINT64_FORMAT, display,
                               rg_cli_line_reader_get_line_number (reader));
      if (status == RG_CLI_LINE_TOO_LONG)
        {
          /* Translators: about a line of a --known file; %u is the limit. */
          rg_cli_error (where, _("longer than the limit (%u octets)"), RG_CLI_KNOWN_MAX_LINE);
          result = rg_cli_exit_worst (result, RG_CLI_EXIT_BAD_INPUT);
        }
      else if (memchr (line, '\0', len) != NULL)
        {
          rg_cli_error (where, "%s", _("contains a NUL byte"));
          result = rg_cli_exit_worst (result, RG_CLI_EXIT_BAD_INPUT);
        }
      else
        {
          result = rg_cli_exit_worst (result, add_line (config, where, line));
        }
    }

  close (fd);
  return result;
}
