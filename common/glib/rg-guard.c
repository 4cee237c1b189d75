/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "rcptguard"

#include "rg-guard.h"

#include <string.h>

#include "rg-settings.h"

/* A checker shared by the guard and the checks running on it (an atomic reference-counted
 * box holding the pointer): the guard replaces its checker when the settings or the address
 * books change, possibly while a check that outlived its budget still runs on the old one. */
typedef rg_checker *RgCheckerRef;

static void
checker_ref_clear (gpointer data)
{
  RgCheckerRef *ref = data;

  g_clear_pointer (ref, rg_checker_free);
}

static RgCheckerRef *
checker_ref_new (rg_checker *checker)
{
  RgCheckerRef *ref = g_atomic_rc_box_new (RgCheckerRef);

  *ref = checker;
  return ref;
}

static void
checker_ref_release (RgCheckerRef *ref)
{
  g_atomic_rc_box_release_full (ref, checker_ref_clear);
}

struct _RgGuard
{
  GObject parent_instance;

  /* NULL for a guard over a fixed config. */
  RgKnownDomains *known;
  gulong changed_id;
  /* NULL: built-in defaults, no policy. */
  GSettings *settings;
  gulong settings_changed_id;
  GCancellable *cancellable;

  /* The checker of the latest known domains, or NULL when building it failed (then
   * build_status says why, and every check fails rather than passing silently). */
  RgCheckerRef *checker;
  rg_status build_status;
};

G_DEFINE_TYPE (RgGuard, rg_guard, G_TYPE_OBJECT)

G_DEFINE_QUARK (rg-guard-error-quark, rg_guard_error)

/* ---------------------------------------------------------------------------------------- */
/* Fault injection: compiled only into the test variants (and with -Dfault_injection=true).  */

typedef enum {
  RG_FAULT_NONE,
  RG_FAULT_FAIL,
  RG_FAULT_HANG,
  RG_FAULT_GARBAGE,
  RG_FAULT_GARBAGE_VERDICT,
  RG_FAULT_GARBAGE_COUNT,
  RG_FAULT_GARBAGE_ADDRESS,
  RG_FAULT_GARBAGE_REASON,
  RG_FAULT_GARBAGE_SUGGESTION,
  RG_FAULT_GARBAGE_ORDER,
} RgFault;

/* Checks not yet finished on a worker thread, in this process (rg_guard_is_idle ()): a check
 * that outlived its budget still runs. */
static GMutex workers_mutex;
static GCond workers_cond;
static guint n_workers;

static void
worker_started (void)
{
  g_mutex_lock (&workers_mutex);
  n_workers++;
  g_mutex_unlock (&workers_mutex);
}

static void
worker_finished (void)
{
  g_mutex_lock (&workers_mutex);
  n_workers--;
  g_cond_broadcast (&workers_cond);
  g_mutex_unlock (&workers_mutex);
}

/**
 * rg_guard_is_idle:
 *
 * Whether no check runs on a worker thread of any guard in this process: a check that
 * outlived its budget keeps its thread until the core returns.  For a program that must
 * change process-wide state (the environment) only while no other thread can read it.
 *
 * Returns: %TRUE when no worker runs a check.
 * Since: 0.2
 */
gboolean
rg_guard_is_idle (void)
{
  gboolean idle;

  g_mutex_lock (&workers_mutex);
  idle = n_workers == 0;
  g_mutex_unlock (&workers_mutex);
  return idle;
}

#ifdef RG_FAULT_INJECTION
static const struct
{
  const char *name;
  RgFault fault;
} fault_names[] = {
  { "fail", RG_FAULT_FAIL },
  { "hang", RG_FAULT_HANG },
  { "garbage", RG_FAULT_GARBAGE },
  { "garbage-verdict", RG_FAULT_GARBAGE_VERDICT },
  { "garbage-count", RG_FAULT_GARBAGE_COUNT },
  { "garbage-address", RG_FAULT_GARBAGE_ADDRESS },
  { "garbage-reason", RG_FAULT_GARBAGE_REASON },
  { "garbage-suggestion", RG_FAULT_GARBAGE_SUGGESTION },
  { "garbage-order", RG_FAULT_GARBAGE_ORDER },
};

/* Read in the caller's thread at each check, so that a test can change it between checks
 * without racing a worker. */
static RgFault
fault_from_environment (void)
{
  const char *name = g_getenv (RG_GUARD_FAULT_ENV);

  if (name == NULL || *name == '\0')
    return RG_FAULT_NONE;
  for (gsize i = 0; i < G_N_ELEMENTS (fault_names); i++)
    if (strcmp (name, fault_names[i].name) == 0)
      return fault_names[i].fault;
  /* A typo in a test must not pass as "no fault". */
  g_warning ("%s=%s is not a fault this build knows", RG_GUARD_FAULT_ENV, name);
  return RG_FAULT_NONE;
}

/**
 * rg_guard_fault_wait_idle:
 * @timeout_ms: how long to wait at most
 *
 * Only with fault injection compiled in.
 *
 * Returns: whether no worker runs any more (each has freed what it held).
 */
gboolean
rg_guard_fault_wait_idle (guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;
  gboolean idle;

  g_mutex_lock (&workers_mutex);
  while (n_workers > 0 && g_cond_wait_until (&workers_cond, &workers_mutex, deadline))
    ;
  idle = n_workers == 0;
  g_mutex_unlock (&workers_mutex);
  return idle;
}
#endif /* RG_FAULT_INJECTION */

/* ---------------------------------------------------------------------------------------- */
/* One check, shared by the caller and the worker; whoever lets go last frees it.           */

typedef struct
{
  /* Set by the caller before the worker starts; read-only afterwards. */
  RgCheckerRef *checker;
  /* A copy: the caller's lists are gone once it stops waiting. */
  char **lists;
  gsize *lengths;
  gsize n_lists;
  gsize total_octets;
  gboolean blocks_only;
  RgFault fault;

  GMutex mutex;
  GCond cond;
  /* Under the mutex. */
  gboolean done;
  rg_report *report;
  GError *error;
} RgGuardCall;

static void
call_clear (gpointer data)
{
  RgGuardCall *call = data;

  checker_ref_release (call->checker);
  for (gsize i = 0; i < call->n_lists; i++)
    g_free (call->lists[i]);
  g_free (call->lists);
  g_free (call->lengths);
  g_mutex_clear (&call->mutex);
  g_cond_clear (&call->cond);
  g_clear_pointer (&call->report, rg_report_free);
  g_clear_error (&call->error);
}

static void
call_release (RgGuardCall *call)
{
  g_atomic_rc_box_release_full (call, call_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RgGuardCall, call_release)

static RgGuardCall *
call_new (RgCheckerRef      *checker,
          gboolean           blocks_only,
          const char *const *lists,
          gsize              n_lists,
          RgFault            fault)
{
  RgGuardCall *call = g_atomic_rc_box_new0 (RgGuardCall);

  call->checker = g_atomic_rc_box_acquire (checker);
  call->lists = g_new0 (char *, n_lists);
  call->lengths = g_new0 (gsize, n_lists);
  call->n_lists = n_lists;
  for (gsize i = 0; i < n_lists; i++)
    {
      /* A NULL list stays NULL: the core refuses it as it would the caller's. */
      call->lists[i] = g_strdup (lists[i]);
      call->lengths[i] = lists[i] != NULL ? strlen (lists[i]) : 0;
      call->total_octets += call->lengths[i];
    }
  call->blocks_only = blocks_only;
  call->fault = fault;
  g_mutex_init (&call->mutex);
  g_cond_init (&call->cond);
  return call;
}

/* ---------------------------------------------------------------------------------------- */
/* Validation: the report is read once into these, and judged from them.                   */

typedef struct
{
  rg_verdict verdict;
  size_t n_findings;
} ReportFacts;

typedef struct
{
  /* NULL: the report has no finding at this index. */
  const rg_finding *finding;
  size_t list_index;
  rg_verdict verdict;
  int score;
  const char *input;
  const char *address;
  const char *domain;
  const char *domain_ascii;
  const char *suggestion;
  size_t n_reasons;
  /* The first RG_N_REASONS of them: more than there are codes is garbage anyway. */
  rg_reason reasons[RG_N_REASONS];
  const char *messages[RG_N_REASONS];
} FindingFacts;

static void
read_finding (const rg_report *report,
              size_t           index,
              FindingFacts    *facts)
{
  const rg_finding *finding = rg_report_get_finding (report, index);

  memset (facts, 0, sizeof *facts);
  facts->finding = finding;
  if (finding == NULL)
    return;
  facts->list_index = rg_finding_get_list_index (finding);
  facts->verdict = rg_finding_get_verdict (finding);
  facts->score = rg_finding_get_score (finding);
  facts->input = rg_finding_get_input (finding);
  facts->address = rg_finding_get_address (finding);
  facts->domain = rg_finding_get_domain (finding);
  facts->domain_ascii = rg_finding_get_domain_ascii (finding);
  facts->suggestion = rg_finding_get_suggestion (finding);
  facts->n_reasons = rg_finding_get_n_reasons (finding);
  for (size_t i = 0; i < MIN (facts->n_reasons, (size_t) RG_N_REASONS); i++)
    {
      facts->reasons[i] = rg_finding_get_reason (finding, i);
      facts->messages[i] = rg_finding_get_reason_message (finding, i);
    }
}

#ifdef RG_FAULT_INJECTION
/* A "garbage" fault changes one value that the validator reads, never the report itself. */
static void
fault_corrupt_report (RgFault             fault,
                      const RgGuardCall  *call,
                      ReportFacts        *facts)
{
  if (fault == RG_FAULT_GARBAGE_VERDICT)
    facts->verdict = RG_VERDICT_BLOCK + 1;
  else if (fault == RG_FAULT_GARBAGE_COUNT)
    facts->n_findings = call->total_octets + 1;
  else if (fault == RG_FAULT_GARBAGE && facts->n_findings == 0)
    facts->n_findings = 1;
}

static void
fault_corrupt_finding (RgFault             fault,
                       const RgGuardCall  *call,
                       size_t              index,
                       size_t              n_findings,
                       FindingFacts       *facts)
{
  gboolean last = index + 1 == n_findings;

  if (facts->finding == NULL)
    return;
  if (fault == RG_FAULT_GARBAGE && last)
    facts->list_index = call->n_lists;
  else if (fault == RG_FAULT_GARBAGE_ADDRESS && last)
    facts->address = NULL;
  else if (fault == RG_FAULT_GARBAGE_REASON && last)
    {
      if (facts->n_reasons == 0)
        facts->n_reasons = 1;
      facts->reasons[0] = RG_N_REASONS;
    }
  else if (fault == RG_FAULT_GARBAGE_SUGGESTION && last)
    facts->suggestion = "not an address";
  else if (fault == RG_FAULT_GARBAGE_ORDER && index == 0 && call->n_lists > 0)
    facts->list_index = call->n_lists - 1;
}
#endif /* RG_FAULT_INJECTION */

static gboolean
garbage (GError     **error,
         const char  *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
garbage (GError     **error,
         const char  *format,
         ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, RG_GUARD_ERROR, RG_GUARD_ERROR_GARBAGE,
               "The checker's report is not valid: %s", detail);
  return FALSE;
}

static gboolean
verdict_is_valid (rg_verdict verdict)
{
  /* As int: the compiler may make the enum unsigned, and garbage may be anything. */
  return (int) verdict >= RG_VERDICT_OK && (int) verdict <= RG_VERDICT_BLOCK;
}

/* The strings the user will see (the dialog, the command's output) must be text. */
static gboolean
text_is_valid (const char *text)
{
  return text != NULL && g_utf8_validate (text, -1, NULL);
}

static gboolean
validate_finding (const RgGuardCall   *call,
                  size_t               index,
                  size_t               previous_list,
                  const FindingFacts  *f,
                  GError             **error)
{
  /* Messages count findings from 1, as people do. */
  size_t n = index + 1;

  if (f->finding == NULL)
    return garbage (error, "finding %zu is missing", n);
  if (f->list_index >= call->n_lists)
    return garbage (error, "finding %zu names list %zu of %zu", n, f->list_index + 1,
                    call->n_lists);
  if (f->list_index < previous_list)
    return garbage (error, "finding %zu (list %zu) comes after one of list %zu", n,
                    f->list_index + 1, previous_list + 1);
  if (!verdict_is_valid (f->verdict))
    return garbage (error, "finding %zu has the verdict %d", n, (int) f->verdict);
  if (f->score < 0 || f->score > 100)
    return garbage (error, "finding %zu has the score %d", n, f->score);
  if (!text_is_valid (f->input) || !text_is_valid (f->address) || !text_is_valid (f->domain)
      || !text_is_valid (f->domain_ascii))
    return garbage (error, "finding %zu lacks its input, address or domain as text", n);
  /* Each finding is a part of its list, as written. */
  if (strlen (f->input) > call->lengths[f->list_index])
    return garbage (error, "finding %zu is longer than its list", n);
  if (f->n_reasons > RG_N_REASONS)
    return garbage (error, "finding %zu has %zu reasons", n, f->n_reasons);
  for (size_t i = 0; i < f->n_reasons; i++)
    {
      if ((int) f->reasons[i] < 0 || (int) f->reasons[i] >= RG_N_REASONS)
        return garbage (error, "finding %zu has the reason %d", n, (int) f->reasons[i]);
      if (!text_is_valid (f->messages[i]))
        return garbage (error, "finding %zu has a reason without a message", n);
    }
  if (f->suggestion != NULL && (!text_is_valid (f->suggestion)
                                || strchr (f->suggestion, '@') == NULL))
    return garbage (error, "finding %zu suggests something that is not an address", n);
  return TRUE;
}

/* Whether @report makes sense for the lists of @call: the core is trusted to be right about
 * domains, not to be free of bugs, and a wrong index or verdict would show the user the
 * wrong recipient or let a block pass.  Linear in the findings, bounded by the input. */
static gboolean
validate_report (const RgGuardCall  *call,
                 const rg_report    *report,
                 GError            **error)
{
  ReportFacts facts = { rg_report_get_verdict (report), rg_report_get_n_findings (report) };
  rg_verdict highest = RG_VERDICT_OK;
  size_t previous_list = 0;

#ifdef RG_FAULT_INJECTION
  fault_corrupt_report (call->fault, call, &facts);
#endif
  if (!verdict_is_valid (facts.verdict))
    return garbage (error, "its verdict is %d", (int) facts.verdict);
  /* A recipient is at least one octet of its list. */
  if (facts.n_findings > call->total_octets || facts.n_findings > RG_MAX_RECIPIENTS)
    return garbage (error, "%zu findings for %zu octets of input", facts.n_findings,
                    call->total_octets);

  for (size_t i = 0; i < facts.n_findings; i++)
    {
      FindingFacts finding;

      read_finding (report, i, &finding);
#ifdef RG_FAULT_INJECTION
      fault_corrupt_finding (call->fault, call, i, facts.n_findings, &finding);
#endif
      if (!validate_finding (call, i, previous_list, &finding, error))
        return FALSE;
      previous_list = finding.list_index;
      highest = MAX (highest, finding.verdict);
    }

  if (facts.verdict != highest)
    return garbage (error, "its verdict is %s, its findings' highest %s",
                    rg_verdict_to_string (facts.verdict), rg_verdict_to_string (highest));
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* The worker.                                                                              */

static void
run_call (gpointer data,
          gpointer user_data)
{
  RgGuardCall *call = data;
  rg_report *report = NULL;
  GError *error = NULL;
  rg_status status = RG_OK;

#ifdef RG_FAULT_INJECTION
  if (call->fault == RG_FAULT_HANG)
    g_usleep ((gulong) RG_GUARD_FAULT_HANG_MS * 1000);
  /* As if the core had failed: the core itself is not called. */
  if (call->fault == RG_FAULT_FAIL)
    status = RG_E_INTERNAL;
  else
#endif
    status = (call->blocks_only ? rg_checker_check_blocks : rg_checker_check) (
      *call->checker, (const char *const *) call->lists, call->n_lists, &report);

  if (status != RG_OK)
    g_set_error (&error, RG_GUARD_ERROR, status, "%s", rg_strerror (status));
  else if (!validate_report (call, report, &error))
    g_clear_pointer (&report, rg_report_free);

  g_mutex_lock (&call->mutex);
  call->report = report;
  call->error = error;
  call->done = TRUE;
  g_cond_signal (&call->cond);
  g_mutex_unlock (&call->mutex);

  /* A caller that stopped waiting has let go already: then this frees the report. */
  call_release (call);
  worker_finished ();
}

/* Shared by every guard: threads are reused from check to check (a check costs microseconds,
 * starting a thread about as much), and RG_GUARD_MAX_WORKERS bounds the threads that hung
 * checks can hold. */
static GThreadPool *
get_pool (void)
{
  static GThreadPool *pool;

  if (g_once_init_enter (&pool))
    {
      GThreadPool *created = g_thread_pool_new (run_call, NULL, RG_GUARD_MAX_WORKERS, FALSE,
                                                NULL);

      g_once_init_leave (&pool, created);
    }
  return pool;
}

/* ---------------------------------------------------------------------------------------- */

/* Builds a checker from @config and makes it the current one; on failure there is none, and
 * the status says why. */
static rg_status
install_checker (RgGuard         *self,
                 const rg_config *config)
{
  rg_checker *checker = NULL;

  self->build_status = rg_checker_new (config, &checker);
  /* Keep no stale checker either: a check that cannot see the current known domains must say
   * so (on-error), not answer from an old list.  A check still running on the old one holds
   * a reference of its own. */
  g_clear_pointer (&self->checker, checker_ref_release);
  if (self->build_status == RG_OK)
    self->checker = checker_ref_new (checker);
  return self->build_status;
}

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
  guint skipped = 0;

  if (config == NULL)
    {
      self->build_status = RG_E_NOMEM;
      g_clear_pointer (&self->checker, checker_ref_release);
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
  install_checker (self, config);
  rg_config_free (config);

  if (self->build_status != RG_OK)
    {
      g_warning ("Recipient Guard could not build its checker: %s",
                 rg_strerror (self->build_status));
      return;
    }
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
  /* Only the reference the load held, dropped on return: clang counts a variable that is
   * only cleaned up as unused. */
  G_GNUC_UNUSED g_autoptr (RgGuard) self = user_data;
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

  /* A check still running keeps the checker alive until it ends. */
  g_clear_pointer (&self->checker, checker_ref_release);

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

/**
 * rg_guard_new_for_config:
 * @config: the config to build the checker from; not referenced after the call
 * @settings: (nullable): settings of the schema %RG_SETTINGS_SCHEMA_ID, for the getters
 *   only; referenced
 *
 * The command line gathers its known domains from its options, the settings and the address
 * books, saying on standard error what it refuses; it checks through a guard all the same, so
 * that the budget, the validation of reports and the on-error policy are the ones of Send.
 * A checker that cannot be built is not reported here: every check fails with its status.
 *
 * Returns: (transfer full): the guard.
 * Since: 0.1
 */
RgGuard *
rg_guard_new_for_config (const rg_config *config,
                         GSettings       *settings)
{
  RgGuard *self;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (RG_TYPE_GUARD, NULL);
  if (settings != NULL)
    self->settings = g_object_ref (settings);
  install_checker (self, config);
  return self;
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
 * rg_guard_get_scope:
 *
 * Read at each call (GSettings answers from memory): a user who turns checking off in the
 * preferences is not checked at the next Send, except against a block list the administrator
 * locked in dconf (rg_settings_get_scope ()).
 *
 * Returns: what to check at Send; %RG_SCOPE_ALL without settings.
 * Since: 0.1
 */
RgScope
rg_guard_get_scope (RgGuard *self)
{
  g_return_val_if_fail (RG_IS_GUARD (self), RG_SCOPE_ALL);

  if (self->settings == NULL)
    return RG_SCOPE_ALL;
  return rg_settings_get_desktop_scope (self->settings);
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

/**
 * rg_guard_get_server_guard:
 *
 * Read at each call, as "allow-block-override" is: an administrator's change applies at the
 * next Send.
 *
 * Returns: whether a message sent after the dialog names the recipients the user confirmed
 *   (X-Recipient-Guard-Confirmed), for the organisation's rcptguard-milter; %FALSE without
 *   settings.
 * Since: 0.2
 */
gboolean
rg_guard_get_server_guard (RgGuard *self)
{
  g_return_val_if_fail (RG_IS_GUARD (self), FALSE);

  if (self->settings == NULL)
    return FALSE;
  return g_settings_get_boolean (self->settings, "server-guard");
}

/**
 * rg_guard_get_on_error:
 *
 * Read at each call, as "enabled" is.  Without settings (--no-settings, no schema) it is the
 * schema's default, warn: a failed check is never a silent pass unless someone chose so.
 *
 * Returns: what to do when rg_guard_check () fails.
 * Since: 0.1
 */
RgOnError
rg_guard_get_on_error (RgGuard *self)
{
  int value;

  g_return_val_if_fail (RG_IS_GUARD (self), RG_ON_ERROR_WARN);

  if (self->settings == NULL)
    return RG_ON_ERROR_WARN;
  /* The schema's enum has RgOnError's values. */
  value = g_settings_get_enum (self->settings, "on-error");
  if (value < RG_ON_ERROR_ALLOW || value > RG_ON_ERROR_BLOCK)
    return RG_ON_ERROR_WARN;
  return (RgOnError) value;
}

/**
 * rg_guard_get_on_error_locked:
 *
 * Returns: whether the administrator has locked "on-error" (it is not writable); %FALSE
 * without settings.
 * Since: 0.1
 */
gboolean
rg_guard_get_on_error_locked (RgGuard *self)
{
  g_return_val_if_fail (RG_IS_GUARD (self), FALSE);

  if (self->settings == NULL)
    return FALSE;
  return !g_settings_is_writable (self->settings, "on-error");
}

/**
 * rg_guard_check:
 * @self: a guard
 * @scope: %RG_SCOPE_ALL, or %RG_SCOPE_BLOCKS for the block list alone
 *   (rg_checker_check_blocks ()); rg_guard_get_scope () says which applies at Send
 * @lists: @n_lists address lists, as for rg_checker_check ()
 * @n_lists: their number
 * @error: return location for a #GError, or %NULL
 *
 * The caller's thread waits on a condition variable, never iterating its main context: the
 * presend hook is synchronous and must not be re-entered.  The lists are copied for the
 * worker, which may outlive the call.
 *
 * Cost: the core's check, plus copying the lists and handing them to a worker thread (some
 * microseconds); at most %RG_GUARD_CHECK_BUDGET_MS of waiting.
 *
 * Returns: (transfer full) (nullable): the validated report, or %NULL with @error set.
 * Since: 0.1
 */
rg_report *
rg_guard_check (RgGuard            *self,
                RgScope             scope,
                const char *const  *lists,
                gsize               n_lists,
                GError            **error)
{
  g_autoptr (RgGuardCall) call = NULL;
  RgFault fault = RG_FAULT_NONE;
  gint64 deadline = g_get_monotonic_time ()
                   + (gint64) RG_GUARD_CHECK_BUDGET_MS * G_TIME_SPAN_MILLISECOND;
  g_autoptr (GError) push_error = NULL;
  rg_report *report = NULL;
  GError *check_error = NULL;
  gboolean done;

  g_return_val_if_fail (RG_IS_GUARD (self), NULL);
  g_return_val_if_fail (scope == RG_SCOPE_ALL || scope == RG_SCOPE_BLOCKS, NULL);
  g_return_val_if_fail (lists != NULL || n_lists == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (self->checker == NULL)
    {
      g_set_error (error, RG_GUARD_ERROR, self->build_status, "%s",
                   rg_strerror (self->build_status));
      return NULL;
    }

#ifdef RG_FAULT_INJECTION
  fault = fault_from_environment ();
#endif
  worker_started ();
  call = call_new (self->checker, scope == RG_SCOPE_BLOCKS, lists, n_lists, fault);

  /* The worker's reference.  Should no thread start, the call waits in the queue for one
   * that frees itself, and this caller times out meanwhile: the on-error answer. */
  if (!g_thread_pool_push (get_pool (), g_atomic_rc_box_acquire (call), &push_error))
    g_debug ("no new thread for the check: %s", push_error->message);

  g_mutex_lock (&call->mutex);
  while (!call->done && g_cond_wait_until (&call->cond, &call->mutex, deadline))
    ;
  done = call->done;
  if (done)
    {
      report = g_steal_pointer (&call->report);
      check_error = g_steal_pointer (&call->error);
    }
  g_mutex_unlock (&call->mutex);

  if (!done)
    {
      g_set_error (error, RG_GUARD_ERROR, RG_GUARD_ERROR_TIMEOUT,
                   "The check did not finish within %g s", RG_GUARD_CHECK_BUDGET_MS / 1000.0);
      return NULL;
    }
  if (check_error != NULL)
    {
      g_propagate_error (error, check_error);
      return NULL;
    }
  return report;
}

/**
 * rg_guard_error_is_input:
 * @error: an error from rg_guard_check ()
 *
 * The core's input (-2xx) and data (-3xx) errors, except %RG_E_INVALID_ARGUMENT, which
 * rg_guard_check () never causes and so means a bug.
 *
 * Returns: whether @error says the recipients themselves were refused.
 * Since: 0.1
 */
gboolean
rg_guard_error_is_input (const GError *error)
{
  g_return_val_if_fail (error != NULL, FALSE);

  if (error->domain != RG_GUARD_ERROR || error->code == RG_E_INVALID_ARGUMENT)
    return FALSE;
  return error->code <= -200 && error->code > -400;
}
