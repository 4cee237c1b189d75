/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-cli-error.c - exit statuses of the rcptguard command and its one-line error messages.
 *
 * Every error is one line on standard error, "rcptguard: <where>: <what>", so that a script
 * can show it as it is and a person can tell which argument, line or file it is about.
 */
#include "config.h"

#include "rg-cli-error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

/* How much of a user's value an error message repeats; a 1 MB argument stays one short line. */
#define RG_CLI_QUOTE_MAX_CHARS 80

/* The order in which statuses win when several things happened in one run. */
static int
exit_rank (RgCliExit status)
{
  switch (status)
    {
    case RG_CLI_EXIT_OK: return 0;
    case RG_CLI_EXIT_WARN: return 1;
    case RG_CLI_EXIT_BLOCK: return 2;
    case RG_CLI_EXIT_USAGE: return 3;
    case RG_CLI_EXIT_BAD_INPUT: return 4;
    case RG_CLI_EXIT_INTERNAL: return 5;
    default: return 5;
    }
}

/**
 * rg_cli_exit_worst:
 *
 * Returns: the status that wins: internal > bad input > usage > block > warn > ok.
 */
RgCliExit
rg_cli_exit_worst (RgCliExit a,
                   RgCliExit b)
{
  return exit_rank (a) >= exit_rank (b) ? a : b;
}

/**
 * rg_cli_exit_from_verdict:
 *
 * Returns: the exit status for a verdict; a notice is not worth a non-zero status.
 */
RgCliExit
rg_cli_exit_from_verdict (rg_verdict verdict)
{
  switch (verdict)
    {
    case RG_VERDICT_OK:
    case RG_VERDICT_NOTICE:
      return RG_CLI_EXIT_OK;
    case RG_VERDICT_WARN:
      return RG_CLI_EXIT_WARN;
    case RG_VERDICT_BLOCK:
      return RG_CLI_EXIT_BLOCK;
    default:
      /* A verdict this program does not know is newer than it: not a reason to pass. */
      return RG_CLI_EXIT_BLOCK;
    }
}

/**
 * rg_cli_exit_from_status:
 * @status: an error from the core (not %RG_OK)
 *
 * Returns: %RG_CLI_EXIT_BAD_INPUT for input (-2xx) and data (-3xx) errors,
 * %RG_CLI_EXIT_INTERNAL otherwise.  %RG_E_INVALID_ARGUMENT is internal: this program never
 * passes NULL or an out-of-range value, so seeing it means a bug here or in the core.
 */
RgCliExit
rg_cli_exit_from_status (rg_status status)
{
  if (status == RG_E_INVALID_ARGUMENT)
    return RG_CLI_EXIT_INTERNAL;
  if (status <= -200 && status > -400)
    return RG_CLI_EXIT_BAD_INPUT;
  return RG_CLI_EXIT_INTERNAL;
}

/**
 * rg_cli_error:
 * @where: (nullable): what the error is about: "line 3", "--known-domain 'x'", "FILE:3"
 * @format: printf-style message, one line, no trailing period needed
 *
 * Prints "rcptguard: @where: message" and a newline on standard error.
 */
void
rg_cli_error (const char *where,
              const char *format,
              ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* stdio, not g_printerr (): the text is UTF-8 already and must not be converted. */
  if (where != NULL)
    fprintf (stderr, "rcptguard: %s: %s\n", where, message);
  else
    fprintf (stderr, "rcptguard: %s\n", message);
  fflush (stderr);
}

void
rg_cli_usage_error (const char *command,
                    const char *format,
                    ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  /* Translators: a usage error of a command of rcptguard.  The first %s says what is wrong,
   * the second is the command ("check", "log"), which stays as it is. */
  rg_cli_error (command, _("%s (see 'rcptguard %s --help')"), message, command);
}

/**
 * rg_cli_sentence_tail:
 * @sentence: a message from a library, e.g. "Not valid UTF-8" or "Unknown option --x"
 *
 * Returns: (transfer full): @sentence as the tail of an error line: its first letter in lower
 * case unless the second is upper case too ("Not valid UTF-8" becomes "not valid UTF-8",
 * "IDNA ..." stays).
 */
char *
rg_cli_sentence_tail (const char *sentence)
{
  char *text = g_strdup (sentence);

  if (g_ascii_isupper (text[0]) && (text[1] == '\0' || !g_ascii_isupper (text[1])))
    text[0] = g_ascii_tolower (text[0]);
  return text;
}

/**
 * rg_cli_describe_status:
 *
 * The core says rg_strerror() in English only; these are the same sentences, translated.
 *
 * Returns: (transfer full): what @status means, as the tail of an error line.
 */
char *
rg_cli_describe_status (rg_status status)
{
  /* Translators: the errors below end a line "rcptguard: WHERE: ERROR", hence the lower-case
   * start where your language allows it. */
  switch (status)
    {
    case RG_E_NOMEM: return g_strdup (_("out of memory"));
    case RG_E_INTERNAL: return g_strdup (_("internal error in a library"));
    case RG_E_INVALID_ARGUMENT: return g_strdup (_("invalid argument"));
    case RG_E_ENCODING: return g_strdup (_("not valid UTF-8"));
    case RG_E_CONTROL_CHARACTER:
      return g_strdup (_("contains a control character (NUL, CR, LF, ...)"));
    case RG_E_TOO_LONG: return g_strdup (_("longer than the limit"));
    case RG_E_TOO_MANY: return g_strdup (_("more items than the limit"));
    case RG_E_SYNTAX: return g_strdup (_("not an e-mail address"));
    case RG_E_DOMAIN: return g_strdup (_("not a valid domain name"));
    case RG_E_PUBLIC_SUFFIX: return g_strdup (_("a public suffix, not a domain someone can own"));
    /* A status newer than this program: the core's English beats saying nothing. */
    default: return rg_cli_sentence_tail (rg_strerror (status));
    }
}

/**
 * rg_cli_quote:
 * @text: bytes from the user, in any encoding
 * @len: the length of @text, or -1 when it is NUL-terminated
 *
 * Quotes a value for an error message: in single quotes, with control characters, quotes,
 * backslashes and bytes that are not UTF-8 written as escapes ("\n", "\x00"), and cut after
 * %RG_CLI_QUOTE_MAX_CHARS characters with "...".  The result is always one line of UTF-8.
 *
 * Returns: (transfer full): the quoted text.
 */
char *
rg_cli_quote (const char *text,
              gsize       len)
{
  GString *out = g_string_new ("'");
  const char *p = text;
  const char *end;
  guint n_chars = 0;

  if (len == (gsize) -1)
    len = strlen (text);
  end = text + len;

  while (p < end)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (n_chars >= RG_CLI_QUOTE_MAX_CHARS)
        {
          g_string_append (out, "...");
          break;
        }
      n_chars++;

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (out, "\\x%02x", (guchar) *p);
          p++;
          continue;
        }

      if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c == '\'' || c == '\\')
        g_string_append_printf (out, "\\%c", (char) c);
      else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
        g_string_append_printf (out, "\\x%02x", (guint) c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      p = g_utf8_next_char (p);
    }

  g_string_append_c (out, '\'');
  return g_string_free (out, FALSE);
}
