/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * RgGuard's check as Send runs it: in a worker thread within a time budget, its report
 * validated, and the on-error policy read from the settings.
 *
 * Linked with the fault-injection variant of the GLib layer (rcptguard-glib-fault):
 * RCPTGUARD_FAULT makes the core fail, hang past the budget or return a report the validator
 * must reject.  A guard over a fixed config needs no address book, so this runs without a
 * session.  scripts/check-memory runs it under AddressSanitizer: a worker that outlives its
 * caller must free what it holds, which rg_guard_fault_wait_idle () lets the test wait for.
 *
 * The settings: memory backends of their own, and for the lock a real dconf database
 * compiled by `dconf compile` (DCONF_PROFILE and XDG_CONFIG_HOME, for the user's database,
 * set in main () before any thread starts).
 *
 * Usage: test-guard VERDICTS.TSV [GTest options]
 */
#define G_LOG_DOMAIN "rcptguard-test"
#define G_SETTINGS_ENABLE_BACKEND

#include <string.h>

#include <gio/gsettingsbackend.h>
#include <glib/gstdio.h>

#include "rg-autoptr.h"
#include "rg-guard.h"
#include "rg-settings.h"
#include "rg-test-files.h"
#include "rg-test-settings.h"

/* A generous bound, never a measure of speed: a hung check must return near the budget, and
 * anything under three budgets shows that the caller did not wait for the worker. */
#define HANG_BOUND_MS (3 * RG_GUARD_CHECK_BUDGET_MS)
/* How long a test waits for a late worker to end: its sleep and a check, with room for
 * valgrind. */
#define IDLE_WAIT_MS (RG_GUARD_FAULT_HANG_MS + 20000)

static const char *verdicts_path;
static char *dconf_dir;
/* Whether DCONF_PROFILE names the database make_dconf_database () compiled. */
static gboolean dconf_ready;

static rg_config *
config_new (void)
{
  rg_config *config = rg_config_new ();

  g_assert_nonnull (config);
  g_assert_cmpint (rg_config_add_known (config, "army.mil", 10), ==, RG_OK);
  g_assert_cmpint (rg_config_add_policy (config, RG_POLICY_BLOCK, "ml"), ==, RG_OK);
  return config;
}

static RgGuard *
guard_new (GSettings *settings)
{
  g_autoptr (rg_config) config = config_new ();

  return rg_guard_new_for_config (config, settings);
}

static void
set_fault (const char *fault)
{
  /* The guard reads the environment in the caller's thread, and every test that leaves a
   * worker running waits for it to end before it goes on: no check (ICU may read the
   * environment) runs while this changes it. */
  if (fault == NULL)
    g_unsetenv (RG_GUARD_FAULT_ENV);
  else
    g_setenv (RG_GUARD_FAULT_ENV, fault, TRUE);
}

/* Two lists, so that list indices and their order mean something. */
static const char *const two_lists[] = { "Ops <ops@army.ml>, hr@example.org", "x@gmial.com" };

static void
test_check (void)
{
  g_autoptr (RgGuard) guard = guard_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (rg_report) report = NULL;

  set_fault (NULL);
  g_assert_null (rg_guard_get_known_domains (guard));
  report = rg_guard_check (guard, RG_SCOPE_ALL, two_lists, G_N_ELEMENTS (two_lists), &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_cmpint (rg_report_get_verdict (report), ==, RG_VERDICT_BLOCK);
  g_assert_cmpuint (rg_report_get_n_findings (report), ==, 3);
  g_assert_cmpuint (rg_finding_get_list_index (rg_report_get_finding (report, 0)), ==, 0);
  g_assert_cmpuint (rg_finding_get_list_index (rg_report_get_finding (report, 2)), ==, 1);
  g_assert_cmpstr (rg_finding_get_suggestion (rg_report_get_finding (report, 0)), ==,
                   "ops@army.mil");
  g_assert_cmpstr (rg_finding_get_suggestion (rg_report_get_finding (report, 2)), ==,
                   "x@gmail.com");
  g_clear_pointer (&report, rg_report_free);

  /* No lists: an empty report, not an error. */
  report = rg_guard_check (guard, RG_SCOPE_ALL, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rg_report_get_n_findings (report), ==, 0);
}

/* Input the core refuses is the core's error, and says it is about the input. */
static void
test_input_error (void)
{
  g_autoptr (RgGuard) guard = guard_new (NULL);
  g_autoptr (GError) error = NULL;
  const char *bad[] = { "a@example.org", "b@exa\xffmple.org" };

  set_fault (NULL);
  g_assert_null (rg_guard_check (guard, RG_SCOPE_ALL, bad, G_N_ELEMENTS (bad), &error));
  g_assert_error (error, RG_GUARD_ERROR, RG_E_ENCODING);
  g_assert_true (rg_guard_error_is_input (error));
}

static char *
unescape (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (p[0] == '\\' && p[1] == 'u' && strlen (p) >= 6)
        {
          g_autofree char *hex = g_strndup (p + 2, 4);

          g_string_append_unichar (out, (gunichar) g_ascii_strtoull (hex, NULL, 16));
          p += 5;
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static void
assert_same_report (const rg_report *expected,
                    const rg_report *got)
{
  size_t n = rg_report_get_n_findings (expected);

  g_assert_cmpint (rg_report_get_verdict (got), ==, rg_report_get_verdict (expected));
  g_assert_cmpuint (rg_report_get_n_findings (got), ==, n);
  for (size_t i = 0; i < n; i++)
    {
      const rg_finding *e = rg_report_get_finding (expected, i);
      const rg_finding *g = rg_report_get_finding (got, i);

      g_assert_cmpuint (rg_finding_get_list_index (g), ==, rg_finding_get_list_index (e));
      g_assert_cmpint (rg_finding_get_verdict (g), ==, rg_finding_get_verdict (e));
      g_assert_cmpstr (rg_finding_get_address (g), ==, rg_finding_get_address (e));
      g_assert_cmpstr (rg_finding_get_suggestion (g), ==, rg_finding_get_suggestion (e));
    }
}

/* The validator passes what the core really answers: every input of the truth table, one by
 * one and all at once, gets the core's own report through the guard. */
static void
test_validator_accepts_the_table (void)
{
  g_autoptr (rg_config) config = config_new ();
  g_autoptr (rg_checker) checker = NULL;
  g_autoptr (RgGuard) guard = rg_guard_new_for_config (config, NULL);
  g_autoptr (GPtrArray) inputs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (rg_report) expected = NULL;
  g_autoptr (rg_report) got = NULL;

  set_fault (NULL);
  g_assert_cmpint (rg_checker_new (config, &checker), ==, RG_OK);
  g_assert_true (g_file_get_contents (verdicts_path, &contents, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto (GStrv) fields = NULL;

      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      fields = g_strsplit (lines[i], "\t", -1);
      g_assert_cmpuint (g_strv_length (fields), >=, 3);
      g_ptr_array_add (inputs, unescape (fields[2]));
    }
  g_assert_cmpuint (inputs->len, >, 100);

  for (guint i = 0; i < inputs->len; i++)
    {
      const char *list = g_ptr_array_index (inputs, i);

      g_clear_pointer (&expected, rg_report_free);
      g_clear_pointer (&got, rg_report_free);
      g_assert_cmpint (rg_checker_check (checker, &list, 1, &expected), ==, RG_OK);
      got = rg_guard_check (guard, RG_SCOPE_ALL, &list, 1, &error);
      g_assert_no_error (error);
      assert_same_report (expected, got);
    }

  g_clear_pointer (&expected, rg_report_free);
  g_clear_pointer (&got, rg_report_free);
  g_assert_cmpint (rg_checker_check (checker, (const char *const *) inputs->pdata, inputs->len,
                                     &expected), ==, RG_OK);
  got = rg_guard_check (guard, RG_SCOPE_ALL, (const char *const *) inputs->pdata, inputs->len, &error);
  g_assert_no_error (error);
  assert_same_report (expected, got);
}

/* "fail": the core's error, as the core would give it, and not an input error. */
static void
test_fault_fail (void)
{
  g_autoptr (RgGuard) guard = guard_new (NULL);
  g_autoptr (GError) error = NULL;

  set_fault ("fail");
  g_assert_null (rg_guard_check (guard, RG_SCOPE_ALL, two_lists, G_N_ELEMENTS (two_lists), &error));
  g_assert_error (error, RG_GUARD_ERROR, RG_E_INTERNAL);
  g_assert_false (rg_guard_error_is_input (error));
  set_fault (NULL);
  g_assert_true (rg_guard_fault_wait_idle (IDLE_WAIT_MS));
}

/* Checks with "hang" and returns how long the call took, in ms; asserts the timeout. */
static double
check_hang (RgGuard *guard)
{
  g_autoptr (GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  double elapsed_ms;

  set_fault ("hang");
  g_assert_null (rg_guard_check (guard, RG_SCOPE_ALL, two_lists, G_N_ELEMENTS (two_lists), &error));
  elapsed_ms = (g_get_monotonic_time () - start) / 1000.0;
  set_fault (NULL);

  g_assert_error (error, RG_GUARD_ERROR, RG_GUARD_ERROR_TIMEOUT);
  g_assert_false (rg_guard_error_is_input (error));
  g_test_message ("a hung check returned after %.0f ms (budget %d ms): %s", elapsed_ms,
                  RG_GUARD_CHECK_BUDGET_MS, error->message);
  /* It waited the budget (the clock is monotonic), and did not wait for the worker. */
  g_assert_cmpfloat (elapsed_ms, >=, RG_GUARD_CHECK_BUDGET_MS - 1);
  g_assert_cmpfloat (elapsed_ms, <, HANG_BOUND_MS);
  return elapsed_ms;
}

/* "hang": the caller gets a timeout near the budget, and the worker ends on its own later,
 * freeing its report (AddressSanitizer's leak check says so at exit). */
static void
test_fault_hang (void)
{
  g_autoptr (RgGuard) guard = guard_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (rg_report) report = NULL;

  check_hang (guard);

  /* The guard answers the next check while the hung worker still sleeps. */
  report = rg_guard_check (guard, RG_SCOPE_ALL, two_lists, G_N_ELEMENTS (two_lists), &error);
  g_assert_no_error (error);
  g_assert_cmpint (rg_report_get_verdict (report), ==, RG_VERDICT_BLOCK);

  g_assert_true (rg_guard_fault_wait_idle (IDLE_WAIT_MS));
}

/* The guard goes away while a hung worker still uses its checker: the worker holds a
 * reference of its own, and frees the checker when it ends. */
static void
test_fault_hang_outlives_guard (void)
{
  RgGuard *guard = guard_new (NULL);

  check_hang (guard);
  g_object_unref (guard);
  g_assert_true (rg_guard_fault_wait_idle (IDLE_WAIT_MS));
}

typedef struct
{
  RgGuard *guard;
  GError *error;
  double elapsed_ms;
} HungCaller;

static gpointer
call_hung (gpointer data)
{
  HungCaller *caller = data;
  gint64 start = g_get_monotonic_time ();
  rg_report *report = rg_guard_check (caller->guard, RG_SCOPE_ALL, two_lists, G_N_ELEMENTS (two_lists),
                                      &caller->error);

  caller->elapsed_ms = (g_get_monotonic_time () - start) / 1000.0;
  g_assert_null (report);
  return NULL;
}

/* More hung checks at once than workers: the one that finds no free worker waits in the
 * queue and times out as well.  No caller waits past the budget, and no more threads than
 * RG_GUARD_MAX_WORKERS are stuck. */
static void
test_fault_hang_all_workers (void)
{
  g_autoptr (RgGuard) guard = guard_new (NULL);
  HungCaller callers[RG_GUARD_MAX_WORKERS + 1] = { { 0 } };
  GThread *threads[G_N_ELEMENTS (callers)];
  g_autoptr (GError) error = NULL;
  g_autoptr (rg_report) report = NULL;

  set_fault ("hang");
  for (gsize i = 0; i < G_N_ELEMENTS (callers); i++)
    {
      callers[i].guard = guard;
      threads[i] = g_thread_new ("hung-caller", call_hung, &callers[i]);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (callers); i++)
    g_thread_join (threads[i]);
  set_fault (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (callers); i++)
    {
      g_test_message ("caller %" G_GSIZE_FORMAT ": %.0f ms", i, callers[i].elapsed_ms);
      g_assert_error (callers[i].error, RG_GUARD_ERROR, RG_GUARD_ERROR_TIMEOUT);
      g_assert_cmpfloat (callers[i].elapsed_ms, <, HANG_BOUND_MS);
      g_clear_error (&callers[i].error);
    }

  /* The queued call hangs in turn once a worker is free, then all end. */
  g_assert_true (rg_guard_fault_wait_idle (2 * IDLE_WAIT_MS));
  report = rg_guard_check (guard, RG_SCOPE_ALL, two_lists, G_N_ELEMENTS (two_lists), &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
}

typedef struct
{
  const char *fault;
  const char *lists[3];
  const char *message; /* a glob */
} GarbageCase;

/* Each kind of garbage the validator must refuse.  The fault changes only what the validator
 * reads: the report itself stays right, so the validator alone stands between it and the
 * user. */
static const GarbageCase garbage_cases[] = {
  { "garbage", { "a@example.org, x@gmial.com", "ops@army.ml" },
    "*not valid: finding 3 names list 3 of 2" },
  /* Nothing found at all: one finding too many, which is not there. */
  { "garbage", { "undisclosed-recipients:;" }, "*not valid: finding 1 is missing" },
  { "garbage", { "" }, "*not valid: 1 findings for 0 octets of input" },
  { "garbage-verdict", { "a@example.org" }, "*not valid: its verdict is 4" },
  { "garbage-count", { "a@example.org, b@example.org" },
    "*not valid: 29 findings for 28 octets of input" },
  { "garbage-address", { "a@example.org" },
    "*not valid: finding 1 lacks its input, address or domain as text" },
  { "garbage-reason", { "x@gmial.com" }, "*not valid: finding 1 has the reason *" },
  /* A finding without reasons gets one, out of range. */
  { "garbage-reason", { "a@example.org" }, "*not valid: finding 1 has the reason *" },
  { "garbage-suggestion", { "x@gmial.com" },
    "*not valid: finding 1 suggests something that is not an address" },
  { "garbage-order", { "a@example.org, b@example.org", "c@example.org" },
    "*not valid: finding 2 (list 1) comes after one of list 2" },
};

static void
test_fault_garbage (void)
{
  g_autoptr (RgGuard) guard = guard_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (garbage_cases); i++)
    {
      const GarbageCase *c = &garbage_cases[i];
      g_autoptr (GError) error = NULL;
      g_autoptr (rg_report) report = NULL;
      gsize n = 0;

      while (n < G_N_ELEMENTS (c->lists) && c->lists[n] != NULL)
        n++;

      /* Without the fault the same lists pass. */
      set_fault (NULL);
      report = rg_guard_check (guard, RG_SCOPE_ALL, c->lists, n, &error);
      g_assert_no_error (error);
      g_clear_pointer (&report, rg_report_free);

      set_fault (c->fault);
      report = rg_guard_check (guard, RG_SCOPE_ALL, c->lists, n, &error);
      set_fault (NULL);
      g_test_message ("%s on '%s': %s", c->fault, c->lists[0],
                      error != NULL ? error->message : "no error");
      g_assert_null (report);
      g_assert_error (error, RG_GUARD_ERROR, RG_GUARD_ERROR_GARBAGE);
      g_assert_false (rg_guard_error_is_input (error));
      if (!g_pattern_match_simple (c->message, error->message))
        g_error ("%s: \"%s\" does not match \"%s\"", c->fault, error->message, c->message);
    }
  g_assert_true (rg_guard_fault_wait_idle (IDLE_WAIT_MS));
}

/* A fault this build does not know is said, not taken for "no fault" in silence. */
static void
test_fault_unknown (void)
{
  g_autoptr (RgGuard) guard = guard_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (rg_report) report = NULL;

  set_fault ("hnag");
  g_test_expect_message ("rcptguard", G_LOG_LEVEL_WARNING, "*RCPTGUARD_FAULT=hnag*");
  report = rg_guard_check (guard, RG_SCOPE_ALL, two_lists, G_N_ELEMENTS (two_lists), &error);
  g_test_assert_expected_messages ();
  set_fault (NULL);
  g_assert_no_error (error);
  g_assert_nonnull (report);
}

static void
test_on_error (void)
{
  g_autoptr (GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr (GSettings) settings = rg_test_settings_new (backend);
  g_autoptr (RgGuard) without = guard_new (NULL);
  g_autoptr (RgGuard) guard = guard_new (settings);

  /* Without settings, the schema's default: never a silent pass. */
  g_assert_cmpint (rg_guard_get_on_error (without), ==, RG_ON_ERROR_WARN);
  g_assert_false (rg_guard_get_on_error_locked (without));

  g_assert_cmpint (rg_guard_get_on_error (guard), ==, RG_ON_ERROR_WARN);
  g_assert_false (rg_guard_get_on_error_locked (guard));
  /* Read at each call. */
  g_settings_set_string (settings, "on-error", "allow");
  g_assert_cmpint (rg_guard_get_on_error (guard), ==, RG_ON_ERROR_ALLOW);
  g_settings_set_string (settings, "on-error", "block");
  g_assert_cmpint (rg_guard_get_on_error (guard), ==, RG_ON_ERROR_BLOCK);
  g_settings_set_string (settings, "on-error", "warn");
  g_assert_cmpint (rg_guard_get_on_error (guard), ==, RG_ON_ERROR_WARN);
}

/* An administrator's on-error, locked in a real dconf database. */
static void
test_on_error_locked (void)
{
  GSettingsBackend *backend = g_settings_backend_get_default ();
  g_autoptr (GSettings) settings = NULL;
  g_autoptr (RgGuard) guard = NULL;

  if (!dconf_ready)
    {
      g_test_fail_printf ("no dconf database: see the messages before the first test");
      return;
    }
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (backend), ==, "DConfSettingsBackend");
  settings = rg_test_settings_new (backend);
  guard = guard_new (settings);
  g_assert_cmpint (rg_guard_get_on_error (guard), ==, RG_ON_ERROR_BLOCK);
  g_assert_true (rg_guard_get_on_error_locked (guard));
}

/* Compiles a dconf database with on-error 'block', locked, and points DCONF_PROFILE at it.
 * Returns the folder (to remove at the end), or NULL after a message. */
static char *
make_dconf_database (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rg-test-guard.XXXXXX", &error);
  g_autofree char *profile = NULL;

  if (dir == NULL)
    {
      g_printerr ("# no temporary folder: %s\n", error->message);
      return NULL;
    }
  profile = rg_test_dconf_profile_new (dir, "[org/rcptguard/RecipientGuard]\non-error='block'\n",
                                       "/org/rcptguard/RecipientGuard/on-error\n", "dconf",
                                       &error);
  if (profile == NULL)
    {
      g_printerr ("# no dconf database (install dconf-cli): %s\n", error->message);
      return g_steal_pointer (&dir);
    }
  g_setenv ("DCONF_PROFILE", profile, TRUE);
  /* The user's database is in the folder too. */
  g_setenv ("XDG_CONFIG_HOME", dir, TRUE);
  dconf_ready = TRUE;
  return g_steal_pointer (&dir);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  if (argc != 2)
    {
      g_printerr ("usage: test-guard VERDICTS.TSV [GTest options]\n");
      return 2;
    }
  verdicts_path = argv[1];
  /* Before any thread: setenv () is not thread-safe. */
  dconf_dir = make_dconf_database ();

  g_test_add_func ("/guard/check", test_check);
  g_test_add_func ("/guard/input-error", test_input_error);
  g_test_add_func ("/guard/validator-accepts-the-table", test_validator_accepts_the_table);
  g_test_add_func ("/guard/fault/fail", test_fault_fail);
  g_test_add_func ("/guard/fault/hang", test_fault_hang);
  g_test_add_func ("/guard/fault/hang-outlives-guard", test_fault_hang_outlives_guard);
  g_test_add_func ("/guard/fault/hang-all-workers", test_fault_hang_all_workers);
  g_test_add_func ("/guard/fault/garbage", test_fault_garbage);
  g_test_add_func ("/guard/fault/unknown", test_fault_unknown);
  g_test_add_func ("/guard/on-error", test_on_error);
  g_test_add_func ("/guard/on-error-locked", test_on_error_locked);

  status = g_test_run ();
  if (dconf_dir != NULL)
    rg_test_remove_tree (dconf_dir);
  g_free (dconf_dir);
  return status;
}
