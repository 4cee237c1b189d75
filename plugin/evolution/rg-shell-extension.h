/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * RgShellExtension: lives as long as Evolution's shell and owns the one RgGuard of the
 * process, so that its address books load once, at start, and every composer checks with it.
 */
#pragma once

#include <shell/e-shell.h>

#include "rg-decision-log.h"
#include "rg-guard.h"

G_BEGIN_DECLS

#define RG_TYPE_SHELL_EXTENSION (rg_shell_extension_get_type ())
G_DECLARE_FINAL_TYPE (RgShellExtension, rg_shell_extension, RG, SHELL_EXTENSION, EExtension)

void rg_shell_extension_type_register (GTypeModule *type_module);

/* The guard of @shell's extension, or NULL when the extension is not there; borrowed. */
RgGuard *rg_shell_extension_get_guard (EShell *shell);

/* The decision log of @shell's extension (client "evolution"), or NULL; borrowed. */
RgDecisionLog *rg_shell_extension_get_log (EShell *shell);

G_END_DECLS
