/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-hmac-key.c - the per-user key of the decision log's local-part pseudonyms.
 *
 * A plain hash of "ops" would be no protection: local parts are short and guessable, and
 * anyone could hash a list of names and compare.  Keyed with 32 random bytes that only the
 * user can read, the pseudonym says "the same address as in that other record" and nothing
 * more, unless the key is handed over with the log.
 */
#define G_LOG_DOMAIN "rcptguard"

#include "rg-hmac-key.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "rg-io-error.h"

#define RG_HMAC_PREFIX "hmac-sha256:"

static gboolean
fill_random (guint8  *buf,
             gsize    len,
             GError **error)
{
  gsize done = 0;

  while (done < len)
    {
      ssize_t n = getrandom (buf + done, len - done, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved_errno = n < 0 ? errno : EIO;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       "no random bytes for the log's key: %s", g_strerror (saved_errno));
          return FALSE;
        }
      done += (gsize) n;
    }
  return TRUE;
}

/* Creates the key at @path unless it exists.  The bytes are written to a temporary file
 * first and linked to @path in one step, so that no process ever reads a key half written;
 * when another process linked its key first, that one is kept. */
static gboolean
create_key (const char  *path,
            GError     **error)
{
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *temp = g_strconcat (path, ".XXXXXX", NULL);
  guint8 key[RG_HMAC_KEY_BYTES];
  gboolean ok = FALSE;
  int fd;

  if (g_mkdir_with_parents (folder, 0700) != 0)
    return rg_set_io_error (error, errno, "cannot create the folder", folder);
  if (!fill_random (key, sizeof key, error))
    return FALSE;

  fd = g_mkstemp_full (temp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      memset (key, 0, sizeof key);
      return rg_set_io_error (error, errno, "cannot create", temp);
    }
  /* The key must survive a crash once pseudonyms made with it are in the log: one fsync (),
   * once per user. */
  errno = 0;
  if (write (fd, key, sizeof key) != (ssize_t) sizeof key)
    rg_set_io_error (error, errno != 0 ? errno : ENOSPC, "cannot write", temp);
  else if (fsync (fd) != 0)
    rg_set_io_error (error, errno, "cannot write", temp);
  else if (link (temp, path) != 0 && errno != EEXIST)
    rg_set_io_error (error, errno, "cannot create", path);
  else
    ok = TRUE;
  memset (key, 0, sizeof key);
  close (fd);
  g_unlink (temp);
  return ok;
}

/* Reads exactly RG_HMAC_KEY_BYTES from @fd, the key file at @path. */
static gboolean
read_key (int          fd,
          const char  *path,
          guint8       key[RG_HMAC_KEY_BYTES],
          GError     **error)
{
  struct stat st;
  gsize done = 0;

  if (fstat (fd, &st) != 0)
    return rg_set_io_error (error, errno, "cannot read", path);
  if (!S_ISREG (st.st_mode) || st.st_size != RG_HMAC_KEY_BYTES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s is not a key of the decision log (%u bytes expected); local parts are "
                   "left out of the log until it is moved away",
                   path, RG_HMAC_KEY_BYTES);
      return FALSE;
    }
  while (done < RG_HMAC_KEY_BYTES)
    {
      ssize_t n = read (fd, key + done, RG_HMAC_KEY_BYTES - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return rg_set_io_error (error, n < 0 ? errno : EIO, "cannot read", path);
      done += (gsize) n;
    }
  return TRUE;
}

gboolean
rg_hmac_key_load (const char *path,
                  guint8      key[RG_HMAC_KEY_BYTES],
                  GError    **error)
{
  gboolean ok;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);

  fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0 && errno == ENOENT)
    {
      if (!create_key (path, error))
        return FALSE;
      fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK);
    }
  if (fd < 0)
    return rg_set_io_error (error, errno, "cannot read", path);
  ok = read_key (fd, path, key, error);
  close (fd);
  return ok;
}

char *
rg_hmac_key_dup_pseudonym (const guint8 *key,
                           const char   *local,
                           gsize         len)
{
  g_autoptr (GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, key, RG_HMAC_KEY_BYTES);
  g_autofree char *normalised = g_utf8_normalize (local, (gssize) len, G_NORMALIZE_NFC);
  g_autofree char *lower = NULL;

  /* Local parts are case-sensitive by RFC 5321, but no mail system in use treats "Ops" and
   * "ops" as two people: one pseudonym for both.  Only ASCII letters are lowered: Unicode case
   * mapping depends on the locale (Turkish "I"), and the key must give the same pseudonym
   * everywhere.  Bytes that are not UTF-8 (g_utf8_normalize () refuses them) are taken as
   * they are. */
  if (normalised != NULL)
    lower = g_ascii_strdown (normalised, -1);
  else
    lower = g_ascii_strdown (local, (gssize) len);
  g_hmac_update (hmac, (const guchar *) lower, strlen (lower));
  return g_strconcat (RG_HMAC_PREFIX, g_hmac_get_string (hmac), NULL);
}
