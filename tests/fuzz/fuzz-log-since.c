/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-log-since.c - "rcptguard log --since VALUE" (common/cli/rg-cli-log.c) on any VALUE (the
 * input up to its first NUL byte).  The parser, parse_since (), is static: it runs through
 * rg_cli_log_run () with --summary --format json over a log of three records, one each from
 * 2000-01-01 (corrected), two days ago (sent-anyway) and 2100-01-01 (blocked), and standard
 * output read back.  A value is refused (64, nothing printed) or shown (0); what is counted
 * is every record from some time on; and a duration ("90s", "30m", "12h", "7d", "2w") within
 * the command's century is taken and counts what its length says.
 */
#include "rg-cli-log.h"
#include "rg-fuzz-env.h"

#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define RECORD(TIME, DECISION) \
  "{\"v\": 1, \"time\": \"" TIME "\", \"decision\": \"" DECISION "\", " \
  "\"client\": \"evolution\", \"sender_domain\": \"corp.example\", \"policy_locked\": false, " \
  "\"local_parts\": \"none\", \"verdict\": \"warn\", \"recipients\": []}\n"

/* How far back the middle record is, in seconds. */
#define MIDDLE_AGE (2 * 86400)

static gint64 start; /* when the log was written, in Unix time */

static char *
write_log (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) middle = g_date_time_add_seconds (now, -MIDDLE_AGE);
  g_autofree char *middle_time = g_date_time_format (middle, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *middle_record = g_strdup_printf (RECORD ("%s", "sent-anyway"), middle_time);
  g_autofree char *text = g_strconcat (RECORD ("2000-01-01T00:00:00Z", "corrected"),
                                       middle_record,
                                       RECORD ("2100-01-01T00:00:00Z", "blocked"), NULL);
  char *path = g_build_filename (rg_fuzz_env_init (), "decisions.jsonl", NULL);

  start = g_date_time_to_unix (now);
  rg_fuzz_write_file (path, (const guint8 *) text, strlen (text));
  return path;
}

/* Runs the command with standard output in a memory file, and returns what it printed. */
static char *
run (const char *path,
     const char *since,
     int        *status)
{
  g_autofree char *file_arg = g_strconcat ("--file=", path, NULL);
  g_autofree char *since_arg = g_strconcat ("--since=", since, NULL);
  char *argv[] = { "log", file_arg, since_arg, "--summary", "--format=json", NULL };
  int out = memfd_create ("stdout", MFD_CLOEXEC);
  int saved = dup (STDOUT_FILENO);
  char *printed;
  off_t end;

  if (out < 0 || saved < 0 || dup2 (out, STDOUT_FILENO) < 0)
    abort ();
  *status = rg_cli_log_run (G_N_ELEMENTS (argv) - 1, argv);
  if (dup2 (saved, STDOUT_FILENO) < 0)
    abort ();
  close (saved);
  end = lseek (out, 0, SEEK_END);
  if (end < 0)
    abort ();
  printed = g_malloc ((gsize) end + 1);
  if (pread (out, printed, (gsize) end, 0) != end)
    abort ();
  printed[end] = '\0';
  close (out);
  return printed;
}

/* The counts of the summary's JSON object. */
static void
read_counts (const char *printed,
             gint64      counts[3])
{
  static const char *const names[] = { "corrected", "sent_anyway", "blocked" };
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *summary;

  if (!json_parser_load_from_data (parser, printed, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    abort ();
  summary = json_node_get_object (json_parser_get_root (parser));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      counts[i] = json_object_get_int_member_with_default (summary, names[i], -1);
      if (counts[i] != 0 && counts[i] != 1)
        abort ();
    }
}

/* The seconds of a duration such as "7d", or -1 when @text is not one (or overflows). */
static gint64
duration_seconds (const char *text)
{
  static const char units[] = "smhdw";
  static const gint64 seconds[] = { 1, 60, 3600, 86400, 604800 };
  gsize len = strlen (text);
  const char *unit;
  guint64 number = 0;

  if (len < 2 || len > 12 || (unit = strchr (units, text[len - 1])) == NULL || *unit == '\0')
    return -1;
  for (gsize i = 0; i + 1 < len; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return -1;
      number = number * 10 + (guint64) (text[i] - '0');
    }
  return (gint64) number * seconds[unit - units];
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static char *path;
  g_autofree char *since = g_strndup ((const char *) data, size);
  g_autofree char *printed = NULL;
  gint64 counts[3];
  gint64 seconds;
  gint64 age;
  int status;

  if (path == NULL)
    path = write_log ();
  printed = run (path, since, &status);
  if (status == 64)
    {
      if (printed[0] != '\0')
        abort ();
      /* A duration within a century (RG_CLI_MAX_SINCE_SECONDS) is never refused. */
      seconds = duration_seconds (since);
      if (seconds >= 0 && seconds <= 99 * G_GINT64_CONSTANT (365) * 86400)
        abort ();
      return 0;
    }
  if (status != 0)
    abort ();
  read_counts (printed, counts);
  /* Records from a time on: an older one counted means every newer one is. */
  if ((counts[0] && !counts[1]) || (counts[1] && !counts[2]))
    abort ();

  seconds = duration_seconds (since);
  if (seconds < 0)
    return 0;
  /* A duration counts the future record, the middle one when longer than its age (a minute
   * either way aside: the clock runs), and the old one when longer than since 2000. */
  age = g_get_real_time () / G_USEC_PER_SEC - start + MIDDLE_AGE;
  if (!counts[2] || (seconds > age + 60 && !counts[1]) || (seconds < age - 60 && counts[1]))
    abort ();
  age = g_get_real_time () / G_USEC_PER_SEC - 946684800;
  if ((seconds > age + 60 && !counts[0]) || (seconds < age - 60 && counts[0]))
    abort ();
  return 0;
}
