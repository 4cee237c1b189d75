/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-cli-doctor-evolution.h - Evolution's part, for "rcptguard doctor": the module, and the
 * address books.
 */
#pragma once

#include "rg-cli-doctor-check.h"

G_BEGIN_DECLS

void rg_doctor_check_evolution_module (const char *module_dir, const char *module_name,
                                       const char *lib_dir, RgDoctorCheck *check);
/* The child process of the module check (rcptguard doctor --probe-module=PATH): never
 * returns. */
void rg_doctor_probe_module (const char *path) G_GNUC_NORETURN;
void rg_doctor_check_address_books (RgDoctorCheck *check);

G_END_DECLS
