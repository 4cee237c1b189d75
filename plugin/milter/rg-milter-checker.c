/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-milter-checker.c - the checker kept current in the background (rg-milter-checker.h).
 *
 * A build reads the whole store and indexes it (about a second per million domains, see
 * rg_checker_new ()); while it runs, messages use the previous snapshot, and for a moment
 * both are in memory.  The learned domains are the organisation's collected evidence
 * (RG_SOURCE_COLLECTED): a slip that left once is in the store too, and the core's rare-twin
 * rule keeps it from hiding behind the busy domain it is a slip of.
 */
#define G_LOG_DOMAIN "rcptguard-milter"

#include "rg-milter-checker.h"

struct _RgMilterChecker
{
  char *config_path;
  RgMilterStore *store;

  GMutex mutex;               /* guards everything below */
  GCond cond;
  RgMilterSnapshot *current;
  guint pending_new;          /* new domains learned since the last build */
  gboolean pending_counts;    /* counts changed since the last build */
  gboolean reload;            /* the config is to be read again */
  gboolean stopping;
  gint64 last_build;          /* monotonic */
  char *config_text;          /* the file as last read successfully; NULL: no file */
  gsize config_len;
  GThread *thread;
};

static void
snapshot_clear (gpointer data)
{
  RgMilterSnapshot *snapshot = data;

  rg_checker_free (snapshot->checker);
  rg_milter_config_free (snapshot->config);
}

void
rg_milter_snapshot_release (RgMilterSnapshot *snapshot)
{
  if (snapshot != NULL)
    g_atomic_rc_box_release_full (snapshot, snapshot_clear);
}

static void
add_learned (const char *domain,
             uint32_t    count,
             gpointer    data)
{
  /* A domain the core refuses (learned from an odd log line) is simply not evidence. */
  (void) rg_config_add_evidence (data, domain, count, RG_SOURCE_COLLECTED);
}

static void
log_problems (const RgMilterConfig *config)
{
  for (guint i = 0; config->problems[i] != NULL; i++)
    {
      if (config->path != NULL)
        g_warning ("%s: %s", config->path, config->problems[i]);
      else
        g_warning ("%s", config->problems[i]);
    }
}

/* A snapshot from @config (taken) and the store; never NULL: without a checker, on-error
 * decides. */
static RgMilterSnapshot *
build (RgMilterChecker *self,
       RgMilterConfig  *config)
{
  RgMilterSnapshot *snapshot = g_atomic_rc_box_new0 (RgMilterSnapshot);
  rg_config *core = rg_config_new ();
  g_autoptr (GError) error = NULL;
  gint64 n_uses = 0;
  rg_status status;
  gint64 start = g_get_monotonic_time ();

  snapshot->config = config;
  if (core == NULL)
    {
      g_warning ("Out of memory building the checker");
      return snapshot;
    }
  rg_milter_config_apply (config, core);
  if (!rg_milter_store_foreach_domain (self->store, add_learned, core, &error))
    g_warning ("The learned domains could not be read: %s", error->message);
  (void) rg_milter_store_get_totals (self->store, &snapshot->n_learned, &n_uses, NULL);
  status = rg_checker_new (core, &snapshot->checker);
  rg_config_free (core);
  if (status != RG_OK)
    g_warning ("The checker could not be built: %s", rg_strerror (status));
  else
    g_debug ("Checker built from %" G_GINT64_FORMAT " learned domains in %" G_GINT64_FORMAT
             " ms", snapshot->n_learned, (g_get_monotonic_time () - start) / 1000);
  return snapshot;
}

/* The config: the file read again when @reread (kept as it was when it cannot be read), else
 * the text last read, parsed again: a rebuild for learned domains changes no setting. */
static RgMilterConfig *
load_config (RgMilterChecker *self,
             gboolean         reread)
{
  g_autoptr (GError) error = NULL;
  RgMilterConfig *config;

  if (reread)
    {
      g_autofree char *text = NULL;
      gsize len = 0;

      if (g_file_get_contents (self->config_path, &text, &len, &error))
        {
          config = rg_milter_config_load_data (text, len, self->config_path, &error);
          if (config != NULL)
            {
              g_free (self->config_text);
              self->config_text = g_steal_pointer (&text);
              self->config_len = len;
              log_problems (config);
              g_message ("Configuration %s read again", self->config_path);
              return config;
            }
        }
      else if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_clear_pointer (&self->config_text, g_free);
          config = rg_milter_config_load (self->config_path, TRUE, NULL);
          log_problems (config);
          return config;
        }
      g_warning ("%s; the previous configuration stays in effect", error->message);
      g_clear_error (&error);
    }
  if (self->config_text == NULL)
    return rg_milter_config_load (self->config_path, TRUE, NULL);
  config = rg_milter_config_load_data (self->config_text, self->config_len, self->config_path,
                                       NULL);
  return config != NULL ? config : rg_milter_config_new_default ();
}

static gpointer
run (gpointer data)
{
  RgMilterChecker *self = data;

  g_mutex_lock (&self->mutex);
  while (!self->stopping)
    {
      gint64 now = g_get_monotonic_time ();
      gint64 since = now - self->last_build;
      gboolean due = self->reload
                     || (self->pending_new > 0
                         && since >= RG_MILTER_REBUILD_MIN_SECONDS * G_USEC_PER_SEC)
                     || (self->pending_counts
                         && since >= RG_MILTER_REBUILD_SECONDS * G_USEC_PER_SEC);

      if (due)
        {
          gboolean reload = self->reload;
          RgMilterConfig *config = NULL;
          RgMilterSnapshot *snapshot;
          RgMilterSnapshot *old;

          self->reload = FALSE;
          self->pending_new = 0;
          self->pending_counts = FALSE;
          self->last_build = now;
          g_mutex_unlock (&self->mutex);

          config = load_config (self, reload);
          snapshot = build (self, config);

          g_mutex_lock (&self->mutex);
          old = self->current;
          self->current = snapshot;
          g_mutex_unlock (&self->mutex);
          rg_milter_snapshot_release (old);
          g_mutex_lock (&self->mutex);
          continue;
        }
      /* Wake up when told, or when the next rebuild may be due. */
      if (self->pending_new > 0)
        g_cond_wait_until (&self->cond, &self->mutex,
                           self->last_build + RG_MILTER_REBUILD_MIN_SECONDS * G_USEC_PER_SEC);
      else if (self->pending_counts)
        g_cond_wait_until (&self->cond, &self->mutex,
                           self->last_build + RG_MILTER_REBUILD_SECONDS * G_USEC_PER_SEC);
      else
        g_cond_wait (&self->cond, &self->mutex);
    }
  g_mutex_unlock (&self->mutex);
  return NULL;
}

RgMilterChecker *
rg_milter_checker_new (const char     *config_path,
                       RgMilterStore  *store,
                       GError        **error)
{
  RgMilterChecker *self;
  RgMilterConfig *config;
  g_autofree char *text = NULL;
  gsize len = 0;
  g_autoptr (GError) local = NULL;

  if (g_file_get_contents (config_path, &text, &len, &local))
    config = rg_milter_config_load_data (text, len, config_path, error);
  else if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    config = rg_milter_config_load (config_path, TRUE, error);
  else
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (config == NULL)
    return NULL;
  log_problems (config);
  self = g_new0 (RgMilterChecker, 1);
  self->config_path = g_strdup (config_path);
  self->config_text = g_steal_pointer (&text);
  self->config_len = len;
  self->store = store;
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->current = build (self, config);
  self->last_build = g_get_monotonic_time ();
  self->thread = g_thread_new ("rg-rebuild", run, self);
  return self;
}

void
rg_milter_checker_free (RgMilterChecker *self)
{
  if (self == NULL)
    return;
  g_mutex_lock (&self->mutex);
  self->stopping = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
  g_thread_join (self->thread);
  rg_milter_snapshot_release (self->current);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self->config_path);
  g_free (self->config_text);
  g_free (self);
}

RgMilterSnapshot *
rg_milter_checker_acquire (RgMilterChecker *self)
{
  RgMilterSnapshot *snapshot;

  g_mutex_lock (&self->mutex);
  snapshot = g_atomic_rc_box_acquire (self->current);
  g_mutex_unlock (&self->mutex);
  return snapshot;
}

void
rg_milter_checker_note_learned (RgMilterChecker *self,
                                guint            n_new)
{
  g_mutex_lock (&self->mutex);
  self->pending_new += n_new;
  self->pending_counts = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

void
rg_milter_checker_reload (RgMilterChecker *self)
{
  g_mutex_lock (&self->mutex);
  self->reload = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}
