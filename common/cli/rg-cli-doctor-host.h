/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-cli-doctor-host.h - the native host, for "rcptguard doctor": its manifest where
 * Thunderbird looks, and the host, asked for one check.
 */
#pragma once

#include <glib.h>

#include "rg-cli-doctor-check.h"

G_BEGIN_DECLS

/* The name Thunderbird asks for (plugin/thunderbird/host/org.rcptguard.host.json.in). */
#define RG_DOCTOR_HOST_NAME "org.rcptguard.host"

/* The native host's manifest, looked for in @dirs in Thunderbird's order (the user's folder
 * first), checked as Thunderbird checks it; the host it names started and asked for one check.
 * @host: where this build installs the host, for the fix. */
void rg_doctor_check_native_host (const char *const *dirs, const char *host,
                                  RgDoctorCheck *check);

G_END_DECLS
