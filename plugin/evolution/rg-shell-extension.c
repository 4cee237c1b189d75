/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rg-shell-extension.h"

struct _RgShellExtension
{
  EExtension parent_instance;

  RgGuard *guard;
};

G_DEFINE_DYNAMIC_TYPE (RgShellExtension, rg_shell_extension, E_TYPE_EXTENSION)

static void
rg_shell_extension_constructed (GObject *object)
{
  RgShellExtension *self = RG_SHELL_EXTENSION (object);
  g_autoptr (RgKnownDomains) known = rg_known_domains_new ();

  G_OBJECT_CLASS (rg_shell_extension_parent_class)->constructed (object);

  /* Loading starts now, in the background, so that it is done long before the first Send. */
  self->guard = rg_guard_new (known);
}

static void
rg_shell_extension_dispose (GObject *object)
{
  RgShellExtension *self = RG_SHELL_EXTENSION (object);

  g_clear_object (&self->guard);

  G_OBJECT_CLASS (rg_shell_extension_parent_class)->dispose (object);
}

static void
rg_shell_extension_class_init (RgShellExtensionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  EExtensionClass *extension_class = E_EXTENSION_CLASS (klass);

  object_class->constructed = rg_shell_extension_constructed;
  object_class->dispose = rg_shell_extension_dispose;
  extension_class->extensible_type = E_TYPE_SHELL;
}

static void
rg_shell_extension_class_finalize (RgShellExtensionClass *klass)
{
}

static void
rg_shell_extension_init (RgShellExtension *self)
{
}

void
rg_shell_extension_type_register (GTypeModule *type_module)
{
  /* A second copy of the module (say, from a second prefix) must not register the name
   * again; the first copy does the work. */
  if (rg_shell_extension_get_type () == 0 && g_type_from_name ("RgShellExtension") != 0)
    return;
  rg_shell_extension_register_type (type_module);
}

RgGuard *
rg_shell_extension_get_guard (EShell *shell)
{
  g_autoptr (GList) extensions = NULL;

  g_return_val_if_fail (E_IS_SHELL (shell), NULL);

  extensions = e_extensible_list_extensions (E_EXTENSIBLE (shell), RG_TYPE_SHELL_EXTENSION);
  if (extensions == NULL)
    return NULL;
  return RG_SHELL_EXTENSION (extensions->data)->guard;
}
