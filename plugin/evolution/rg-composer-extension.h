/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * RgComposerExtension: checks every recipient of a composer when Send is pressed (the
 * synchronous "presend" signal) and asks the user, with RgConfirmDialog, when one looks like
 * a slip or is blocked.
 */
#pragma once

#include <composer/e-msg-composer.h>

G_BEGIN_DECLS

#define RG_TYPE_COMPOSER_EXTENSION (rg_composer_extension_get_type ())
G_DECLARE_FINAL_TYPE (RgComposerExtension, rg_composer_extension, RG, COMPOSER_EXTENSION,
                      EExtension)

void rg_composer_extension_type_register (GTypeModule *type_module);

G_END_DECLS
