/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-decision-log.c - RgDecisionLog: the decision log a mail client records into.
 *
 * The settings are read at each record (two keys, a memory read in dconf), so that an
 * administrator's change applies to the next Send without a signal to follow.  The record is
 * built once and given to both sinks; each sink fails on its own.
 */
#define G_LOG_DOMAIN "rcptguard"

#include "rg-decision-log.h"

#include <string.h>

#include "rg-decision-journal.h"
#include "rg-hmac-key.h"
#include "rg-jsonl-file.h"

/* The folder in $XDG_STATE_HOME and the files in it. */
#define RG_LOG_FOLDER "rcptguard"
#define RG_LOG_FILE "decisions.jsonl"
#define RG_LOG_KEY_FILE "hmac-key"

/* The schema's defaults, for a log without settings (NULL): on, local parts hashed. */
#define RG_LOG_DEFAULT_ENABLED TRUE
#define RG_LOG_DEFAULT_LOCAL_PARTS RG_LOCAL_PARTS_HMAC

struct _RgDecisionLog
{
  GObject parent_instance;

  GSettings *settings; /* NULL: the schema's defaults */
  char *client;
  char *key_path;
  RgJsonlFile *file;
  gint64 max_bytes;
  guint keep;

  GLogWriterFunc journal_writer; /* NULL: no journal entry */
  gpointer journal_writer_data;
  GDestroyNotify journal_writer_data_free;

  guint8 key[RG_HMAC_KEY_BYTES];
  gboolean key_loaded;

  /* A failure of that kind was reported and nothing has worked since: say it once.  With
   * g_message (), not g_warning (): under G_DEBUG=fatal-warnings a warning aborts, and a full
   * disk must never take the mail client down with the message in it. */
  gboolean file_failing;
  gboolean key_failing;
};

G_DEFINE_FINAL_TYPE (RgDecisionLog, rg_decision_log, G_TYPE_OBJECT)

static void
rg_decision_log_dispose (GObject *object)
{
  RgDecisionLog *self = RG_DECISION_LOG (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (rg_decision_log_parent_class)->dispose (object);
}

static void
rg_decision_log_finalize (GObject *object)
{
  RgDecisionLog *self = RG_DECISION_LOG (object);

  if (self->journal_writer_data_free != NULL)
    self->journal_writer_data_free (self->journal_writer_data);
  g_clear_pointer (&self->client, g_free);
  g_clear_pointer (&self->key_path, g_free);
  g_clear_pointer (&self->file, rg_jsonl_file_free);
  /* The key is the user's secret: not left behind in freed memory. */
  memset (self->key, 0, sizeof self->key);

  G_OBJECT_CLASS (rg_decision_log_parent_class)->finalize (object);
}

static void
rg_decision_log_class_init (RgDecisionLogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rg_decision_log_dispose;
  object_class->finalize = rg_decision_log_finalize;
}

static void
rg_decision_log_init (RgDecisionLog *self)
{
  self->journal_writer = rg_decision_journal_writer_default;
}

/**
 * rg_decision_log_dup_default_path:
 *
 * Returns: (transfer full): $XDG_STATE_HOME/rcptguard/decisions.jsonl (by default
 * ~/.local/state/rcptguard/decisions.jsonl).
 * Since: 0.1
 */
char *
rg_decision_log_dup_default_path (void)
{
  return g_build_filename (g_get_user_state_dir (), RG_LOG_FOLDER, RG_LOG_FILE, NULL);
}

/**
 * rg_decision_log_new:
 * @settings: (nullable): settings of the schema org.rcptguard.RecipientGuard (log-decisions,
 *   log-local-parts), referenced; %NULL: the schema's defaults (on, "hmac")
 * @client: the mail client as the log names it: "evolution", "thunderbird", "cli"
 *
 * The log of the user's $XDG_STATE_HOME (as when the object is made), writing to the journal
 * through rg_decision_journal_writer_default ().  Nothing is opened or created before the
 * first record.
 *
 * Returns: (transfer full): the log.
 * Since: 0.1
 */
RgDecisionLog *
rg_decision_log_new (GSettings  *settings,
                     const char *client)
{
  RgDecisionLog *self;
  g_autofree char *path = rg_decision_log_dup_default_path ();

  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (client != NULL, NULL);

  self = g_object_new (RG_TYPE_DECISION_LOG, NULL);
  if (settings != NULL)
    self->settings = g_object_ref (settings);
  self->client = g_strdup (client);
  self->key_path = g_build_filename (g_get_user_state_dir (), RG_LOG_FOLDER, RG_LOG_KEY_FILE,
                                     NULL);
  self->max_bytes = RG_JSONL_FILE_DEFAULT_MAX_BYTES;
  self->keep = RG_JSONL_FILE_DEFAULT_KEEP;
  self->file = rg_jsonl_file_new (path, self->max_bytes, self->keep);
  return self;
}

/**
 * rg_decision_log_set_journal_writer:
 * @writer: (nullable): what receives the journal entry's fields; %NULL: no journal entry
 * @user_data: given to @writer
 * @user_data_free: (nullable): frees @user_data when replaced or when @self is finalized
 *
 * For tests (a capturing writer) and hosts with a writer of their own.  The default is
 * rg_decision_journal_writer_default ().
 * Since: 0.1
 */
void
rg_decision_log_set_journal_writer (RgDecisionLog  *self,
                                    GLogWriterFunc  writer,
                                    gpointer        user_data,
                                    GDestroyNotify  user_data_free)
{
  g_return_if_fail (RG_IS_DECISION_LOG (self));

  if (self->journal_writer_data_free != NULL)
    self->journal_writer_data_free (self->journal_writer_data);
  self->journal_writer = writer;
  self->journal_writer_data = user_data;
  self->journal_writer_data_free = user_data_free;
}

/**
 * rg_decision_log_set_rotation:
 * @max_bytes: decisions.jsonl is rotated before it would grow past this
 *   (default %RG_JSONL_FILE_DEFAULT_MAX_BYTES, 1 MiB)
 * @keep: how many rotated files are kept, 1 to %RG_JSONL_FILE_MAX_KEEP (default 4)
 *
 * Every process writing to the same file should use the same values.
 * Since: 0.1
 */
void
rg_decision_log_set_rotation (RgDecisionLog *self,
                              gint64         max_bytes,
                              guint          keep)
{
  g_autofree char *path = NULL;

  g_return_if_fail (RG_IS_DECISION_LOG (self));

  self->max_bytes = max_bytes;
  self->keep = keep;
  path = g_strdup (rg_jsonl_file_get_path (self->file));
  g_clear_pointer (&self->file, rg_jsonl_file_free);
  self->file = rg_jsonl_file_new (path, max_bytes, keep);
}

/**
 * rg_decision_log_set_folder:
 * @folder: where decisions.jsonl, its rotated files, its lock and the key are kept, instead
 *   of $XDG_STATE_HOME/rcptguard
 *
 * For tests, and for a host that keeps its state elsewhere (then "rcptguard log --file"
 * reads it).  Keeps the rotation set with rg_decision_log_set_rotation ().
 * Since: 0.1
 */
void
rg_decision_log_set_folder (RgDecisionLog *self,
                            const char    *folder)
{
  g_autofree char *path = NULL;

  g_return_if_fail (RG_IS_DECISION_LOG (self));
  g_return_if_fail (folder != NULL);

  path = g_build_filename (folder, RG_LOG_FILE, NULL);
  g_clear_pointer (&self->file, rg_jsonl_file_free);
  self->file = rg_jsonl_file_new (path, self->max_bytes, self->keep);
  g_free (self->key_path);
  self->key_path = g_build_filename (folder, RG_LOG_KEY_FILE, NULL);
  self->key_loaded = FALSE;
  memset (self->key, 0, sizeof self->key);
}

/**
 * rg_decision_log_get_path:
 *
 * Returns: (transfer none): the file the records are appended to.
 * Since: 0.1
 */
const char *
rg_decision_log_get_path (RgDecisionLog *self)
{
  g_return_val_if_fail (RG_IS_DECISION_LOG (self), NULL);

  return rg_jsonl_file_get_path (self->file);
}

static gboolean
is_enabled (RgDecisionLog *self)
{
  if (self->settings == NULL)
    return RG_LOG_DEFAULT_ENABLED;
  return g_settings_get_boolean (self->settings, "log-decisions");
}

static RgLocalParts
get_local_parts (RgDecisionLog *self)
{
  if (self->settings == NULL)
    return RG_LOG_DEFAULT_LOCAL_PARTS;
  return (RgLocalParts) g_settings_get_enum (self->settings, "log-local-parts");
}

/* The key for "hmac", or NULL when it cannot be had: then local parts are left out (the safe
 * answer; never written plain in its place).  Tried again at each record until it works. */
static const guint8 *
get_key (RgDecisionLog *self)
{
  g_autoptr (GError) error = NULL;

  if (self->key_loaded)
    return self->key;
  if (!rg_hmac_key_load (self->key_path, self->key, &error))
    {
      if (!self->key_failing)
        g_message ("Decision log: %s; local parts are left out of the log until the key "
                   "can be read", error->message);
      self->key_failing = TRUE;
      return NULL;
    }
  self->key_failing = FALSE;
  self->key_loaded = TRUE;
  return self->key;
}

/**
 * rg_decision_log_record:
 * @self: the log
 * @decision: what happened at Send
 * @sender_address: (nullable): the sender's address, "local@domain"; only its domain is
 *   recorded
 * @report: (nullable): the report the dialog showed; its findings with verdict warn or block
 *   are recorded.  %NULL for %RG_DECISION_CHECK_FAILED when there is none.
 * @error_message: (nullable): for %RG_DECISION_CHECK_FAILED, why the check failed (English or
 *   translated; addresses in it are hidden as local parts are)
 * @policy_locked: whether the policy that decided (the key that made a recipient warn or
 *   block, or on-error for a failed check) is locked by the administrator
 *
 * Records the decision in the journal and in decisions.jsonl, when log-decisions is true.
 * Returns in every case; the caller goes on sending (or not) as the user decided.
 *
 * Cost: building the record is linear in the findings; the file costs an open (), an
 * flock (), a write () and a close (), no fsync (): a record must never hold up Send on a busy
 * disk.  Waiting for another process's lock is bounded (half a second).
 * Since: 0.1
 */
void
rg_decision_log_record (RgDecisionLog   *self,
                        RgDecision       decision,
                        const char      *sender_address,
                        const rg_report *report,
                        const char      *error_message,
                        gboolean         policy_locked)
{
  g_autoptr (RgDecisionRecord) record = NULL;
  g_autoptr (GError) error = NULL;
  RgDecisionFacts facts = { 0 };
  const char *line;
  gsize len;

  g_return_if_fail (RG_IS_DECISION_LOG (self));

  if (!is_enabled (self))
    return;

  facts.decision = decision;
  facts.time = g_get_real_time ();
  facts.client = self->client;
  facts.sender_address = sender_address;
  facts.report = report;
  facts.error_message = error_message;
  facts.policy_locked = policy_locked;
  facts.local_parts = get_local_parts (self);
  if (facts.local_parts == RG_LOCAL_PARTS_HMAC)
    facts.hmac_key = get_key (self);
  record = rg_decision_record_new (&facts);

  if (self->journal_writer != NULL)
    rg_decision_journal_write (record, self->journal_writer, self->journal_writer_data);

  line = rg_decision_record_get_line (record, &len);
  if (!rg_jsonl_file_append (self->file, line, len, &error))
    {
      /* Once per episode: a full disk stays full for many Sends. */
      if (!self->file_failing)
        g_message ("Decision log: %s; decisions are not recorded in the file until it can "
                   "be written again", error->message);
      self->file_failing = TRUE;
      return;
    }
  if (self->file_failing)
    g_message ("Decision log: %s can be written again", rg_jsonl_file_get_path (self->file));
  self->file_failing = FALSE;
}
