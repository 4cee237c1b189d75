/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-cli-doctor-settings.h - the settings, for "rcptguard doctor": schema, backend, checking,
 * locks and lists.
 */
#pragma once

#include <gio/gio.h>

#include "rg-cli-doctor-check.h"
#include "rg-cli-doctor-policies.h"

G_BEGIN_DECLS

/* Each takes @policies NULL when Thunderbird is not installed, @settings NULL without the
 * schema (then the check is skipped). */
GSettings *rg_doctor_check_schema (const char *schema_dir, RgDoctorCheck *check);
void rg_doctor_check_backend (RgDoctorCheck *check);
void rg_doctor_check_checking (GSettings *settings, gboolean evolution_installed,
                               gboolean thunderbird_installed, RgDoctorPolicies *policies,
                               RgDoctorCheck *check);
void rg_doctor_check_locks (GSettings *settings, RgDoctorPolicies *policies,
                            RgDoctorCheck *check);
void rg_doctor_check_lists (GSettings *settings, RgDoctorPolicies *policies,
                            RgDoctorCheck *check);

G_END_DECLS
