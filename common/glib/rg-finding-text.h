/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Translated sentences about a finding, for people at the Send button.  The core's messages
 * are English by design; these are built from the same facts (reason code, domains, the
 * suggested domain's count, rg_tld_country()) in the gettext domain "rcptguard", with country
 * names translated through iso-codes' "iso_3166-1" domain.
 */
#pragma once

#include <gio/gio.h>
#include <rcptguard.h>

G_BEGIN_DECLS

/* One sentence (or two joined with "; ") on why @finding was flagged, e.g. "army.ml is one
 * letter away from army.mil, which 214 of your contacts use; .ml is the country domain of
 * Mali".  @policy_locked: whether the administrator locked the setting behind a policy
 * finding (rg_finding_get_policy_key()); a locked list is the administrator's ("Your
 * administrator does not allow mail to shop.nl"), an open one the user's ("You asked never
 * to send mail to shop.nl").  Ignored for the other reasons.  Never NULL; free with
 * g_free(). */
char *rg_finding_dup_description (const rg_finding *finding, gboolean policy_locked);

/* The settings key whose list flagged @finding ("block-domains", "warn-domains"), or NULL
 * when its main reason is not a policy. */
const char *rg_finding_get_policy_key (const rg_finding *finding);

/* Whether @settings (nullable: no settings, no lock) lock the key of
 * rg_finding_get_policy_key(); FALSE for a finding that is not a policy's. */
gboolean rg_finding_is_policy_locked (const rg_finding *finding, GSettings *settings);

/* A short translated label of the verdict: "Looks like a slip", "Blocked by policy", ... */
const char *rg_verdict_get_label (rg_verdict verdict);

G_END_DECLS
