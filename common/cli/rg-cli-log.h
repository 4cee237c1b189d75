/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-cli-log.h - "rcptguard log": the decisions recorded at Send, and a summary.
 */
#pragma once

int rg_cli_log_run (int argc, char **argv);
