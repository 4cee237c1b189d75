/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "rcptguard"

#include "rg-guard.h"

#include "rg-settings.h"

struct _RgGuard
{
  GObject parent_instance;

  RgKnownDomains *known;
  gulong changed_id;
  /* NULL: built-in defaults, no policy. */
  GSettings *settings;
  gulong settings_changed_id;
  GCancellable *cancellable;

  /* The checker of the latest known domains, or NULL when building it failed (then
   * build_status says why, and every check fails rather than passing silently). */
  rg_checker *checker;
  rg_status build_status;
};

G_DEFINE_TYPE (RgGuard, rg_guard, G_TYPE_OBJECT)

G_DEFINE_QUARK (rg-guard-error-quark, rg_guard_error)

/* Rebuilds the checker from what is known now and the settings' policy.  It runs in the main
 * context, where the known domains live: building the index of 50,000 domains takes tens of
 * milliseconds (see the presend benchmark), and it happens only when an address book or a
 * setting changes, never at Send.  @settings_changed: whether to name the refused entries of
 * the settings in the log; once per change of the settings, not at every address-book change. */
static void
rg_guard_rebuild (RgGuard  *self,
                  gboolean  settings_changed)
{
  gint64 start = g_get_monotonic_time ();
  rg_config *config = rg_config_new ();
  rg_checker *checker = NULL;
  guint skipped = 0;

  if (config == NULL)
    {
      self->build_status = RG_E_NOMEM;
      return;
    }
  if (self->settings != NULL)
    {
      g_auto (GStrv) refused = rg_settings_apply (self->settings, config);

      /* The rest of the policy still applies; the administrator finds the entry named here
       * (and "rcptguard policy" shows the lists as they are). */
      for (guint i = 0; settings_changed && refused != NULL && refused[i] != NULL; i++)
        g_warning ("Recipient Guard ignores the setting %s", refused[i]);
    }
  skipped = rg_known_domains_add_to_config (self->known, config);
  self->build_status = rg_checker_new (config, &checker);
  rg_config_free (config);

  if (self->build_status != RG_OK)
    {
      /* Keep no stale checker either: a check that cannot see the current known domains must
       * say so (on-error), not answer from an old list. */
      g_warning ("Recipient Guard could not build its checker: %s",
                 rg_strerror (self->build_status));
      g_clear_pointer (&self->checker, rg_checker_free);
      return;
    }

  g_clear_pointer (&self->checker, rg_checker_free);
  self->checker = checker;
  g_debug ("checker built: %u contact domains (%u skipped) in %.1f ms%s",
           rg_known_domains_get_n_domains (self->known), skipped,
           (g_get_monotonic_time () - start) / 1000.0,
           rg_known_domains_is_loaded (self->known) ? "" : ", address books still loading");
}

static void
on_known_changed (RgKnownDomains *known,
                  gpointer        user_data)
{
  rg_guard_rebuild (RG_GUARD (user_data), FALSE);
}

/* "change-event" comes once for a change of several keys (a "dconf update" of the system
 * database, a reset), where "changed" would come once per key: one rebuild, not several.
 * @keys is NULL when anything may have changed. */
static gboolean
on_settings_change_event (GSettings    *settings,
                          const GQuark *keys,
                          int           n_keys,
                          gpointer      user_data)
{
  RgGuard *self = RG_GUARD (user_data);
  gboolean rebuild = keys == NULL;

  for (int i = 0; !rebuild && i < n_keys; i++)
    rebuild = rg_settings_key_affects_config (g_quark_to_string (keys[i]));
  if (rebuild)
    rg_guard_rebuild (self, TRUE);

  /* Let GSettings emit "changed" as well, for other listeners. */
  return FALSE;
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr (RgGuard) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!rg_known_domains_load_finish (RG_KNOWN_DOMAINS (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Recipient Guard could not read the address books: %s", error->message);
      return;
    }
  /* The known domains said "changed" as they finished, and the checker was rebuilt then. */
  g_debug ("checker ready: address books loaded");
}

static void
rg_guard_dispose (GObject *object)
{
  RgGuard *self = RG_GUARD (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_signal_handler (&self->changed_id, self->known);
  g_clear_object (&self->known);
  g_clear_signal_handler (&self->settings_changed_id, self->settings);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (rg_guard_parent_class)->dispose (object);
}

static void
rg_guard_finalize (GObject *object)
{
  RgGuard *self = RG_GUARD (object);

  g_clear_pointer (&self->checker, rg_checker_free);

  G_OBJECT_CLASS (rg_guard_parent_class)->finalize (object);
}

static void
rg_guard_class_init (RgGuardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rg_guard_dispose;
  object_class->finalize = rg_guard_finalize;
}

static void
rg_guard_init (RgGuard *self)
{
  self->cancellable = g_cancellable_new ();
  self->build_status = RG_E_INTERNAL;
}

/**
 * rg_guard_new:
 * @known: the known domains; referenced
 * @settings: (nullable): settings of the schema %RG_SETTINGS_SCHEMA_ID; referenced, and
 *   followed: a change of a key that shapes the checker rebuilds it.  %NULL: the core's
 *   defaults and no policy.
 *
 * Returns: (transfer full): a guard with a checker built at once from the built-in providers,
 * the settings and whatever @known already holds; @known starts loading unless it has.
 * Since: 0.1
 */
RgGuard *
rg_guard_new (RgKnownDomains *known,
              GSettings      *settings)
{
  RgGuard *self;

  g_return_val_if_fail (RG_IS_KNOWN_DOMAINS (known), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (RG_TYPE_GUARD, NULL);
  self->known = g_object_ref (known);
  self->changed_id = g_signal_connect (known, "changed", G_CALLBACK (on_known_changed), self);
  if (settings != NULL)
    {
      /* Connected before the first rebuild reads the keys: GSettings reports changes of a
       * key only once it has been read with a handler connected. */
      self->settings = g_object_ref (settings);
      self->settings_changed_id = g_signal_connect (settings, "change-event",
                                                    G_CALLBACK (on_settings_change_event),
                                                    self);
    }

  /* The built-in providers and whatever is already known, at once. */
  rg_guard_rebuild (self, TRUE);
  if (!rg_known_domains_is_loaded (known))
    rg_known_domains_load_async (known, self->cancellable, on_loaded, g_object_ref (self));

  return self;
}

/**
 * rg_guard_new_for_user:
 * @known: the known domains; referenced
 *
 * What Evolution uses: rg_guard_new () with the user's settings.  Without the schema the
 * guard still checks, with the built-in defaults, and the log says why the policy is missing.
 * A backend other than dconf is said in the log too: the administrator's policy and locks do
 * not apply then, and nothing else would tell.
 *
 * Returns: (transfer full): the guard.
 * Since: 0.1
 */
RgGuard *
rg_guard_new_for_user (RgKnownDomains *known)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSettings) settings = rg_settings_new (&error);

  if (settings == NULL)
    g_warning ("Recipient Guard checks with its built-in defaults: %s", error->message);
  else if (!rg_settings_backend_is_dconf ())
    g_message ("Recipient Guard's settings are stored by %s, not dconf: the administrator's "
               "settings and locks do not apply", rg_settings_get_backend_name ());
  return rg_guard_new (known, settings);
}

RgKnownDomains *
rg_guard_get_known_domains (RgGuard *self)
{
  g_return_val_if_fail (RG_IS_GUARD (self), NULL);

  return self->known;
}

GSettings *
rg_guard_get_settings (RgGuard *self)
{
  g_return_val_if_fail (RG_IS_GUARD (self), NULL);

  return self->settings;
}

/**
 * rg_guard_get_enabled:
 *
 * Read at each call (GSettings answers from memory): a user who turns checking off in the
 * preferences is not checked at the next Send.
 *
 * Returns: whether recipients are to be checked.
 * Since: 0.1
 */
gboolean
rg_guard_get_enabled (RgGuard *self)
{
  g_return_val_if_fail (RG_IS_GUARD (self), TRUE);

  if (self->settings == NULL)
    return TRUE;
  return g_settings_get_boolean (self->settings, "enabled");
}

/**
 * rg_guard_get_allow_block_override:
 *
 * Returns: whether the user may send to a blocked recipient anyway.
 * Since: 0.1
 */
gboolean
rg_guard_get_allow_block_override (RgGuard *self)
{
  g_return_val_if_fail (RG_IS_GUARD (self), FALSE);

  if (self->settings == NULL)
    return FALSE;
  return g_settings_get_boolean (self->settings, "allow-block-override");
}

rg_report *
rg_guard_check (RgGuard            *self,
                const char *const  *lists,
                gsize               n_lists,
                GError            **error)
{
  rg_report *report = NULL;
  rg_status status;

  g_return_val_if_fail (RG_IS_GUARD (self), NULL);

  if (self->checker == NULL)
    status = self->build_status;
  else
    status = rg_checker_check (self->checker, lists, n_lists, &report);

  if (status != RG_OK)
    {
      g_set_error (error, RG_GUARD_ERROR, status, "%s", rg_strerror (status));
      return NULL;
    }
  return report;
}
