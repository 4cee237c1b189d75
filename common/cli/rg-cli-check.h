/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-cli-check.h - "rcptguard check": check recipient addresses.
 */
#pragma once

int rg_cli_check_run (int argc, char **argv);
