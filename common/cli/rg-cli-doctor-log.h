/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-cli-doctor-log.h - the decision log, for "rcptguard doctor".
 */
#pragma once

#include <gio/gio.h>

#include "rg-cli-doctor-check.h"

G_BEGIN_DECLS

void rg_doctor_check_decision_log (GSettings *settings, RgDoctorCheck *check);

G_END_DECLS
