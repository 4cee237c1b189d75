/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-hmac-key.h - the per-user key that turns a local part into a pseudonym for the decision
 * log: the same address is recognisable from record to record, but not readable, and the
 * pseudonyms of two users cannot be compared.
 */
#pragma once

#include <glib.h>

#include "rg-decision-record.h"

G_BEGIN_DECLS

/* Reads the key from @path (exactly RG_HMAC_KEY_BYTES bytes), creating it first when there
 * is none: random bytes (getrandom ()), mode 0600, in a folder created 0700.  Two processes
 * creating it at once agree on one key.  An existing file of another size is an error, never
 * replaced: the pseudonyms already in the log depend on it. */
gboolean rg_hmac_key_load (const char *path,
                           guint8      key[RG_HMAC_KEY_BYTES],
                           GError    **error);

/* "hmac-sha256:" and 64 lower-case hex digits: HMAC-SHA256 under @key of the local part
 * @local (@len bytes), normalised first (Unicode NFC, then ASCII letters in lower case).
 * Free with g_free (). */
char *rg_hmac_key_dup_pseudonym (const guint8 *key,
                                 const char   *local,
                                 gsize         len);

G_END_DECLS
