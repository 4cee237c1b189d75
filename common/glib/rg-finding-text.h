/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Translated sentences about a finding, for people at the Send button.  The core's messages
 * are English by design; these are built from the same facts (reason code, domains, the
 * suggested domain's count, rg_tld_country()) in the gettext domain "rcptguard", with country
 * names translated through iso-codes' "iso_3166-1" domain.
 */
#pragma once

#include <glib.h>
#include <rcptguard.h>

G_BEGIN_DECLS

/* One sentence (or two joined with "; ") on why @finding was flagged, e.g. "army.ml is one
 * letter away from army.mil, which 214 of your contacts use; .ml is the country domain of
 * Mali".  Never NULL; free with g_free(). */
char *rg_finding_dup_description (const rg_finding *finding);

/* A short translated label of the verdict: "Looks like a slip", "Blocked by policy", ... */
const char *rg_verdict_get_label (rg_verdict verdict);

G_END_DECLS
