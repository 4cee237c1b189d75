/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-cli-policy.h - "rcptguard policy": the settings in force, where each comes from, and
 * whether it is locked.
 */
#pragma once

int rg_cli_policy_run (int argc, char **argv);
