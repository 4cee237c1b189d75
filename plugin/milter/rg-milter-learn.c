/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-milter-learn.c - "rcptguard-milter learn [--state-dir DIR] [FILE...]": reads Postfix
 * log lines (plain or gzip-compressed files, "-" or nothing for standard input, so that
 * "journalctl -u postfix -o cat | rcptguard-milter learn -" works) and adds the recipient
 * domain of every status=sent line to the learned store, with a count.
 *
 * The domains are counted in memory and written every RG_MILTER_LEARN_BATCH_LINES lines in
 * one transaction: a learn killed half-way has stored whole batches, and the store is intact
 * (SQLite's journal), so running it again completes it (counting the stored batches twice:
 * counts are evidence, not accounting).
 */
#define G_LOG_DOMAIN "rcptguard-milter"

#include "config.h"

#include "rg-milter-learn.h"

#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <glib/gstdio.h>
#include <rcptguard.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "rg-milter-store.h"

#define TO_MARK ": to=<"
#define SENT_MARK " status=sent "

static const char *
find (const char *haystack,
      gsize       len,
      const char *needle)
{
  return memmem (haystack, len, needle, strlen (needle));
}

char *
rg_milter_learn_parse_line (const char *line,
                            gsize       len)
{
  const char *to = find (line, len, TO_MARK);
  const char *start;
  const char *end;
  const char *at = NULL;
  const char *sent;
  char *domain;

  if (to == NULL)
    return NULL;
  start = to + strlen (TO_MARK);
  end = memchr (start, '>', len - (gsize) (start - line));
  if (end == NULL)
    return NULL;
  sent = find (end, len - (gsize) (end - line), SENT_MARK);
  if (sent == NULL)
    return NULL;
  for (const char *p = start; p < end; p++)
    if (*p == '@')
      at = p;
  if (at == NULL || at + 1 >= end)
    return NULL;
  while (end > at + 1 && end[-1] == '.')
    end--;
  for (const char *p = at + 1; p < end; p++)
    if ((unsigned char) *p <= ' ' || *p == '<' || *p == '>' || *p == '@' || *p == ',')
      return NULL;
  if (end == at + 1 || (gsize) (end - at - 1) > RG_MAX_DOMAIN_OCTETS)
    return NULL;
  domain = g_ascii_strdown (at + 1, end - at - 1);
  return domain;
}

/* Domains validated once are remembered, so that a big log validates each domain once rather
 * than once per batch; past this many, new ones are validated every time (memory stays
 * bounded: about 100 bytes each). */
#define RG_LEARN_MAX_VALIDATED 1000000u

typedef struct {
  RgMilterStore *store;
  GHashTable *counts;      /* domain -> count (GUINT_TO_POINTER) */
  GHashTable *valid;       /* domains already validated, at most RG_LEARN_MAX_VALIDATED */
  guint64 lines;
  guint64 long_lines;
  guint64 sent_lines;
  guint64 invalid;         /* domains the core refuses */
  guint64 stored;          /* domain rows written (distinct per batch) */
  guint64 new_domains;
  guint batch_lines;
} Learn;

static gboolean
flush (Learn   *learn,
       GError **error)
{
  g_autoptr (GPtrArray) domains = g_ptr_array_new ();
  g_autoptr (GArray) counts = g_array_new (FALSE, FALSE, sizeof (uint32_t));
  GHashTableIter iter;
  gpointer key, value;
  guint n_new = 0;

  g_hash_table_iter_init (&iter, learn->counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      uint32_t count = GPOINTER_TO_UINT (value);

      /* The same validation as the lists: what the core would refuse is not stored. */
      if (!g_hash_table_contains (learn->valid, key))
        {
          if (rg_domain_entry_check (RG_DOMAIN_ENTRY_KNOWN, key) != RG_OK)
            {
              learn->invalid += count;
              continue;
            }
          if (g_hash_table_size (learn->valid) < RG_LEARN_MAX_VALIDATED)
            g_hash_table_add (learn->valid, g_strdup (key));
        }
      g_ptr_array_add (domains, key);
      g_array_append_val (counts, count);
    }
  if (!rg_milter_store_add_domains (learn->store, (const char *const *) domains->pdata,
                                    (const uint32_t *) (void *) counts->data, domains->len,
                                    &n_new, error))
    return FALSE;
  learn->stored += domains->len;
  learn->new_domains += n_new;
  g_hash_table_remove_all (learn->counts);
  learn->batch_lines = 0;
  return TRUE;
}

static gboolean
take_line (Learn      *learn,
           const char *line,
           gsize       len,
           GError    **error)
{
  char *domain = rg_milter_learn_parse_line (line, len);

  learn->lines++;
  learn->batch_lines++;
  if (domain != NULL)
    {
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (learn->counts, domain));

      learn->sent_lines++;
      if (count < G_MAXUINT32)
        count++;
      g_hash_table_replace (learn->counts, domain, GUINT_TO_POINTER (count));
    }
  if (learn->batch_lines >= RG_MILTER_LEARN_BATCH_LINES)
    return flush (learn, error);
  return TRUE;
}

/* Splits @stream into lines of at most RG_MILTER_LEARN_MAX_LINE bytes; longer ones are
 * counted and skipped. */
static gboolean
read_stream (Learn         *learn,
             GInputStream  *stream,
             GError       **error)
{
  g_autofree char *buffer = g_malloc (RG_MILTER_LEARN_MAX_LINE);
  gsize fill = 0;
  gboolean skipping = FALSE;

  for (;;)
    {
      gssize got = g_input_stream_read (stream, buffer + fill, RG_MILTER_LEARN_MAX_LINE - fill,
                                        NULL, error);
      gsize start = 0;

      if (got < 0)
        return FALSE;
      if (got == 0)
        break;
      fill += (gsize) got;
      for (;;)
        {
          char *nl = memchr (buffer + start, '\n', fill - start);
          gsize len;

          if (nl == NULL)
            break;
          len = (gsize) (nl - (buffer + start));
          if (!skipping && !take_line (learn, buffer + start, len, error))
            return FALSE;
          skipping = FALSE;
          start += len + 1;
        }
      memmove (buffer, buffer + start, fill - start);
      fill -= start;
      if (fill == RG_MILTER_LEARN_MAX_LINE)
        {
          /* A line longer than the buffer: dropped up to its end. */
          if (!skipping)
            learn->long_lines++;
          skipping = TRUE;
          fill = 0;
        }
    }
  if (fill > 0 && !skipping)
    return take_line (learn, buffer, fill, error);
  return TRUE;
}

static gboolean
read_file (Learn      *learn,
           const char *name,
           GError    **error)
{
  g_autoptr (GInputStream) input = NULL;

  if (strcmp (name, "-") == 0)
    input = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  else
    {
      g_autoptr (GFile) file = g_file_new_for_commandline_arg (name);

      input = G_INPUT_STREAM (g_file_read (file, NULL, error));
      if (input == NULL)
        return FALSE;
      if (g_str_has_suffix (name, ".gz"))
        {
          g_autoptr (GZlibDecompressor) gunzip =
            g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
          GInputStream *converted = g_converter_input_stream_new (input,
                                                                  G_CONVERTER (gunzip));

          g_object_unref (input);
          input = converted;
        }
    }
  if (!read_stream (learn, input, error))
    {
      g_prefix_error (error, "%s: ", name);
      return FALSE;
    }
  return TRUE;
}

/* Run as root on the service's state directory (systemd's DynamicUser owns it), learn must
 * not leave files the milter cannot write: they are given to the directory's owner. */
static void
give_to_dir_owner (const char *state_dir)
{
  static const char *const names[] = { RG_MILTER_STORE_FILE, RG_MILTER_STORE_FILE "-wal",
                                       RG_MILTER_STORE_FILE "-shm" };
  GStatBuf dir;

  if (geteuid () != 0 || g_stat (state_dir, &dir) != 0 || dir.st_uid == 0)
    return;
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (state_dir, names[i], NULL);

      /* A file that is not there (no WAL after a clean close) is fine. */
      (void) !lchown (path, dir.st_uid, dir.st_gid);
    }
}

int
rg_milter_learn_main (int    argc,
                      char **argv)
{
  g_autofree char *state_dir = NULL;
  g_auto (GStrv) files = NULL;
  GOptionEntry entries[] = {
    { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, &state_dir,
      "Where learned.sqlite is (default: $STATE_DIRECTORY or " RG_MILTER_DEFAULT_STATE_DIR ")",
      "DIR" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "[FILE...]" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- learn recipient domains "
                                                             "from Postfix's log");
  g_autoptr (GError) error = NULL;
  g_autoptr (RgMilterStore) store = NULL;
  g_autoptr (GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) valid = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Learn learn = { 0 };
  gint64 n_domains = 0;
  gint64 n_uses = 0;
  gint64 start = g_get_monotonic_time ();

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "Reads Postfix log lines (plain or .gz files; '-' or none: standard input) and adds the\n"
    "recipient domain of every status=sent line to the learned store, with a count:\n"
    "  rcptguard-milter learn /var/log/mail.log /var/log/mail.log.*.gz\n"
    "  journalctl -u postfix -o cat | rcptguard-milter learn -\n");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("rcptguard-milter learn: %s\n", error->message);
      return 64;
    }
  if (state_dir == NULL)
    state_dir = g_strdup (rg_milter_store_default_dir ());
  store = rg_milter_store_open (state_dir, &error);
  if (store == NULL)
    {
      g_printerr ("rcptguard-milter learn: %s\n", error->message);
      return 74;
    }
  learn.store = store;
  learn.counts = counts;
  learn.valid = valid;
  if (files == NULL || files[0] == NULL)
    {
      if (!read_file (&learn, "-", &error))
        goto failed;
    }
  else
    for (guint i = 0; files[i] != NULL; i++)
      if (!read_file (&learn, files[i], &error))
        goto failed;
  if (!flush (&learn, &error))
    goto failed;
  give_to_dir_owner (state_dir);
  (void) rg_milter_store_get_totals (store, &n_domains, &n_uses, NULL);
  g_print ("%" G_GUINT64_FORMAT " lines read, %" G_GUINT64_FORMAT " deliveries (status=sent), "
           "%" G_GUINT64_FORMAT " new domains; the store has %" G_GINT64_FORMAT " domains "
           "(%" G_GINT64_FORMAT " uses) in %s; %.1f s\n",
           learn.lines, learn.sent_lines, learn.new_domains, n_domains, n_uses,
           rg_milter_store_get_path (store),
           (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC);
  if (learn.invalid > 0 || learn.long_lines > 0)
    g_print ("skipped: %" G_GUINT64_FORMAT " deliveries to domains that cannot be known "
             "(public suffixes, invalid names), %" G_GUINT64_FORMAT " lines over %u bytes\n",
             learn.invalid, learn.long_lines, RG_MILTER_LEARN_MAX_LINE);
  return 0;

failed:
  /* What was stored in whole batches stays: running learn again adds the rest. */
  give_to_dir_owner (state_dir);
  g_printerr ("rcptguard-milter learn: %s\n", error->message);
  return 74;
}
