/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-autoptr.h - g_autoptr () for the core's types, which know nothing of GLib.
 */
#pragma once

#include <glib.h>

#include "rcptguard.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (rg_config, rg_config_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (rg_checker, rg_checker_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (rg_report, rg_report_free)
