/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-milter-store.c - learned domains and reject-once confirmations in SQLite.
 *
 * Why SQLite (WAL) and not LMDB: both are embedded, crash-safe and fast enough by far (the
 * milter writes a few rows per message, and reads the whole set only when it rebuilds its
 * checker).  SQLite wins on what an administrator and a reviewer live with: one file that
 * grows as it needs to (LMDB needs a map size chosen in advance, and a full map is an error
 * at the worst time), readers and a writer from several processes at once without a lock
 * file of our own ("learn" while the milter runs), a schema with two tables and an upsert
 * instead of hand-made keys and values, the sqlite3 shell for inspection and repair
 * ("PRAGMA integrity_check"), and it is in every distribution's base.  WAL mode with
 * synchronous=NORMAL makes a commit an append to the log without an fsync: a power cut may
 * lose the last commits (a few counts), never corrupt the file; a killed process loses
 * nothing committed.  LMDB's edge, reads without any lock, does not matter here: the hot
 * path reads the checker built in memory, not the store.
 */
#define G_LOG_DOMAIN "rcptguard-milter"

#include "rg-milter-store.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

/* How long a writer waits for another process's transaction (learn's batches are short). */
#define RG_STORE_BUSY_TIMEOUT_MS 10000

struct _RgMilterStore
{
  GMutex mutex;
  sqlite3 *db;
  char *path;
  sqlite3_stmt *insert_domain;
  sqlite3_stmt *update_domain;
  sqlite3_stmt *get_count;
  sqlite3_stmt *remember;
  sqlite3_stmt *is_remembered;
  sqlite3_stmt *purge;
};

static const char schema[] =
  "CREATE TABLE IF NOT EXISTS domains ("
  "  domain TEXT PRIMARY KEY NOT NULL,"
  "  count INTEGER NOT NULL CHECK (count >= 0)"
  ") WITHOUT ROWID;"
  "CREATE TABLE IF NOT EXISTS confirmations ("
  "  sender TEXT NOT NULL,"
  "  recipient TEXT NOT NULL,"
  "  expires INTEGER NOT NULL,"
  "  PRIMARY KEY (sender, recipient)"
  ") WITHOUT ROWID;";

static void
set_db_error (GError     **error,
              sqlite3     *db,
              const char  *path,
              const char  *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s: %s", path, what,
               db != NULL ? sqlite3_errmsg (db) : "out of memory");
}

static gboolean
exec (RgMilterStore *self,
      const char    *sql,
      GError       **error)
{
  char *message = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", self->path,
                   message != NULL ? message : "failed");
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
prepare (RgMilterStore  *self,
         const char     *sql,
         sqlite3_stmt  **out,
         GError        **error)
{
  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL) != SQLITE_OK)
    {
      set_db_error (error, self->db, self->path, "prepare");
      return FALSE;
    }
  return TRUE;
}

void
rg_milter_store_close (RgMilterStore *self)
{
  if (self == NULL)
    return;
  sqlite3_finalize (self->insert_domain);
  sqlite3_finalize (self->update_domain);
  sqlite3_finalize (self->get_count);
  sqlite3_finalize (self->remember);
  sqlite3_finalize (self->is_remembered);
  sqlite3_finalize (self->purge);
  sqlite3_close (self->db);
  g_mutex_clear (&self->mutex);
  g_free (self->path);
  g_free (self);
}

RgMilterStore *
rg_milter_store_open (const char *dir,
                      GError    **error)
{
  g_autoptr (RgMilterStore) self = g_new0 (RgMilterStore, 1);

  g_return_val_if_fail (dir != NULL, NULL);

  g_mutex_init (&self->mutex);
  self->path = g_build_filename (dir, RG_MILTER_STORE_FILE, NULL);
  if (g_mkdir_with_parents (dir, 0750) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", dir,
                   g_strerror (saved));
      return NULL;
    }
  if (sqlite3_open_v2 (self->path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                       NULL) != SQLITE_OK)
    {
      set_db_error (error, self->db, self->path, "open");
      return NULL;
    }
  sqlite3_busy_timeout (self->db, RG_STORE_BUSY_TIMEOUT_MS);
  /* WAL: readers never wait for the writer, a commit is an append; NORMAL: no fsync per
   * commit in WAL mode, still never a corrupt file (see the comment at the top). */
  if (!exec (self, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", error)
      || !exec (self, schema, error)
      || !prepare (self, "INSERT OR IGNORE INTO domains (domain, count) VALUES (?1, ?2)",
                   &self->insert_domain, error)
      || !prepare (self, "UPDATE domains SET count = min(count + ?2, 4294967295) "
                   "WHERE domain = ?1", &self->update_domain, error)
      || !prepare (self, "SELECT count FROM domains WHERE domain = ?1", &self->get_count, error)
      || !prepare (self, "INSERT INTO confirmations (sender, recipient, expires) "
                   "VALUES (?1, ?2, ?3) ON CONFLICT (sender, recipient) "
                   "DO UPDATE SET expires = excluded.expires", &self->remember, error)
      || !prepare (self, "SELECT 1 FROM confirmations WHERE sender = ?1 AND recipient = ?2 "
                   "AND expires > ?3", &self->is_remembered, error)
      || !prepare (self, "DELETE FROM confirmations WHERE expires <= ?1", &self->purge, error))
    return NULL;
  return g_steal_pointer (&self);
}

const char *
rg_milter_store_get_path (RgMilterStore *self)
{
  return self->path;
}

static gboolean
step_done (RgMilterStore *self,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      set_db_error (error, self->db, self->path, "write");
      return FALSE;
    }
  return TRUE;
}

gboolean
rg_milter_store_add_domains (RgMilterStore     *self,
                             const char *const *domains,
                             const uint32_t    *counts,
                             gsize              n,
                             guint             *n_new,
                             GError           **error)
{
  gboolean ok = TRUE;
  guint added = 0;

  if (n_new != NULL)
    *n_new = 0;
  if (n == 0)
    return TRUE;
  g_mutex_lock (&self->mutex);
  /* IMMEDIATE: take the write lock now, so that a busy database is waited for here (busy
   * timeout) rather than failing halfway. */
  ok = exec (self, "BEGIN IMMEDIATE", error);
  for (gsize i = 0; ok && i < n; i++)
    {
      sqlite3_int64 count = counts != NULL ? counts[i] : 1;

      sqlite3_bind_text (self->insert_domain, 1, domains[i], -1, SQLITE_STATIC);
      sqlite3_bind_int64 (self->insert_domain, 2, count);
      ok = step_done (self, self->insert_domain, error);
      if (ok && sqlite3_changes (self->db) == 1)
        {
          added++;
          continue;
        }
      if (ok)
        {
          sqlite3_bind_text (self->update_domain, 1, domains[i], -1, SQLITE_STATIC);
          sqlite3_bind_int64 (self->update_domain, 2, count);
          ok = step_done (self, self->update_domain, error);
        }
    }
  if (ok)
    ok = exec (self, "COMMIT", error);
  else
    (void) exec (self, "ROLLBACK", NULL);
  g_mutex_unlock (&self->mutex);
  if (ok && n_new != NULL)
    *n_new = added;
  return ok;
}

gboolean
rg_milter_store_foreach_domain (RgMilterStore           *self,
                                RgMilterStoreDomainFunc  func,
                                gpointer                 data,
                                GError                 **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_mutex_lock (&self->mutex);
  if (sqlite3_prepare_v2 (self->db, "SELECT domain, count FROM domains", -1, &stmt, NULL)
      != SQLITE_OK)
    {
      set_db_error (error, self->db, self->path, "read");
      g_mutex_unlock (&self->mutex);
      return FALSE;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *domain = (const char *) sqlite3_column_text (stmt, 0);
      sqlite3_int64 count = sqlite3_column_int64 (stmt, 1);

      if (domain != NULL)
        func (domain, (uint32_t) CLAMP (count, 0, (sqlite3_int64) UINT32_MAX), data);
    }
  if (rc != SQLITE_DONE)
    set_db_error (error, self->db, self->path, "read");
  sqlite3_finalize (stmt);
  g_mutex_unlock (&self->mutex);
  return rc == SQLITE_DONE;
}

gboolean
rg_milter_store_get_totals (RgMilterStore *self,
                            gint64        *n_domains,
                            gint64        *n_uses,
                            GError       **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;

  g_mutex_lock (&self->mutex);
  if (sqlite3_prepare_v2 (self->db, "SELECT count(*), coalesce(sum(count), 0) FROM domains",
                          -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    {
      *n_domains = sqlite3_column_int64 (stmt, 0);
      *n_uses = sqlite3_column_int64 (stmt, 1);
      ok = TRUE;
    }
  else
    set_db_error (error, self->db, self->path, "read");
  sqlite3_finalize (stmt);
  g_mutex_unlock (&self->mutex);
  return ok;
}

uint32_t
rg_milter_store_get_count (RgMilterStore *self,
                           const char    *domain)
{
  uint32_t count = 0;

  g_mutex_lock (&self->mutex);
  sqlite3_bind_text (self->get_count, 1, domain, -1, SQLITE_STATIC);
  if (sqlite3_step (self->get_count) == SQLITE_ROW)
    count = (uint32_t) CLAMP (sqlite3_column_int64 (self->get_count, 0), 0,
                              (sqlite3_int64) UINT32_MAX);
  sqlite3_reset (self->get_count);
  sqlite3_clear_bindings (self->get_count);
  g_mutex_unlock (&self->mutex);
  return count;
}

gboolean
rg_milter_store_remember (RgMilterStore *self,
                          const char    *sender,
                          const char    *recipient,
                          gint64         expires,
                          GError       **error)
{
  gboolean ok;

  g_mutex_lock (&self->mutex);
  sqlite3_bind_text (self->remember, 1, sender, -1, SQLITE_STATIC);
  sqlite3_bind_text (self->remember, 2, recipient, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (self->remember, 3, expires);
  ok = step_done (self, self->remember, error);
  g_mutex_unlock (&self->mutex);
  return ok;
}

gboolean
rg_milter_store_is_remembered (RgMilterStore *self,
                               const char    *sender,
                               const char    *recipient,
                               gint64         now)
{
  gboolean found;

  g_mutex_lock (&self->mutex);
  sqlite3_bind_text (self->is_remembered, 1, sender, -1, SQLITE_STATIC);
  sqlite3_bind_text (self->is_remembered, 2, recipient, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (self->is_remembered, 3, now);
  found = sqlite3_step (self->is_remembered) == SQLITE_ROW;
  sqlite3_reset (self->is_remembered);
  sqlite3_clear_bindings (self->is_remembered);
  g_mutex_unlock (&self->mutex);
  return found;
}

gint64
rg_milter_store_purge (RgMilterStore *self,
                       gint64         now)
{
  gint64 n = 0;

  g_mutex_lock (&self->mutex);
  sqlite3_bind_int64 (self->purge, 1, now);
  if (sqlite3_step (self->purge) == SQLITE_DONE)
    n = sqlite3_changes (self->db);
  sqlite3_reset (self->purge);
  sqlite3_clear_bindings (self->purge);
  g_mutex_unlock (&self->mutex);
  return n;
}

const char *
rg_milter_store_default_dir (void)
{
  const char *dir = g_getenv ("STATE_DIRECTORY");

  if (dir != NULL && *dir != '\0' && strchr (dir, ':') == NULL)
    return dir;
  return RG_MILTER_DEFAULT_STATE_DIR;
}
