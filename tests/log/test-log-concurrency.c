/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The decision log's file under 8 processes × 2,000 records at once (rg-test-log-writer,
 * started together through a closed pipe):
 *
 * - with a rotation size that keeps everything: exactly 16,000 lines, each a whole record,
 *   each (writer, sequence number) once, each writer's in its order; all 8 processes made
 *   the key at the same moment and used one key (one pseudonym for the one recipient);
 * - with a small rotation size (64 KiB, 4 rotated files kept), so that the file is rotated
 *   many times while all write: every kept line is a whole record, none twice, the kept files
 *   are within the size, and since rotation drops whole files from the old end, what is kept
 *   is the newest part of the log: each writer's records there are a run of consecutive
 *   sequence numbers that ends with its last record (or none at all).
 *
 * Permissions: the folder 0700, every file 0600.  The helper's path is RG_TEST_LOG_WRITER.
 */
#define G_LOG_DOMAIN "rcptguard-test"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "rg-test-files.h"

#define N_WRITERS 8
#define N_RECORDS 2000
#define SMALL_MAX_BYTES (64 * 1024)
#define SMALL_KEEP 4
#define LARGE_MAX_BYTES (256 * 1024 * 1024)
/* A record of rg-test-log-writer is about 480 bytes; this bounds it with room to spare. */
#define RECORD_BYTES_MAX 1024

/* Bytes of all 16,000 records, measured by the run that keeps them all: it says how many
 * times the small run rotated. */
static gint64 all_bytes;

typedef struct
{
  guint n_lines;
  gint last[N_WRITERS];  /* the last sequence number seen per writer, -1 for none */
  gint first[N_WRITERS]; /* the first, -1 for none */
  guint8 *seen;          /* N_WRITERS × N_RECORDS */
  char *pseudonym;       /* the one recipient's, as in the first record */
} Tally;

/* Starts the writers, lets them go at once, and waits for all; returns the seconds from the
 * go to the last one's exit. */
static double
run_writers (const char *tmp,
             const char *folder,
             gint64      max_bytes,
             guint       keep)
{
  const char *helper = g_getenv ("RG_TEST_LOG_WRITER");
  GSubprocess *writers[N_WRITERS];
  gint64 start;
  double seconds;

  if (helper == NULL)
    g_error ("RG_TEST_LOG_WRITER must name rg-test-log-writer (meson test sets it)");

  for (guint i = 0; i < N_WRITERS; i++)
    {
      g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (
        G_SUBPROCESS_FLAGS_STDIN_PIPE);
      g_autofree char *out = g_strdup_printf ("%s/writer-%u.out", tmp, i);
      g_autofree char *err = g_strdup_printf ("%s/writer-%u.err", tmp, i);
      g_autofree char *number = g_strdup_printf ("%u", i);
      g_autofree char *count = g_strdup_printf ("%d", N_RECORDS);
      g_autofree char *max = g_strdup_printf ("%" G_GINT64_FORMAT, max_bytes);
      g_autofree char *keep_text = g_strdup_printf ("%u", keep);
      g_autoptr (GError) error = NULL;

      g_subprocess_launcher_set_stdout_file_path (launcher, out);
      g_subprocess_launcher_set_stderr_file_path (launcher, err);
      writers[i] = g_subprocess_launcher_spawn (launcher, &error, helper, "--folder", folder,
                                                "--writer", number, "--count", count,
                                                "--max-bytes", max, "--keep", keep_text,
                                                "--journal", "none", "--wait-stdin", NULL);
      g_assert_no_error (error);
    }

  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_WRITERS; i++)
    {
      g_autoptr (GError) error = NULL;

      g_output_stream_close (g_subprocess_get_stdin_pipe (writers[i]), NULL, &error);
      g_assert_no_error (error);
    }
  for (guint i = 0; i < N_WRITERS; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *out_path = g_strdup_printf ("%s/writer-%u.out", tmp, i);
      g_autofree char *err_path = g_strdup_printf ("%s/writer-%u.err", tmp, i);
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_subprocess_wait_check (writers[i], NULL, &error);
      g_assert_no_error (error);
      g_object_unref (writers[i]);
      g_assert_true (g_file_get_contents (out_path, &out, NULL, NULL));
      g_assert_true (g_file_get_contents (err_path, &err, NULL, NULL));
      g_assert_cmpstr (out, ==, "done\n");
      /* Nothing reported: no record failed. */
      g_assert_cmpstr (err, ==, "");
    }
  seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  return seconds;
}

/* Reads one file of the log into @tally: every line a whole record; per writer the sequence
 * numbers consecutive from where the previous file left off. */
static void
tally_file (Tally      *tally,
            const char *path,
            gint64      min_bytes,
            gint64      max_bytes)
{
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  gsize len;
  char *line;
  char *end;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, <=, (gsize) max_bytes);
  g_assert_cmpuint (len, >=, (gsize) min_bytes);
  g_assert_true (len == 0 || contents[len - 1] == '\n');
  rg_test_assert_mode (path, 0600);

  for (line = contents; line < contents + len; line = end + 1)
    {
      g_autoptr (JsonNode) node = NULL;
      JsonObject *record;
      JsonObject *recipient;
      guint writer, seq;
      int consumed = 0;

      end = memchr (line, '\n', contents + len - line);
      g_assert_nonnull (end);
      *end = '\0';
      node = json_from_string (line, &error);
      if (error != NULL)
        g_error ("%s: a line that is not a whole record (%s): %.200s", path, error->message,
                 line);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      record = json_node_get_object (node);
      g_assert_cmpstr (json_object_get_string_member (record, "decision"), ==, "sent-anyway");
      if (sscanf (json_object_get_string_member (record, "sender_domain"), "s%u.w%u.example%n",
                  &seq, &writer, &consumed) != 2
          || consumed == 0)
        g_error ("%s: unexpected sender domain in %.200s", path, line);
      g_assert_cmpuint (writer, <, N_WRITERS);
      g_assert_cmpuint (seq, <, N_RECORDS);

      /* Never twice; and in each writer's order without a gap. */
      g_assert_cmpuint (tally->seen[writer * N_RECORDS + seq], ==, 0);
      tally->seen[writer * N_RECORDS + seq] = 1;
      if (tally->last[writer] >= 0)
        g_assert_cmpint ((gint) seq, ==, tally->last[writer] + 1);
      else
        tally->first[writer] = (gint) seq;
      tally->last[writer] = (gint) seq;

      recipient = json_array_get_object_element (
        json_object_get_array_member (record, "recipients"), 0);
      if (tally->pseudonym == NULL)
        tally->pseudonym = g_strdup (json_object_get_string_member (recipient, "local"));
      g_assert_cmpstr (json_object_get_string_member (recipient, "local"), ==,
                       tally->pseudonym);
      g_assert_true (g_str_has_prefix (tally->pseudonym, "hmac-sha256:"));
      tally->n_lines++;
    }
}

static void
tally_init (Tally *tally)
{
  memset (tally, 0, sizeof *tally);
  for (guint i = 0; i < N_WRITERS; i++)
    tally->first[i] = tally->last[i] = -1;
  tally->seen = g_malloc0 (N_WRITERS * N_RECORDS);
}

static void
tally_clear (Tally *tally)
{
  g_free (tally->seen);
  g_free (tally->pseudonym);
}

static void
test_all_kept (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("rg-log-concurrency-XXXXXX", &error);
  g_autofree char *folder = g_build_filename (tmp, "state", "rcptguard", NULL);
  g_autofree char *path = g_build_filename (folder, "decisions.jsonl", NULL);
  g_autofree char *rotated = g_strconcat (path, ".1", NULL);
  g_autofree char *key = g_build_filename (folder, "hmac-key", NULL);
  g_autofree char *lock = g_strconcat (path, ".lock", NULL);
  struct stat st;
  double seconds;
  Tally tally;

  g_assert_no_error (error);
  seconds = run_writers (tmp, folder, LARGE_MAX_BYTES, SMALL_KEEP);

  tally_init (&tally);
  tally_file (&tally, path, 0, LARGE_MAX_BYTES);
  g_assert_false (g_file_test (rotated, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (tally.n_lines, ==, N_WRITERS * N_RECORDS);
  for (guint i = 0; i < N_WRITERS; i++)
    {
      g_assert_cmpint (tally.first[i], ==, 0);
      g_assert_cmpint (tally.last[i], ==, N_RECORDS - 1);
    }
  rg_test_assert_mode (folder, 0700);
  rg_test_assert_mode (key, 0600);
  rg_test_assert_mode (lock, 0600);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  all_bytes = st.st_size;
  g_test_message ("%d processes x %d records: %.2f s, %u lines, %" G_GINT64_FORMAT " bytes",
                  N_WRITERS, N_RECORDS, seconds, tally.n_lines, all_bytes);
  tally_clear (&tally);
  rg_test_remove_tree (tmp);
}

static void
test_rotated (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("rg-log-concurrency-XXXXXX", &error);
  g_autofree char *folder = g_build_filename (tmp, "state", "rcptguard", NULL);
  g_autofree char *path = g_build_filename (folder, "decisions.jsonl", NULL);
  g_autofree char *dropped = g_strdup_printf ("%s.%d", path, SMALL_KEEP + 1);
  guint n_writers_kept = 0;
  double seconds;
  Tally tally;

  g_assert_no_error (error);
  seconds = run_writers (tmp, folder, SMALL_MAX_BYTES, SMALL_KEEP);

  tally_init (&tally);
  /* Oldest first: what "rcptguard log" reads.  A rotated file was rotated because the next
   * record did not fit: it is full to within one record.  (Two processes rotating for the
   * same crossing, which the lock prevents, would leave a nearly empty one.) */
  for (guint n = SMALL_KEEP; n >= 1; n--)
    {
      g_autofree char *part = g_strdup_printf ("%s.%u", path, n);

      tally_file (&tally, part, SMALL_MAX_BYTES - RECORD_BYTES_MAX, SMALL_MAX_BYTES);
    }
  tally_file (&tally, path, 0, SMALL_MAX_BYTES);
  g_assert_false (g_file_test (dropped, G_FILE_TEST_EXISTS));
  rg_test_assert_mode (folder, 0700);

  /* Rotation dropped the oldest records, and only whole runs from each writer's start. */
  g_assert_cmpuint (tally.n_lines, <, N_WRITERS * N_RECORDS);
  g_assert_cmpuint (tally.n_lines, >, 0);
  for (guint i = 0; i < N_WRITERS; i++)
    {
      if (tally.last[i] < 0)
        continue;
      n_writers_kept++;
      g_assert_cmpint (tally.last[i], ==, N_RECORDS - 1);
    }
  g_assert_cmpuint (n_writers_kept, >, 0);
  g_test_message ("%d processes x %d records, rotated at %d bytes keeping %d: %.2f s, about "
                  "%" G_GINT64_FORMAT " rotations, %u lines kept from %u writers",
                  N_WRITERS, N_RECORDS, SMALL_MAX_BYTES, SMALL_KEEP, seconds,
                  all_bytes / SMALL_MAX_BYTES, tally.n_lines, n_writers_kept);
  tally_clear (&tally);
  rg_test_remove_tree (tmp);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* In this order: the first measures the bytes the second reports rotations by. */
  g_test_add_func ("/log/concurrency/all-kept", test_all_kept);
  g_test_add_func ("/log/concurrency/rotated", test_rotated);
  return g_test_run ();
}
