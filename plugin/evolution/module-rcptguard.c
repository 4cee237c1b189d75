/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The Evolution module: registers Recipient Guard's extensions of the shell and the composer.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <gmodule.h>
#include <libedataserver/libedataserver.h>

#include "rg-composer-extension.h"
#include "rg-shell-extension.h"

G_MODULE_EXPORT void e_module_load (GTypeModule *type_module);
G_MODULE_EXPORT void e_module_unload (GTypeModule *type_module);

/* Where the translations are: the installed ones.  The test-only module
 * (module-rcptguard-fault.so, never installed) takes them from $RCPTGUARD_LOCALEDIR when set,
 * so that the end-to-end test can show the dialog in German and French from the build tree. */
static const char *
get_localedir (void)
{
#ifdef RG_FAULT_INJECTION
  const char *localedir = g_getenv ("RCPTGUARD_LOCALEDIR");

  if (localedir != NULL && localedir[0] != '\0')
    return localedir;
#endif
  return LOCALEDIR;
}

G_MODULE_EXPORT void
e_module_load (GTypeModule *type_module)
{
  GModule *self;

  /* The GLib layer and the dialog register ordinary (static) types, whose code must never be
   * unloaded: keep the module resident, as Evolution keeps its own. */
  self = g_module_open (e_module_get_filename (E_MODULE (type_module)), G_MODULE_BIND_LAZY);
  if (self != NULL)
    g_module_make_resident (self);

  bindtextdomain (GETTEXT_PACKAGE, get_localedir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  /* Evolution calls this twice in one process; a dynamic type registers once per module. */
  rg_shell_extension_type_register (type_module);
  rg_composer_extension_type_register (type_module);
}

G_MODULE_EXPORT void
e_module_unload (GTypeModule *type_module)
{
}
