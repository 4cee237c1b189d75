/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-decision-log.c - RgDecisionLog: the decision log a mail client records into.
 *
 * The settings are read at each record (two keys, a memory read in dconf), so that an
 * administrator's change applies to the next Send without a signal to follow.  The record is
 * built in the caller's thread (it reads the report, which is the caller's) and written by
 * one writer thread, so that Send never waits on the disk: a hung NFS home, a slow disk or a
 * file that blocks delays only the records behind it, never the next Send.  The writer takes
 * the jobs in order (a GThreadPool of one thread) and at most RG_LOG_MAX_PENDING of them wait:
 * past that the disk is not keeping up, and a record is dropped rather than memory grown
 * without end.  Each sink fails on its own.
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

/* Records waiting for the writer, at most: a person sends a few messages a minute, so a
 * queue this long means the disk has stopped answering; each waiting record is at most
 * RG_DECISION_RECORD_MAX_BYTES. */
#define RG_LOG_MAX_PENDING 64u
/* How long a record waits for the key to be read (by the writer, at first use) before its
 * local parts are left out instead: long enough for any working disk. */
#define RG_LOG_KEY_BUDGET_US (G_USEC_PER_SEC / 2)
/* How long finalizing a log waits for the records still queued: a command that recorded a
 * failed check must not exit before its record is written, nor hang on a stuck disk. */
#define RG_LOG_FINALIZE_BUDGET_US (2 * G_USEC_PER_SEC)

typedef enum {
  KEY_UNREAD,  /* not read yet, or reading it failed: the next record tries again */
  KEY_READING, /* the writer is reading it */
  KEY_READY,
} KeyState;

/* What the caller's thread and the writer share, reference-counted: queued jobs keep it (and
 * their file) alive after the log is gone. */
typedef struct {
  GMutex mutex; /* guards pending, the key and its state */
  GCond cond;   /* signalled when pending drops or the key state changes */
  guint pending;

  char *key_path;
  KeyState key_state;
  guint8 key[RG_HMAC_KEY_BYTES];

  /* The writer's alone.  A failure of that kind was reported and nothing has worked since:
   * say it once.  With g_message (), not g_warning (): under G_DEBUG=fatal-warnings a warning
   * aborts, and a full disk must never take the mail client down with the message in it. */
  gboolean file_failing;
  gboolean key_failing;
} Shared;

typedef enum {
  JOB_RECORD,
  JOB_READ_KEY,
} JobKind;

typedef struct {
  JobKind kind;
  Shared *shared;
  /* JOB_RECORD */
  RgJsonlFile *file;
  RgDecisionRecord *record;
  GLogWriterFunc journal_writer;
  gpointer journal_writer_data;
  RgDecisionLogDone done;
  gpointer done_data;
  /* JOB_READ_KEY */
  char *key_path;
} Job;

struct _RgDecisionLog
{
  GObject parent_instance;

  GSettings *settings; /* NULL: the schema's defaults */
  char *client;
  RgJsonlFile *file;
  gint64 max_bytes;
  guint keep;

  GLogWriterFunc journal_writer; /* NULL: no journal entry */
  gpointer journal_writer_data;
  GDestroyNotify journal_writer_data_free;

  Shared *shared;
  GThreadPool *writer;
  /* The queue was full and nothing was queued since: said once. */
  gboolean queue_failing;
};

G_DEFINE_FINAL_TYPE (RgDecisionLog, rg_decision_log, G_TYPE_OBJECT)

static void
shared_clear (gpointer data)
{
  Shared *shared = data;

  g_mutex_clear (&shared->mutex);
  g_cond_clear (&shared->cond);
  g_free (shared->key_path);
  /* The key is the user's secret: not left behind in freed memory. */
  memset (shared->key, 0, sizeof shared->key);
}

static void
shared_unref (Shared *shared)
{
  g_atomic_rc_box_release_full (shared, shared_clear);
}

static void
job_free (Job *job)
{
  g_clear_pointer (&job->file, rg_jsonl_file_unref);
  g_clear_pointer (&job->record, rg_decision_record_free);
  g_free (job->key_path);
  shared_unref (job->shared);
  g_free (job);
}

/* The writer's part of a record: the journal entry, then the line. */
static void
write_record (Job *job)
{
  Shared *shared = job->shared;
  g_autoptr (GError) error = NULL;
  const char *line;
  gsize len;

  if (job->journal_writer != NULL)
    rg_decision_journal_write (job->record, job->journal_writer, job->journal_writer_data);

  line = rg_decision_record_get_line (job->record, &len);
  if (!rg_jsonl_file_append (job->file, line, len, &error))
    {
      /* Once per episode: a full disk stays full for many Sends. */
      if (!shared->file_failing)
        g_message ("Decision log: %s; decisions are not recorded in the file until it can "
                   "be written again", error->message);
      shared->file_failing = TRUE;
    }
  else
    {
      if (shared->file_failing)
        g_message ("Decision log: %s can be written again", rg_jsonl_file_get_path (job->file));
      shared->file_failing = FALSE;
    }
  if (job->done != NULL)
    job->done (error, job->done_data);
}

/* Reads the key for "hmac"; a key that cannot be had leaves local parts out (the safe answer;
 * never written plain in its place), and is tried again at the next record. */
static void
read_key (Job *job)
{
  Shared *shared = job->shared;
  g_autoptr (GError) error = NULL;
  guint8 key[RG_HMAC_KEY_BYTES];
  gboolean ok = rg_hmac_key_load (job->key_path, key, &error);

  if (!ok && !shared->key_failing)
    g_message ("Decision log: %s; local parts are left out of the log until the key can be "
               "read", error->message);
  shared->key_failing = !ok;

  g_mutex_lock (&shared->mutex);
  /* The folder may have changed while the key was read: a key of another folder is not
   * this one's. */
  if (g_strcmp0 (job->key_path, shared->key_path) == 0)
    {
      if (ok)
        memcpy (shared->key, key, sizeof key);
      shared->key_state = ok ? KEY_READY : KEY_UNREAD;
    }
  g_cond_broadcast (&shared->cond);
  g_mutex_unlock (&shared->mutex);
  memset (key, 0, sizeof key);
}

static void
run_job (gpointer data,
         gpointer user_data)
{
  Job *job = data;
  Shared *shared = job->shared;

  if (job->kind == JOB_READ_KEY)
    read_key (job);
  else
    write_record (job);

  g_mutex_lock (&shared->mutex);
  shared->pending--;
  g_cond_broadcast (&shared->cond);
  g_mutex_unlock (&shared->mutex);
  job_free (job);
}

/* Hands @job to the writer, or, with RG_LOG_MAX_PENDING jobs waiting, frees it and returns
 * FALSE. */
static gboolean
push_job (RgDecisionLog *self,
          Job           *job)
{
  Shared *shared = self->shared;
  gboolean full;

  job->shared = g_atomic_rc_box_acquire (shared);
  g_mutex_lock (&shared->mutex);
  full = shared->pending >= RG_LOG_MAX_PENDING;
  if (!full)
    shared->pending++;
  g_mutex_unlock (&shared->mutex);
  if (full)
    {
      job_free (job);
      return FALSE;
    }
  g_thread_pool_push (self->writer, job, NULL);
  return TRUE;
}

/* Waits until no job is pending, or @deadline (monotonic time) passed; -1: no deadline. */
static gboolean
wait_idle (Shared *shared,
           gint64  deadline)
{
  gboolean idle;

  g_mutex_lock (&shared->mutex);
  while (shared->pending > 0)
    {
      if (deadline < 0)
        g_cond_wait (&shared->cond, &shared->mutex);
      else if (!g_cond_wait_until (&shared->cond, &shared->mutex, deadline))
        break;
    }
  idle = shared->pending == 0;
  g_mutex_unlock (&shared->mutex);
  return idle;
}

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
  gboolean idle = wait_idle (self->shared, g_get_monotonic_time () + RG_LOG_FINALIZE_BUDGET_US);

  /* The writer finishes what is queued on its own; this returns at once.  The journal
   * writer's data is freed only when no job can use it any more: a writer stuck on the disk
   * keeps it (a few bytes) rather than use freed memory. */
  g_thread_pool_free (self->writer, FALSE, FALSE);
  if (self->journal_writer_data_free != NULL && idle)
    self->journal_writer_data_free (self->journal_writer_data);
  g_clear_pointer (&self->client, g_free);
  g_clear_pointer (&self->file, rg_jsonl_file_unref);
  shared_unref (self->shared);

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
  self->shared = g_atomic_rc_box_new0 (Shared);
  g_mutex_init (&self->shared->mutex);
  g_cond_init (&self->shared->cond);
  /* One thread, so that records are written in the order made; it is started with the first
   * job and ends after a while without one (GLib's idle threads). */
  self->writer = g_thread_pool_new (run_job, NULL, 1, FALSE, NULL);
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
 * first record.  Finalizing it waits up to two seconds for the records still being written.
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
  self->shared->key_path = g_build_filename (g_get_user_state_dir (), RG_LOG_FOLDER,
                                             RG_LOG_KEY_FILE, NULL);
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
 * rg_decision_journal_writer_default ().  @writer is called on the log's writer thread; set
 * it before the first record.
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
  g_clear_pointer (&self->file, rg_jsonl_file_unref);
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
  g_clear_pointer (&self->file, rg_jsonl_file_unref);
  self->file = rg_jsonl_file_new (path, self->max_bytes, self->keep);
  g_mutex_lock (&self->shared->mutex);
  g_free (self->shared->key_path);
  self->shared->key_path = g_build_filename (folder, RG_LOG_KEY_FILE, NULL);
  self->shared->key_state = KEY_UNREAD;
  memset (self->shared->key, 0, sizeof self->shared->key);
  g_mutex_unlock (&self->shared->mutex);
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

/* Copies the key for "hmac" into @key, having the writer read it first when it was not yet;
 * FALSE when it cannot be had within RG_LOG_KEY_BUDGET_US, or while an earlier record's
 * request for it is still waiting: then local parts are left out. */
static gboolean
get_key (RgDecisionLog *self,
         guint8         key[RG_HMAC_KEY_BYTES])
{
  Shared *shared = self->shared;
  gint64 deadline = g_get_monotonic_time () + RG_LOG_KEY_BUDGET_US;
  gboolean asked = FALSE;
  gboolean ready;

  g_mutex_lock (&shared->mutex);
  if (shared->key_state == KEY_UNREAD)
    {
      asked = TRUE;
      Job *job = g_new0 (Job, 1);

      job->kind = JOB_READ_KEY;
      job->key_path = g_strdup (shared->key_path);
      shared->key_state = KEY_READING;
      g_mutex_unlock (&shared->mutex);
      if (!push_job (self, job))
        {
          g_mutex_lock (&shared->mutex);
          shared->key_state = KEY_UNREAD;
          g_mutex_unlock (&shared->mutex);
          return FALSE;
        }
      g_mutex_lock (&shared->mutex);
    }
  /* Only the record that asked for the key waits for it: while a disk that does not answer
   * holds the read up, the next ones go without local parts rather than wait too. */
  while (asked && shared->key_state == KEY_READING)
    if (!g_cond_wait_until (&shared->cond, &shared->mutex, deadline))
      break;
  ready = shared->key_state == KEY_READY;
  if (ready)
    memcpy (key, shared->key, RG_HMAC_KEY_BYTES);
  g_mutex_unlock (&shared->mutex);
  return ready;
}

/**
 * rg_decision_log_record:
 * @self: the log
 * @decision: what happened at Send
 * @sender_address: (nullable): the sender's address, "local@domain"; only its domain is
 *   recorded
 * @report: (nullable): the report the dialog showed; its findings with verdict warn or block
 *   are recorded.  %NULL for %RG_DECISION_CHECK_FAILED when there is none.
 * @outcomes: (nullable) (array length=n_outcomes): what became of each of those findings
 *   when the message left, one per finding of verdict warn or block in order (the dialog's
 *   rows); %NULL records "kept" for each with %RG_DECISION_SENT_ANYWAY, nothing otherwise
 * @n_outcomes: the length of @outcomes
 * @error_message: (nullable): for %RG_DECISION_CHECK_FAILED, why the check failed (English or
 *   translated; addresses in it are hidden as local parts are)
 * @policy_locked: whether the policy that decided (the key that made a recipient warn or
 *   block, or on-error for a failed check) is locked by the administrator
 * @done: (nullable): told whether the line reached decisions.jsonl (%NULL error) or why not;
 *   called exactly once, on the log's writer thread, or before this returns when the record
 *   is not even queued; with a %NULL error also when log-decisions is false
 * @done_data: for @done
 *
 * Records the decision in the journal and in decisions.jsonl, when log-decisions is true.
 * Returns at once in every case (the writer thread does the I/O); the caller goes on sending
 * (or not) as the user decided.
 *
 * Cost: building the record is linear in the findings; the first record with "hmac" local
 * parts waits up to half a second for the key to be read.  The writer's file costs an
 * open (), an flock () (waited for at most half a second), a write () and a close (), no
 * fsync ().
 * Since: 0.1 (@outcomes, @n_outcomes, @done and @done_data: 0.2)
 */
void
rg_decision_log_record (RgDecisionLog     *self,
                        RgDecision         decision,
                        const char        *sender_address,
                        const rg_report   *report,
                        const RgOutcome   *outcomes,
                        gsize              n_outcomes,
                        const char        *error_message,
                        gboolean           policy_locked,
                        RgDecisionLogDone  done,
                        gpointer           done_data)
{
  RgDecisionFacts facts = { 0 };
  guint8 key[RG_HMAC_KEY_BYTES];
  Job *job;

  g_return_if_fail (RG_IS_DECISION_LOG (self));

  if (!is_enabled (self))
    {
      if (done != NULL)
        done (NULL, done_data);
      return;
    }

  facts.decision = decision;
  facts.time = g_get_real_time ();
  facts.client = self->client;
  facts.sender_address = sender_address;
  facts.report = report;
  facts.outcomes = outcomes;
  facts.n_outcomes = n_outcomes;
  facts.error_message = error_message;
  facts.policy_locked = policy_locked;
  facts.local_parts = get_local_parts (self);
  if (facts.local_parts == RG_LOCAL_PARTS_HMAC && get_key (self, key))
    facts.hmac_key = key;

  job = g_new0 (Job, 1);
  job->kind = JOB_RECORD;
  job->record = rg_decision_record_new (&facts);
  memset (key, 0, sizeof key);
  job->file = rg_jsonl_file_ref (self->file);
  job->journal_writer = self->journal_writer;
  job->journal_writer_data = self->journal_writer_data;
  job->done = done;
  job->done_data = done_data;
  if (push_job (self, job))
    {
      self->queue_failing = FALSE;
      return;
    }

  {
    g_autoptr (GError) error = NULL;

    g_set_error (&error, G_IO_ERROR, G_IO_ERROR_BUSY,
                 "%u records are waiting to be written to %s, at most %u may: the record is "
                 "dropped", RG_LOG_MAX_PENDING, rg_jsonl_file_get_path (self->file),
                 RG_LOG_MAX_PENDING);
    if (!self->queue_failing)
      g_message ("Decision log: %s", error->message);
    self->queue_failing = TRUE;
    if (done != NULL)
      done (error, done_data);
  }
}

/**
 * rg_decision_log_flush:
 * @self: the log
 * @timeout_us: how long to wait at most, in microseconds; -1 for as long as it takes
 *
 * Waits until every record made so far is written (or failed).  For a program about to exit,
 * and for tests; never at Send.
 *
 * Returns: whether the writer was done within @timeout_us.
 * Since: 0.2
 */
gboolean
rg_decision_log_flush (RgDecisionLog *self,
                       gint64         timeout_us)
{
  g_return_val_if_fail (RG_IS_DECISION_LOG (self), FALSE);

  return wait_idle (self->shared, timeout_us < 0 ? -1 : g_get_monotonic_time () + timeout_us);
}
