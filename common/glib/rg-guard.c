/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "rcptguard"

#include "rg-guard.h"

struct _RgGuard
{
  GObject parent_instance;

  RgKnownDomains *known;
  gulong changed_id;
  GCancellable *cancellable;

  /* The checker of the latest known domains, or NULL when building it failed (then
   * build_status says why, and every check fails rather than passing silently). */
  rg_checker *checker;
  rg_status build_status;
};

G_DEFINE_TYPE (RgGuard, rg_guard, G_TYPE_OBJECT)

G_DEFINE_QUARK (rg-guard-error-quark, rg_guard_error)

/* Rebuilds the checker from what is known now.  It runs in the main context, where the known
 * domains live: building the index of 50,000 domains takes tens of milliseconds (see the
 * presend benchmark), and it happens only when an address book changes, never at Send. */
static void
rg_guard_rebuild (RgGuard *self)
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
  rg_guard_rebuild (RG_GUARD (user_data));
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

RgGuard *
rg_guard_new (RgKnownDomains *known)
{
  RgGuard *self;

  g_return_val_if_fail (RG_IS_KNOWN_DOMAINS (known), NULL);

  self = g_object_new (RG_TYPE_GUARD, NULL);
  self->known = g_object_ref (known);
  self->changed_id = g_signal_connect (known, "changed", G_CALLBACK (on_known_changed), self);

  /* The built-in providers and whatever is already known, at once. */
  rg_guard_rebuild (self);
  if (!rg_known_domains_is_loaded (known))
    rg_known_domains_load_async (known, self->cancellable, on_loaded, g_object_ref (self));

  return self;
}

RgKnownDomains *
rg_guard_get_known_domains (RgGuard *self)
{
  g_return_val_if_fail (RG_IS_GUARD (self), NULL);

  return self->known;
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
