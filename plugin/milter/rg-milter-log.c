/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-milter-log.c - decisions to the journal, through the decision log's record and journal
 * entry (common/glib), so that "journalctl MESSAGE_ID=a95d97d4cccf4972904fe0f16b3a29d8"
 * lists the milter's decisions beside the desktops'.  The milter does not write
 * decisions.jsonl: on a server the journal is the log, and its own rotation applies.
 */
#define G_LOG_DOMAIN "rcptguard-milter"

#include "rg-milter-log.h"

#include <string.h>

#include "rg-decision-journal.h"
#include "rg-hmac-key.h"

#define RG_MILTER_LOG_KEY_FILE "hmac-key"

struct _RgMilterLog
{
  GMutex mutex;
  char *key_path;
  gboolean key_ready;
  gboolean key_failing;
  guint8 key[RG_HMAC_KEY_BYTES];
};

typedef struct {
  const char *action;
  const char *queue_id;
} Extra;

RgMilterLog *
rg_milter_log_new (const char *state_dir)
{
  RgMilterLog *self = g_new0 (RgMilterLog, 1);

  g_mutex_init (&self->mutex);
  self->key_path = g_build_filename (state_dir, RG_MILTER_LOG_KEY_FILE, NULL);
  return self;
}

void
rg_milter_log_free (RgMilterLog *self)
{
  if (self == NULL)
    return;
  memset (self->key, 0, sizeof self->key);
  g_mutex_clear (&self->mutex);
  g_free (self->key_path);
  g_free (self);
}

static GLogWriterOutput
write_with_extra (GLogLevelFlags   log_level,
                  const GLogField *fields,
                  gsize            n_fields,
                  gpointer         user_data)
{
  const Extra *extra = user_data;
  g_autofree GLogField *all = g_new0 (GLogField, n_fields + 2);
  gsize n = n_fields;

  memcpy (all, fields, n_fields * sizeof *fields);
  if (extra->action != NULL)
    all[n++] = (GLogField) { "RCPTGUARD_MILTER_ACTION", extra->action, -1 };
  if (extra->queue_id != NULL && *extra->queue_id != '\0')
    all[n++] = (GLogField) { "RCPTGUARD_QUEUE_ID", extra->queue_id, -1 };
  return rg_decision_journal_writer_default (log_level, all, n, NULL);
}

/* The key for "hmac" local parts, read (or created) at first use; without it local parts
 * are left out, never written plain. */
static gboolean
get_key (RgMilterLog *self,
         guint8       key[RG_HMAC_KEY_BYTES])
{
  gboolean ready;

  g_mutex_lock (&self->mutex);
  if (!self->key_ready)
    {
      g_autoptr (GError) error = NULL;

      self->key_ready = rg_hmac_key_load (self->key_path, self->key, &error);
      if (!self->key_ready && !self->key_failing)
        g_message ("Decision log: %s; local parts are left out until the key can be read",
                   error->message);
      self->key_failing = !self->key_ready;
    }
  ready = self->key_ready;
  if (ready)
    memcpy (key, self->key, RG_HMAC_KEY_BYTES);
  g_mutex_unlock (&self->mutex);
  return ready;
}

void
rg_milter_log_record (RgMilterLog           *self,
                      const RgMilterConfig  *config,
                      const RgMilterVerdict *verdict,
                      const char            *sender,
                      const char            *queue_id)
{
  RgDecisionFacts facts = { 0 };
  g_autoptr (RgDecisionRecord) record = NULL;
  guint8 key[RG_HMAC_KEY_BYTES];
  Extra extra = { verdict->log_action, queue_id };

  if (!verdict->log || !config->log_decisions)
    return;
  facts.decision = verdict->decision;
  facts.time = g_get_real_time ();
  facts.client = "milter";
  facts.sender_address = sender != NULL && *sender != '\0' ? sender : NULL;
  facts.report = verdict->report;
  facts.error_message = verdict->error_message;
  /* The milter's policy is the administrator's file: locked for every sender. */
  facts.policy_locked = TRUE;
  facts.local_parts = config->log_local_parts;
  if (facts.local_parts == RG_LOCAL_PARTS_HMAC && get_key (self, key))
    facts.hmac_key = key;
  record = rg_decision_record_new (&facts);
  memset (key, 0, sizeof key);
  rg_decision_journal_write (record, write_with_extra, &extra);
}
