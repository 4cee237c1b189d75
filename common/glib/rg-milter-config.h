/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-milter-config.h - the configuration of rcptguard-milter, /etc/rcptguard/milter.conf: the
 * desktop schema's policy keys (group [policy], same names, same meanings, same validation)
 * and the milter's own keys (group [milter]).  Read by the milter at start and on SIGHUP,
 * and by "rcptguard policy --milter", so that both say the same thing of one file.
 */
#pragma once

#include <gio/gio.h>
#include <rcptguard.h>

#include "rg-decision-record.h"
#include "rg-settings.h"

G_BEGIN_DECLS

/* /etc/rcptguard/milter.conf where sysconfdir is /etc. */
#define RG_MILTER_CONFIG_FILE_NAME "milter.conf"

/* At most this many entries of one list are taken (as rg-settings.c caps the policy lists):
 * longer lists belong in the learned store. */
#define RG_MILTER_CONFIG_MAX_ENTRIES 1000

/* The config file is at most this large: an administrator's file is a few KiB. */
#define RG_MILTER_CONFIG_MAX_BYTES (1024 * 1024)

/* What to do with a message whose verdict is warn. */
typedef enum {
  RG_WARN_ACTION_REJECT_ONCE, /* "reject-once": 550 5.1.0; the same sender and recipient
                                 within reject-once-hours passes */
  RG_WARN_ACTION_HOLD,        /* "hold": Postfix's hold queue (smfi_quarantine) */
  RG_WARN_ACTION_TAG,         /* "tag": delivered with an X-Recipient-Guard header */
  RG_WARN_ACTION_ACCEPT,      /* "accept": delivered, only logged */
} RgWarnAction;

typedef struct {
  /* [policy] */
  char **trusted_domains; /* as written, the refused entries left out; NULL-terminated */
  char **known_domains;
  char **warn_domains;
  char **block_domains;
  RgOnError on_error;
  gboolean check_lookalikes;
  gboolean notice_new_domains;
  gboolean log_decisions;
  RgLocalParts log_local_parts;

  /* [milter] */
  char **organisation_domains;
  char **organisation_networks;  /* as written, the refused entries left out */
  GPtrArray *networks;           /* of GInetAddressMask, parsed from the above */
  RgWarnAction warn_action;
  guint reject_once_hours;
  gboolean accept_confirmations;

  /* What was wrong with the file, one English sentence each ("block-domains 'a..b': ..."):
   * entries skipped, unknown values replaced by the default.  NULL-terminated, maybe empty. */
  char **problems;
  /* The file read, or NULL for the built-in defaults (no file). */
  char *path;
} RgMilterConfig;

/* The defaults, as if the file were empty. */
RgMilterConfig *rg_milter_config_new_default (void);

/* Reads @path.  A missing file gives the defaults (with a problem saying so) when
 * @missing_ok, else an error; a file that is not a key file is an error; bad entries and
 * values are skipped and listed in ->problems.  Never aborts. */
RgMilterConfig *rg_milter_config_load (const char *path, gboolean missing_ok, GError **error);

/* The same from text in memory (tests, fuzzing); @path is only recorded. */
RgMilterConfig *rg_milter_config_load_data (const char *data, gsize len, const char *path,
                                            GError **error);

void rg_milter_config_free (RgMilterConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RgMilterConfig, rg_milter_config_free)

/* Adds the policy to @config: trusted, warn and block lists as policies; known-domains and
 * trusted-domains as the administrator's evidence; organisation-domains as identities; the
 * flags (built-in providers always).  Every entry was validated when read. */
void rg_milter_config_apply (const RgMilterConfig *self, rg_config *config);

/* Whether @address (numeric, IPv4 or IPv6) is in organisation-networks; FALSE for text that
 * is not an address. */
gboolean rg_milter_config_in_networks (const RgMilterConfig *self, const char *address);

/* Whether @domain (ASCII, any case) is an organisation domain or a subdomain of one. */
gboolean rg_milter_config_is_organisation_domain (const RgMilterConfig *self,
                                                  const char *domain);

const char *rg_warn_action_to_string (RgWarnAction action);
gboolean rg_warn_action_from_string (const char *text, RgWarnAction *action);
const char *rg_on_error_to_string (RgOnError on_error);

G_END_DECLS
