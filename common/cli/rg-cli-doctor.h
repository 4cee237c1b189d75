/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-cli-doctor.h - "rcptguard doctor": is this desktop protected?
 */
#pragma once

int rg_cli_doctor_run (int argc, char **argv);
