/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "rg-preferences-page.h"
#include "rg-settings.h"
#include "rg-shell-extension.h"

/* Where the page sits in Edit → Preferences: right after "Composer Preferences" (400) and
 * before "Network Preferences" (500), next to the other settings about sending. */
#define PREFERENCES_SORT_ORDER 450

struct _RgShellExtension
{
  EExtension parent_instance;

  RgGuard *guard;
  RgDecisionLog *log;
  gboolean preferences_added;
};

G_DEFINE_DYNAMIC_TYPE (RgShellExtension, rg_shell_extension, E_TYPE_EXTENSION)

/* Called when the user first opens Edit → Preferences (Evolution builds its pages lazily).
 * The page holds settings of its own and releases them with the window. */
static GtkWidget *
create_preferences_page (EPreferencesWindow *window)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSettings) settings = rg_settings_new (&error);

  /* A missing schema is an installation problem: say so on the page. */
  if (settings == NULL)
    return rg_preferences_page_new_unavailable (error->message);
  return rg_preferences_page_new (settings);
}

/* The preferences window takes pages once the shell is ready to start; the shell's own
 * backends add theirs in the same way. */
static void
on_ready_to_start (EShell   *shell,
                   gpointer  event_data,
                   gpointer  user_data)
{
  RgShellExtension *self = RG_SHELL_EXTENSION (user_data);
  GtkWidget *window;

  if (self->preferences_added)
    return;
  window = e_shell_get_preferences_window (shell);
  if (!E_IS_PREFERENCES_WINDOW (window))
    return;

  self->preferences_added = TRUE;
  e_preferences_window_add_page (E_PREFERENCES_WINDOW (window), "rcptguard", "mail-send",
                                 /* Translators: the name of the product, in the list of
                                  * Evolution's preferences pages; usually not translated. */
                                 _("Recipient Guard"), NULL, create_preferences_page,
                                 PREFERENCES_SORT_ORDER);
}

static void
rg_shell_extension_constructed (GObject *object)
{
  RgShellExtension *self = RG_SHELL_EXTENSION (object);
  g_autoptr (RgKnownDomains) known = rg_known_domains_new ();

  G_OBJECT_CLASS (rg_shell_extension_parent_class)->constructed (object);

  g_signal_connect_object (e_extension_get_extensible (E_EXTENSION (self)),
                           "event::ready-to-start", G_CALLBACK (on_ready_to_start), self, 0);

  /* Loading starts now, in the background, so that it is done long before the first Send. */
  self->guard = rg_guard_new_for_user (known);
  self->log = rg_decision_log_new (rg_guard_get_settings (self->guard), "evolution");
}

static void
rg_shell_extension_dispose (GObject *object)
{
  RgShellExtension *self = RG_SHELL_EXTENSION (object);

  g_clear_object (&self->log);
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

static RgShellExtension *
get_extension (EShell *shell)
{
  g_autoptr (GList) extensions = NULL;

  extensions = e_extensible_list_extensions (E_EXTENSIBLE (shell), RG_TYPE_SHELL_EXTENSION);
  return extensions != NULL ? extensions->data : NULL;
}

RgDecisionLog *
rg_shell_extension_get_log (EShell *shell)
{
  RgShellExtension *self;

  g_return_val_if_fail (E_IS_SHELL (shell), NULL);

  self = get_extension (shell);
  return self != NULL ? self->log : NULL;
}

RgGuard *
rg_shell_extension_get_guard (EShell *shell)
{
  RgShellExtension *self;

  g_return_val_if_fail (E_IS_SHELL (shell), NULL);

  self = get_extension (shell);
  return self != NULL ? self->guard : NULL;
}
