/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-cli-doctor-policies.h - the policies.json that Thunderbird reads, for "rcptguard doctor".
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "rg-cli-doctor-check.h"

G_BEGIN_DECLS

/* The add-on's id (plugin/thunderbird/extension/manifest.json.in), by which policies name it. */
#define RG_DOCTOR_ADDON_ID "rcptguard@rcptguard.org"

/* The policy files Thunderbird reads (the first of @paths that exists), parsed. */
typedef struct _RgDoctorPolicies RgDoctorPolicies;

RgDoctorPolicies *rg_doctor_policies_load (const char *const *paths);
void rg_doctor_policies_free (RgDoctorPolicies *self);
/* The file Thunderbird reads, or NULL when none of the paths exists (or @self is NULL). */
const char *rg_doctor_policies_get_read_path (RgDoctorPolicies *self);
/* policies.3rdparty.Extensions["rcptguard@rcptguard.org"] of that file (the add-on's managed
 * settings, with "KEY:locked" members), or NULL. */
JsonObject *rg_doctor_policies_get_managed (RgDoctorPolicies *self);

/* Whether the policy files install the add-on from files that exist, and do not block it.
 * @xpi: where this build installs the add-on, for the fix. */
void rg_doctor_check_policies (RgDoctorPolicies *self, const char *xpi, RgDoctorCheck *check);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RgDoctorPolicies, rg_doctor_policies_free)

G_END_DECLS
