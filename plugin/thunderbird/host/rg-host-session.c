/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-host-session.c - the requests of plugin/thunderbird/PROTOCOL.md and their answers.
 *
 * Each handler reads its request's members, does its work and adds its members to an answer
 * that already holds "id" and "ok"; or it fails with an RG_HOST_ERROR, whose code is the
 * error's kind.  A member of the wrong type is a "protocol" error before anything changes:
 * a configure is applied whole or not at all.
 */
#define G_LOG_DOMAIN "rcptguard"

#include "rg-host-session.h"

#include <string.h>

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gio.h>
#include <gio/gsettingsbackend.h>
#include <json-glib/json-glib.h>

#include "rg-autoptr.h"
#include "rg-decision-log.h"
#include "rg-decision-record.h"
#include "rg-finding-text.h"
#include "rg-guard.h"
#include "rg-host-channel.h"
#include "rg-host-json.h"
#include "rg-host-language.h"
#include "rg-settings.h"

/* The kinds of error of PROTOCOL.md, as the codes of RG_HOST_ERROR. */
typedef enum {
  RG_HOST_ERROR_PROTOCOL,
  RG_HOST_ERROR_INPUT,
  RG_HOST_ERROR_TIMEOUT,
  RG_HOST_ERROR_GARBAGE,
  RG_HOST_ERROR_INTERNAL,
  RG_HOST_ERROR_LOG,
} RgHostError;

static const char *const error_kinds[] = {
  [RG_HOST_ERROR_PROTOCOL] = "protocol",
  [RG_HOST_ERROR_INPUT] = "input",
  [RG_HOST_ERROR_TIMEOUT] = "timeout",
  [RG_HOST_ERROR_GARBAGE] = "garbage",
  [RG_HOST_ERROR_INTERNAL] = "internal",
  [RG_HOST_ERROR_LOG] = "log",
};

#define RG_HOST_ERROR (rg_host_error_quark ())
static GQuark rg_host_error_quark (void);
G_DEFINE_QUARK (rg-host-error-quark, rg_host_error)

/* A quoted entry in a problem is cut to this many bytes: enough to recognise it. */
#define RG_HOST_MAX_QUOTED_BYTES 200

typedef struct {
  gint64 check_id;
  rg_report *report;
} KeptReport;

struct _RgHostSession
{
  GSettingsSchema *schema; /* NULL: the schema is not installed */
  GSettings *settings;     /* over a memory backend; NULL without the schema */
  GSettings *desktop;      /* the desktop's own settings when they are dconf's, else NULL */
  GHashTable *locked;      /* the keys locked: as the add-on says, and by the desktop */
  RgGuard *guard;          /* NULL only when no config could be made (out of memory) */
  RgDecisionLog *log;
  RgHostChannel *channel;  /* where a record's answer goes once it is written */
  char *pending_language;  /* asked for, not yet set: see apply_pending_language () */
  GQueue kept;             /* KeptReport, oldest first, at most RG_HOST_KEPT_REPORTS */
};

static void
kept_report_free (KeptReport *kept)
{
  rg_report_free (kept->report);
  g_free (kept);
}

/* ---------------------------------------------------------------------------------------- */
/* Problems: sentences for the add-on's options page and logs, bounded in number and size. */

typedef struct {
  GPtrArray *list;
  guint n_more;
} Problems;

/* @text cut to at most @max bytes at a character boundary, "…" marking a cut. */
static char *
dup_bounded (const char *text,
             gsize       max)
{
  const char *end;

  if (strlen (text) <= max)
    return g_strdup (text);
  end = g_utf8_find_prev_char (text, text + max - 2);
  if (end == NULL)
    end = text;
  return g_strdup_printf ("%.*s…", (int) (end - text), text);
}

static char *
quote (const char *text)
{
  g_autofree char *bounded = dup_bounded (text, RG_HOST_MAX_QUOTED_BYTES);

  return g_strdup_printf ("“%s”", bounded);
}

static void add_problem (Problems *problems, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
add_problem (Problems   *problems,
             const char *format,
             ...)
{
  g_autofree char *text = NULL;
  va_list args;

  /* The last place says how many more there were. */
  if (problems->list->len >= RG_HOST_MAX_PROBLEMS - 1)
    {
      problems->n_more++;
      return;
    }
  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (problems->list, dup_bounded (text, RG_HOST_MAX_PROBLEM_BYTES));
}

static void
set_problems_member (JsonObject *answer,
                     Problems   *problems)
{
  JsonArray *array = json_array_sized_new (problems->list->len + 1);

  for (guint i = 0; i < problems->list->len; i++)
    json_array_add_string_element (array, g_ptr_array_index (problems->list, i));
  if (problems->n_more > 0)
    {
      g_autofree char *more = g_strdup_printf ("… and %u more problems", problems->n_more);

      json_array_add_string_element (array, more);
    }
  json_object_set_array_member (answer, "problems", array);
}

/* ---------------------------------------------------------------------------------------- */
/* Members of a request. */

/* Member @name of @request: FALSE with a protocol error when it is missing (and @required)
 * or not of @type; *@node is NULL when it is missing or null and not required. */
static gboolean
get_member (JsonObject    *request,
            const char    *name,
            JsonNodeType   type,
            gboolean       required,
            JsonNode     **node,
            GError       **error)
{
  static const char *const type_names[] = {
    [JSON_NODE_OBJECT] = "an object",
    [JSON_NODE_ARRAY] = "an array",
    [JSON_NODE_VALUE] = "a value",
    [JSON_NODE_NULL] = "null",
  };
  JsonNode *member = json_object_get_member (request, name);

  *node = NULL;
  if (member == NULL || (!required && JSON_NODE_HOLDS_NULL (member)))
    {
      if (!required)
        return TRUE;
      g_set_error (error, RG_HOST_ERROR, RG_HOST_ERROR_PROTOCOL, "the member “%s” is missing",
                   name);
      return FALSE;
    }
  if (json_node_get_node_type (member) != type)
    {
      g_set_error (error, RG_HOST_ERROR, RG_HOST_ERROR_PROTOCOL, "“%s” must be %s", name,
                   type_names[type]);
      return FALSE;
    }
  *node = member;
  return TRUE;
}

static gboolean
node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
node_is_integer (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64;
}

/* A string member, or NULL when missing (or null) and not required. */
static gboolean
get_string_member (JsonObject  *request,
                   const char  *name,
                   gboolean     required,
                   const char **value,
                   GError     **error)
{
  JsonNode *node = json_object_get_member (request, name);

  *value = NULL;
  if (node != NULL && (required || !JSON_NODE_HOLDS_NULL (node)) && !node_is_string (node))
    {
      g_set_error (error, RG_HOST_ERROR, RG_HOST_ERROR_PROTOCOL, "“%s” must be a string",
                   name);
      return FALSE;
    }
  if (!get_member (request, name, JSON_NODE_VALUE, required, &node, error))
    return FALSE;
  if (node != NULL)
    *value = json_node_get_string (node);
  return TRUE;
}

/* An array member whose elements are all strings; NULL when missing and not required. */
static gboolean
get_strings_member (JsonObject  *request,
                    const char  *name,
                    gboolean     required,
                    JsonArray  **array,
                    GError     **error)
{
  JsonNode *node = NULL;

  *array = NULL;
  if (!get_member (request, name, JSON_NODE_ARRAY, required, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  *array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (*array); i++)
    {
      if (!node_is_string (json_array_get_element (*array, i)))
        {
          g_set_error (error, RG_HOST_ERROR, RG_HOST_ERROR_PROTOCOL,
                       "the elements of “%s” must be strings", name);
          return FALSE;
        }
    }
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* configure */

/* What the add-on checks at Send: everything while "enabled" is on; when it is off, a block
 * list the administrator locked (in Thunderbird's policy or the desktop's dconf) still. */
static RgScope
get_scope (RgHostSession *self)
{
  if (self->settings == NULL)
    return RG_SCOPE_ALL;
  return rg_settings_get_scope (self->settings,
                                g_hash_table_contains (self->locked, "block-domains"));
}

/* A checker from @config for the session, replacing the one before. */
static void
install_guard (RgHostSession   *self,
               const rg_config *config)
{
  g_clear_object (&self->guard);
  self->guard = rg_guard_new_for_config (config, self->settings);
}

/* What a value of @type looks like in JSON, for people. */
static const char *
describe_type (const GVariantType *type)
{
  if (g_variant_type_equal (type, G_VARIANT_TYPE_BOOLEAN))
    return "true or false";
  if (g_variant_type_equal (type, G_VARIANT_TYPE_STRING))
    return "a string";
  if (g_variant_type_equal (type, G_VARIANT_TYPE_STRING_ARRAY))
    return "a list of strings";
  return "of the key's type";
}

/* "“loud” is not one of allow, warn, block" for an enumeration; a general sentence for other
 * ranges (the schema has none). */
static char *
dup_range_problem (GSettingsSchemaKey *key,
                   GVariant           *value)
{
  g_autoptr (GVariant) range = g_settings_schema_key_get_range (key);
  g_autoptr (GVariant) choices = NULL;
  g_autofree const char **nicks = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *printed = NULL;
  g_autofree char *quoted = NULL;
  const char *kind = NULL;

  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    quoted = quote (g_variant_get_string (value, NULL));
  else
    {
      printed = g_variant_print (value, FALSE);
      quoted = quote (printed);
    }
  g_variant_get (range, "(&sv)", &kind, &choices);
  if (strcmp (kind, "enum") != 0 || !g_variant_is_of_type (choices, G_VARIANT_TYPE_STRING_ARRAY))
    return g_strdup_printf ("%s is out of range", quoted);
  nicks = g_variant_get_strv (choices, NULL);
  joined = g_strjoinv (", ", (char **) nicks);
  return g_strdup_printf ("%s is not one of %s", quoted, joined);
}

/* Writes the members of @values into the settings, each checked against the schema; what
 * does not fit is a problem and left out. */
static void
write_settings (RgHostSession *self,
                JsonObject    *values,
                Problems      *problems)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init_ordered (&iter, values);
  while (json_object_iter_next_ordered (&iter, &name, &node))
    {
      g_autoptr (GSettingsSchemaKey) key = NULL;
      g_autoptr (GVariant) value = NULL;
      g_autoptr (GError) error = NULL;
      g_autofree char *type = NULL;
      const GVariantType *value_type;

      if (!g_settings_schema_has_key (self->schema, name))
        {
          g_autofree char *quoted = quote (name);

          add_problem (problems, "%s is not a key of the settings", quoted);
          continue;
        }
      key = g_settings_schema_get_key (self->schema, name);
      value_type = g_settings_schema_key_get_value_type (key);
      type = g_variant_type_dup_string (value_type);
      value = json_gvariant_deserialize (node, type, &error);
      if (value == NULL)
        {
          g_autofree char *text = json_to_string (node, FALSE);
          g_autofree char *bounded = dup_bounded (text, RG_HOST_MAX_QUOTED_BYTES);

          add_problem (problems, "%s: %s is not %s", name, bounded, describe_type (value_type));
          continue;
        }
      /* Possibly floating. */
      g_variant_take_ref (value);
      if (!g_settings_schema_key_range_check (key, value))
        {
          g_autofree char *why = dup_range_problem (key, value);

          add_problem (problems, "%s: %s", name, why);
          continue;
        }
      if (!g_settings_set_value (self->settings, name, value))
        add_problem (problems, "%s: could not be set", name);
    }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Takes the desktop's dconf locks: every key that the desktop's administrator locked (not
 * writable in dconf) and that the add-on did not lock (not in @locked) gets dconf's value in
 * the settings, over the user's value from the add-on, and is added to @locked, as for
 * Evolution and the command on the same desktop.  A key locked by both keeps the add-on's
 * value: Thunderbird's policies.json is the more specific policy, written for this client
 * (maybe for these very users), where the desktop's is for every client.  Keys not locked are
 * not read: the user's own dconf values are Evolution's preferences, not policy.
 * Returns the keys taken, sorted; empty without dconf. */
static GPtrArray *
take_desktop_locks (RgHostSession *self,
                    GHashTable    *locked)
{
  GPtrArray *taken = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) keys = NULL;

  if (self->desktop == NULL)
    return taken;
  keys = g_settings_schema_list_keys (self->schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr (GVariant) value = NULL;

      if (g_settings_is_writable (self->desktop, keys[i])
          || g_hash_table_contains (locked, keys[i]))
        continue;
      /* GSettings checked dconf's value against the schema: it fits. */
      value = g_settings_get_value (self->desktop, keys[i]);
      g_settings_set_value (self->settings, keys[i], value);
      g_hash_table_add (locked, g_strdup (keys[i]));
      g_ptr_array_add (taken, g_strdup (keys[i]));
    }
  g_ptr_array_sort_with_data (taken, compare_strings, NULL);
  return taken;
}

static void
reset_settings (RgHostSession *self)
{
  g_auto (GStrv) keys = g_settings_schema_list_keys (self->schema);

  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (self->settings, keys[i]);
}

/* Every key of the schema with its value in effect, in the order of their names; enums
 * come out as their nicks. */
static JsonNode *
dup_settings_node (RgHostSession *self)
{
  g_autoptr (JsonObject) object = json_object_new ();
  g_auto (GStrv) keys = NULL;
  JsonNode *node;

  if (self->settings == NULL)
    return json_node_new (JSON_NODE_NULL);

  keys = g_settings_schema_list_keys (self->schema);
  g_qsort_with_data (keys, (gint) g_strv_length (keys), sizeof (char *),
                     compare_strings, NULL);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr (GVariant) value = g_settings_get_value (self->settings, keys[i]);

      json_object_set_member (object, keys[i], json_gvariant_serialize (value));
    }
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, object);
  return node;
}

/* The "known" member: an object, domain → evidence; its entries are judged one by one
 * (add_known ()). */
static gboolean
get_known_member (JsonObject  *request,
                  JsonObject **known,
                  GError     **error)
{
  JsonNode *node = NULL;

  *known = NULL;
  if (!get_member (request, "known", JSON_NODE_OBJECT, FALSE, &node, error))
    return FALSE;
  if (node != NULL)
    *known = json_node_get_object (node);
  return TRUE;
}

/* Reads the evidence for @domain in @node: a count, which is a contact's, or
 * {"count": N, "source": S} with S "contact" or "collected" and nothing else.  Identities have
 * their own member, and the administrator's domains come with the settings: "known" is what
 * the address books say.  Returns FALSE after naming the problem. */
static gboolean
parse_known_entry (const char *domain,
                   JsonNode   *node,
                   gint64     *count,
                   rg_source  *source,
                   Problems   *problems)
{
  g_autofree char *quoted = quote (domain);
  JsonNode *count_node = node;
  JsonNode *source_node = NULL;

  *source = RG_SOURCE_CONTACT;
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);

      count_node = json_object_get_member (object, "count");
      source_node = json_object_get_member (object, "source");
      if (json_object_get_size (object) != 2 || source_node == NULL
          || !node_is_string (source_node))
        count_node = NULL;
    }
  if (count_node == NULL || !node_is_integer (count_node))
    {
      add_problem (problems, "known: %s: expected a count or {\"count\": N, \"source\": S}",
                   quoted);
      return FALSE;
    }
  if (source_node != NULL
      && (!rg_source_from_string (json_node_get_string (source_node), source)
          || (*source != RG_SOURCE_CONTACT && *source != RG_SOURCE_COLLECTED)))
    {
      g_autofree char *quoted_source = quote (json_node_get_string (source_node));

      add_problem (problems, "known: %s: the source %s is not “contact” or “collected”", quoted,
                   quoted_source);
      return FALSE;
    }
  *count = json_node_get_int (count_node);
  if (*count < 1)
    {
      add_problem (problems, "known: %s: the count must be at least 1", quoted);
      return FALSE;
    }
  return TRUE;
}

static void
add_known (rg_config  *config,
           JsonObject *known,
           Problems   *problems)
{
  JsonObjectIter iter;
  const char *domain;
  JsonNode *node;

  json_object_iter_init_ordered (&iter, known);
  while (json_object_iter_next_ordered (&iter, &domain, &node))
    {
      gint64 count = 0;
      rg_source source = RG_SOURCE_CONTACT;
      rg_status status;

      if (!parse_known_entry (domain, node, &count, &source, problems))
        continue;
      status = rg_config_add_evidence (config, domain,
                                       (guint32) MIN (count, (gint64) G_MAXUINT32), source);
      if (status != RG_OK)
        {
          g_autofree char *quoted = quote (domain);

          add_problem (problems, "known: %s: %s", quoted, rg_strerror (status));
        }
    }
}

/* The domains of the user's own addresses count as known, once each, as identities. */
static void
add_identities (rg_config *config,
                JsonArray *identities,
                Problems  *problems)
{
  for (guint i = 0; i < json_array_get_length (identities); i++)
    {
      const char *address = json_array_get_string_element (identities, i);
      rg_status status = rg_config_add_evidence (config, address, 1, RG_SOURCE_IDENTITY);

      if (status != RG_OK)
        {
          g_autofree char *quoted = quote (address);

          add_problem (problems, "identities: %s: %s", quoted, rg_strerror (status));
        }
    }
}

/* The entries of the domain lists that the settings reader left out, as
 * [{"key", "entry", "message"}]: the message is the sentence Evolution's Preferences shows
 * for the entry, in the language of the configure, for the options page to show beside its
 * list.  At most RG_HOST_MAX_PROBLEMS, each bounded as a problem is. */
static JsonArray *
dup_refused_array (GSettings *settings)
{
  g_autoptr (GPtrArray) refusals = rg_settings_list_refusals (settings);
  guint n = MIN (refusals->len, RG_HOST_MAX_PROBLEMS);
  JsonArray *array = json_array_sized_new (n);

  for (guint i = 0; i < n; i++)
    {
      const RgSettingsRefusal *refusal = g_ptr_array_index (refusals, i);
      g_autofree char *entry = dup_bounded (refusal->entry, RG_HOST_MAX_PROBLEM_BYTES);
      g_autofree char *message = dup_bounded (refusal->message, RG_HOST_MAX_PROBLEM_BYTES);
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "key", refusal->key);
      json_object_set_string_member (object, "entry", entry);
      json_object_set_string_member (object, "message", message);
      json_array_add_object_element (array, object);
    }
  return array;
}

/* The language is set through the environment ($LANGUAGE, which gettext reads at each
 * lookup), and the environment may be changed only while no other thread can read it: not
 * while a check that outlived its budget still runs on a worker, nor while the decision
 * log's writer works (GLib's messages read $TZ).  Until then the language asked for waits,
 * and the sentences keep the previous one; each configure and check tries again. */
static void
apply_pending_language (RgHostSession *self)
{
  if (self->pending_language == NULL || !rg_guard_is_idle ()
      || !rg_decision_log_flush (self->log, 0))
    return;
  rg_host_set_language (self->pending_language);
  g_clear_pointer (&self->pending_language, g_free);
}

static gboolean
handle_configure (RgHostSession  *self,
                  JsonObject     *request,
                  JsonObject     *answer,
                  GError        **error)
{
  g_autoptr (GPtrArray) problem_list = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) locked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) desktop_locked = NULL;
  g_autoptr (rg_config) config = NULL;
  JsonArray *desktop_locked_array;
  Problems problems = { problem_list, 0 };
  JsonNode *settings_node = NULL;
  JsonObject *values = NULL;
  JsonArray *locked_keys = NULL;
  JsonObject *known = NULL;
  JsonArray *identities = NULL;
  const char *language = NULL;

  if (!get_member (request, "settings", JSON_NODE_OBJECT, FALSE, &settings_node, error)
      || !get_strings_member (request, "locked", FALSE, &locked_keys, error)
      || !get_known_member (request, &known, error)
      || !get_strings_member (request, "identities", FALSE, &identities, error)
      || !get_string_member (request, "language", FALSE, &language, error))
    return FALSE;
  if (settings_node != NULL)
    values = json_node_get_object (settings_node);

  config = rg_config_new ();
  if (config == NULL)
    {
      g_set_error (error, RG_HOST_ERROR, RG_HOST_ERROR_INTERNAL, "%s",
                   rg_strerror (RG_E_NOMEM));
      return FALSE;
    }

  /* The add-on's locks first: the desktop's locks take the keys it did not lock. */
  for (guint i = 0; locked_keys != NULL && i < json_array_get_length (locked_keys); i++)
    {
      const char *key = json_array_get_string_element (locked_keys, i);

      if (self->schema != NULL && !g_settings_schema_has_key (self->schema, key))
        {
          g_autofree char *quoted = quote (key);

          add_problem (&problems, "locked: %s is not a key of the settings", quoted);
          continue;
        }
      g_hash_table_add (locked, g_strdup (key));
    }

  if (self->settings != NULL)
    {
      g_auto (GStrv) refused = NULL;

      /* Absent keys keep the schema's default: nothing of the previous configure stays. */
      reset_settings (self);
      if (values != NULL)
        write_settings (self, values, &problems);
      desktop_locked = take_desktop_locks (self, locked);
      refused = rg_settings_apply (self->settings, config);
      for (guint i = 0; refused != NULL && refused[i] != NULL; i++)
        add_problem (&problems, "%s", refused[i]);
    }
  else if (values != NULL && json_object_get_size (values) > 0)
    {
      add_problem (&problems, "settings: not applied: the schema %s is not installed",
                   RG_SETTINGS_SCHEMA_ID);
    }

  if (language != NULL && !rg_host_is_language_tag (language))
    {
      g_autofree char *quoted = quote (language);

      add_problem (&problems, "language: %s is not a language tag", quoted);
    }
  else if (language != NULL)
    {
      g_free (self->pending_language);
      self->pending_language = g_strdup (language);
    }
  apply_pending_language (self);

  if (known != NULL)
    add_known (config, known, &problems);
  if (identities != NULL)
    add_identities (config, identities, &problems);

  install_guard (self, config);
  g_clear_pointer (&self->locked, g_hash_table_unref);
  self->locked = g_steal_pointer (&locked);

  json_object_set_member (answer, "settings", dup_settings_node (self));
  json_object_set_string_member (answer, "scope", rg_scope_to_string (get_scope (self)));
  desktop_locked_array = json_array_new ();
  for (guint i = 0; desktop_locked != NULL && i < desktop_locked->len; i++)
    json_array_add_string_element (desktop_locked_array,
                                   g_ptr_array_index (desktop_locked, i));
  json_object_set_array_member (answer, "desktop_locked", desktop_locked_array);
  /* After the language is set: the messages speak the add-on's. */
  json_object_set_array_member (answer, "refused", self->settings != NULL
                                                   ? dup_refused_array (self->settings)
                                                   : json_array_new ());
  set_problems_member (answer, &problems);
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* check */

/* @locked: the keys locked (the add-on's and the desktop's), for whose words a policy
 * finding gets: the administrator's or the user's own. */
static JsonObject *
dup_finding_object (const rg_finding *finding,
                    GHashTable       *locked)
{
  JsonObject *object = json_object_new ();
  JsonArray *reasons = json_array_new ();
  rg_verdict verdict = rg_finding_get_verdict (finding);
  const char *suggestion = rg_finding_get_suggestion (finding);
  const char *policy_key = rg_finding_get_policy_key (finding);
  g_autofree char *description =
    rg_finding_dup_description (finding, policy_key != NULL
                                         && g_hash_table_contains (locked, policy_key));

  json_object_set_int_member (object, "list", (gint64) rg_finding_get_list_index (finding));
  json_object_set_string_member (object, "input", rg_finding_get_input (finding));
  json_object_set_string_member (object, "address", rg_finding_get_address (finding));
  json_object_set_string_member (object, "domain", rg_finding_get_domain (finding));
  json_object_set_string_member (object, "verdict", rg_verdict_to_string (verdict));
  json_object_set_string_member (object, "label", rg_verdict_get_label (verdict));
  json_object_set_int_member (object, "score", rg_finding_get_score (finding));
  for (gsize r = 0; r < rg_finding_get_n_reasons (finding); r++)
    json_array_add_string_element (reasons,
                                   rg_reason_to_code (rg_finding_get_reason (finding, r)));
  json_object_set_array_member (object, "reasons", reasons);
  json_object_set_string_member (object, "description", description);
  if (suggestion != NULL)
    json_object_set_string_member (object, "suggestion", suggestion);
  else
    json_object_set_null_member (object, "suggestion");
  return object;
}

static RgHostError
kind_of_check_error (const GError *error)
{
  if (rg_guard_error_is_input (error))
    return RG_HOST_ERROR_INPUT;
  if (g_error_matches (error, RG_GUARD_ERROR, RG_GUARD_ERROR_TIMEOUT))
    return RG_HOST_ERROR_TIMEOUT;
  if (g_error_matches (error, RG_GUARD_ERROR, RG_GUARD_ERROR_GARBAGE))
    return RG_HOST_ERROR_GARBAGE;
  return RG_HOST_ERROR_INTERNAL;
}

/* On success, *@report receives the report, for the caller to keep once it is answered. */
static gboolean
handle_check (RgHostSession  *self,
              JsonObject     *request,
              JsonObject     *answer,
              rg_report     **report_out,
              GError        **error)
{
  g_autoptr (rg_report) report = NULL;
  g_autoptr (GError) check_error = NULL;
  g_autofree const char **lists = NULL;
  JsonArray *list_array = NULL;
  JsonArray *findings;
  guint n_lists;

  if (!get_strings_member (request, "lists", TRUE, &list_array, error))
    return FALSE;
  n_lists = json_array_get_length (list_array);
  lists = g_new0 (const char *, n_lists + 1);
  for (guint i = 0; i < n_lists; i++)
    lists[i] = json_array_get_string_element (list_array, i);

  if (self->guard == NULL)
    {
      g_set_error_literal (error, RG_HOST_ERROR, RG_HOST_ERROR_INTERNAL,
                           "no checker could be built");
      return FALSE;
    }
  apply_pending_language (self);
  /* The add-on asks nothing while checking is off; should a check come all the same, it is
   * a full one. */
  report = rg_guard_check (self->guard,
                           get_scope (self) == RG_SCOPE_BLOCKS ? RG_SCOPE_BLOCKS : RG_SCOPE_ALL,
                           lists, n_lists, &check_error);
  if (report == NULL)
    {
      g_set_error_literal (error, RG_HOST_ERROR, kind_of_check_error (check_error),
                           check_error->message);
      return FALSE;
    }

  findings = json_array_sized_new ((guint) rg_report_get_n_findings (report));
  for (gsize i = 0; i < rg_report_get_n_findings (report); i++)
    json_array_add_object_element (findings,
                                   dup_finding_object (rg_report_get_finding (report, i),
                                                       self->locked));
  json_object_set_string_member (answer, "verdict",
                                 rg_verdict_to_string (rg_report_get_verdict (report)));
  json_object_set_array_member (answer, "findings", findings);
  *report_out = g_steal_pointer (&report);
  return TRUE;
}

/* Keeps @report as the one of check @check_id, forgetting the oldest past
 * RG_HOST_KEPT_REPORTS (and an earlier check of the same id). */
static void
keep_report (RgHostSession *self,
             gint64         check_id,
             rg_report     *report)
{
  KeptReport *kept = g_new0 (KeptReport, 1);

  for (GList *l = self->kept.head; l != NULL; l = l->next)
    {
      KeptReport *old = l->data;

      if (old->check_id == check_id)
        {
          g_queue_delete_link (&self->kept, l);
          kept_report_free (old);
          break;
        }
    }
  kept->check_id = check_id;
  kept->report = report;
  g_queue_push_tail (&self->kept, kept);
  while (g_queue_get_length (&self->kept) > RG_HOST_KEPT_REPORTS)
    kept_report_free (g_queue_pop_head (&self->kept));
}

static const rg_report *
find_report (RgHostSession *self,
             gint64         check_id)
{
  for (GList *l = self->kept.tail; l != NULL; l = l->prev)
    {
      KeptReport *kept = l->data;

      if (kept->check_id == check_id)
        return kept->report;
    }
  return NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* record */

/* The optional member "outcomes" of a record: one word per flagged finding of @report (verdict
 * warn or block), in order.  Returns FALSE with a protocol error when it is not that; an
 * absent member leaves @outcomes empty. */
static gboolean
get_outcomes (JsonObject       *request,
              const rg_report  *report,
              GArray           *outcomes,
              GError          **error)
{
  JsonNode *node = json_object_get_member (request, "outcomes");
  JsonArray *array;
  gsize n_flagged = 0;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node) || report == NULL)
    {
      g_set_error_literal (error, RG_HOST_ERROR, RG_HOST_ERROR_PROTOCOL,
                           report == NULL ? "“outcomes” needs a check"
                                          : "“outcomes” must be an array of strings");
      return FALSE;
    }
  array = json_node_get_array (node);
  for (gsize i = 0; i < rg_report_get_n_findings (report); i++)
    if (rg_finding_get_verdict (rg_report_get_finding (report, i)) >= RG_VERDICT_WARN)
      n_flagged++;
  if (json_array_get_length (array) != n_flagged)
    {
      g_set_error (error, RG_HOST_ERROR, RG_HOST_ERROR_PROTOCOL,
                   "“outcomes” has %u entries; the check flagged %" G_GSIZE_FORMAT
                   " recipients", json_array_get_length (array), n_flagged);
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *word = JSON_NODE_HOLDS_VALUE (element)
                           && json_node_get_value_type (element) == G_TYPE_STRING
                           ? json_node_get_string (element) : NULL;
      RgOutcome outcome;

      if (!rg_outcome_from_string (word, &outcome))
        {
          g_autofree char *quoted = word != NULL ? quote (word) : g_strdup ("a non-string");

          g_set_error (error, RG_HOST_ERROR, RG_HOST_ERROR_PROTOCOL,
                       "%s is not an outcome (used-suggestion, kept, removed, trusted)",
                       quoted);
          return FALSE;
        }
      g_array_append_val (outcomes, outcome);
    }
  return TRUE;
}

/* A record's answer, made when the log's writer is done with it. */
typedef struct {
  RgHostChannel *channel;
  gint64 id;
} LateAnswer;

static void on_recorded (const GError *error, gpointer user_data);

/* Hands the decision to the log, whose writer thread answers it (on_recorded ()): the next
 * request, a check at the next Send, never waits for the disk. */
static gboolean
handle_record (RgHostSession  *self,
               gint64          id,
               JsonObject     *request,
               GError        **error)
{
  LateAnswer *late;
  const char *decision_name = NULL;
  const char *sender = NULL;
  const char *error_message = NULL;
  const rg_report *report = NULL;
  g_autoptr (GArray) outcomes = g_array_new (FALSE, FALSE, sizeof (RgOutcome));
  const char *policy_key;
  RgDecision decision;

  if (!get_string_member (request, "decision", TRUE, &decision_name, error)
      || !get_string_member (request, "sender", FALSE, &sender, error))
    return FALSE;
  if (!rg_decision_from_string (decision_name, &decision))
    {
      g_autofree char *quoted = quote (decision_name);

      g_set_error (error, RG_HOST_ERROR, RG_HOST_ERROR_PROTOCOL, "%s is not a decision",
                   quoted);
      return FALSE;
    }

  if (decision == RG_DECISION_CHECK_FAILED)
    {
      /* A failed check has no report; a "check" member is not used. */
      if (!get_string_member (request, "error", TRUE, &error_message, error))
        return FALSE;
    }
  else
    {
      JsonNode *check = json_object_get_member (request, "check");
      gint64 check_id;

      if (check == NULL)
        {
          g_set_error_literal (error, RG_HOST_ERROR, RG_HOST_ERROR_PROTOCOL,
                               "the member “check” is missing");
          return FALSE;
        }
      if (!node_is_integer (check))
        {
          g_set_error_literal (error, RG_HOST_ERROR, RG_HOST_ERROR_PROTOCOL,
                               "“check” must be an integer");
          return FALSE;
        }
      check_id = json_node_get_int (check);
      report = find_report (self, check_id);
      if (report == NULL)
        {
          g_set_error (error, RG_HOST_ERROR, RG_HOST_ERROR_PROTOCOL,
                       "the host has no check %" G_GINT64_FORMAT " (it keeps the reports of "
                       "its last %u checks)", check_id, RG_HOST_KEPT_REPORTS);
          return FALSE;
        }
    }

  if (!get_outcomes (request, report, outcomes, error))
    return FALSE;

  policy_key = rg_decision_policy_key (report);
  late = g_new0 (LateAnswer, 1);
  late->channel = rg_host_channel_ref (self->channel);
  late->id = id;
  rg_decision_log_record (self->log, decision, sender, report,
                          (const RgOutcome *) outcomes->data, outcomes->len, error_message,
                          policy_key != NULL && g_hash_table_contains (self->locked, policy_key),
                          on_recorded, late);
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* Answers */

static GBytes *
serialize (JsonObject *answer)
{
  g_autoptr (JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  gsize len = 0;
  char *text;

  json_node_set_object (root, answer);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);
  return g_bytes_new_take (text, len);
}

/* {"id": ID, "ok": BOOL}, for the members to follow; @id NULL: "id": null. */
static JsonObject *
new_answer (const gint64 *id,
            gboolean      ok)
{
  JsonObject *answer = json_object_new ();

  if (id != NULL)
    json_object_set_int_member (answer, "id", *id);
  else
    json_object_set_null_member (answer, "id");
  json_object_set_boolean_member (answer, "ok", ok);
  return answer;
}

static GBytes *
serialize_error (const gint64 *id,
                 RgHostError   kind,
                 const char   *message)
{
  g_autoptr (JsonObject) answer = new_answer (id, FALSE);
  g_autoptr (JsonObject) object = json_object_new ();
  g_autofree char *bounded = dup_bounded (message, RG_HOST_MAX_PROBLEM_BYTES);

  json_object_set_string_member (object, "kind", error_kinds[kind]);
  json_object_set_string_member (object, "message", bounded);
  json_object_set_object_member (answer, "error", g_steal_pointer (&object));
  return serialize (answer);
}

/* {"id", "ok": true} once the record is in the file, else a "log" error saying why not: the
 * add-on counts it as a failed log write, and the user is not stopped. */
static void
on_recorded (const GError *error,
             gpointer      user_data)
{
  LateAnswer *late = user_data;
  g_autoptr (GBytes) answer = NULL;
  g_autoptr (GError) write_error = NULL;
  const char *data;
  gsize len;

  if (error == NULL)
    {
      g_autoptr (JsonObject) object = new_answer (&late->id, TRUE);

      answer = serialize (object);
    }
  else
    {
      g_autofree char *message = g_strdup_printf ("the decision was not written to the "
                                                  "log: %s", error->message);

      answer = serialize_error (&late->id, RG_HOST_ERROR_LOG, message);
    }
  data = g_bytes_get_data (answer, &len);
  /* Thunderbird has gone when this fails; the main loop sees it at its next read. */
  if (!rg_host_channel_write (late->channel, data, len, &write_error))
    g_printerr ("rcptguard-native-host: %s\n", write_error->message);
  rg_host_channel_unref (late->channel);
  g_free (late);
}

static GBytes *
serialize_gerror (const gint64 *id,
                  const GError *error)
{
  RgHostError kind = RG_HOST_ERROR_INTERNAL;

  if (error->domain == RG_HOST_ERROR && (guint) error->code < G_N_ELEMENTS (error_kinds))
    kind = (RgHostError) error->code;
  return serialize_error (id, kind, error->message);
}

GBytes *
rg_host_session_answer_too_long (void)
{
  g_autofree char *message =
    g_strdup_printf ("the request is longer than %u bytes", RG_HOST_MAX_REQUEST_BYTES);

  return serialize_error (NULL, RG_HOST_ERROR_PROTOCOL, message);
}

/**
 * rg_host_session_handle:
 *
 * An answer that would be longer than Thunderbird accepts is replaced by an error: for a
 * check, an "input" error (its findings, one per recipient, make it long: the user must
 * send to fewer recipients at a time, and on-error is no answer since nothing failed); for
 * anything else, which cannot be that long, an "internal" error.
 */
GBytes *
rg_host_session_handle (RgHostSession *self,
                        const char    *data,
                        gsize          len)
{
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (JsonObject) answer = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (rg_report) report = NULL;
  g_autoptr (GBytes) bytes = NULL;
  JsonObject *request;
  JsonNode *id_node;
  const char *type = NULL;
  gint64 id;
  gboolean is_check = FALSE;
  gboolean ok;

  root = rg_host_json_parse (data, len, &error);
  if (root == NULL)
    return serialize_error (NULL, RG_HOST_ERROR_PROTOCOL, error->message);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return serialize_error (NULL, RG_HOST_ERROR_PROTOCOL, "the request is not a JSON object");
  request = json_node_get_object (root);
  id_node = json_object_get_member (request, "id");
  if (id_node == NULL || !node_is_integer (id_node))
    return serialize_error (NULL, RG_HOST_ERROR_PROTOCOL, "the request has no integer “id”");
  id = json_node_get_int (id_node);
  /* JavaScript's numbers hold integers exactly up to 2^53: a larger id would come back as
   * another number, and the add-on could not match the answer. */
  if (id > RG_HOST_MAX_ID || id < -RG_HOST_MAX_ID)
    return serialize_error (NULL, RG_HOST_ERROR_PROTOCOL,
                            "the “id” is outside ±2^53 (9007199254740992)");

  if (!get_string_member (request, "type", TRUE, &type, &error))
    return serialize_gerror (&id, error);

  answer = new_answer (&id, TRUE);
  if (strcmp (type, "configure") == 0)
    ok = handle_configure (self, request, answer, &error);
  else if (strcmp (type, "check") == 0)
    {
      is_check = TRUE;
      ok = handle_check (self, request, answer, &report, &error);
    }
  else if (strcmp (type, "record") == 0)
    {
      if (handle_record (self, id, request, &error))
        return NULL;
      ok = FALSE;
    }
  else
    {
      g_autofree char *quoted = quote (type);

      g_set_error (&error, RG_HOST_ERROR, RG_HOST_ERROR_PROTOCOL, "%s is not a request type",
                   quoted);
      ok = FALSE;
    }
  if (!ok)
    return serialize_gerror (&id, error);

  bytes = serialize (answer);
  if (g_bytes_get_size (bytes) > RG_HOST_MAX_ANSWER_BYTES)
    {
      g_autofree char *message = NULL;

      if (is_check)
        message = g_strdup_printf ("the findings of %" G_GSIZE_FORMAT " recipients are longer "
                                   "than the %u bytes a host may answer: send to fewer "
                                   "recipients at a time",
                                   rg_report_get_n_findings (report), RG_HOST_MAX_ANSWER_BYTES);
      else
        message = g_strdup_printf ("the answer is longer than the %u bytes a host may send",
                                   RG_HOST_MAX_ANSWER_BYTES);
      return serialize_error (&id, is_check ? RG_HOST_ERROR_INPUT : RG_HOST_ERROR_INTERNAL,
                              message);
    }
  if (report != NULL)
    keep_report (self, id, g_steal_pointer (&report));
  return g_steal_pointer (&bytes);
}

/* ---------------------------------------------------------------------------------------- */

RgHostSession *
rg_host_session_new (RgHostChannel *channel)
{
  RgHostSession *self = g_new0 (RgHostSession, 1);
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (rg_config) config = rg_config_new ();

  if (source != NULL)
    self->schema = g_settings_schema_source_lookup (source, RG_SETTINGS_SCHEMA_ID, TRUE);
  if (self->schema != NULL)
    {
      /* Memory: what the add-on sends, and the desktop's dconf locks (take_desktop_locks);
       * the user's own dconf values are neither read nor changed. */
      g_autoptr (GSettingsBackend) backend = g_memory_settings_backend_new ();

      self->settings = g_settings_new_full (self->schema, backend, NULL);
      if (rg_settings_backend_is_dconf ())
        self->desktop = rg_settings_new (NULL);
    }
  else
    {
      g_message ("The settings schema %s is not installed: checking with the built-in "
                 "defaults", RG_SETTINGS_SCHEMA_ID);
    }

  self->locked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (self->settings != NULL)
    g_ptr_array_unref (take_desktop_locks (self, self->locked));
  self->log = rg_decision_log_new (self->settings, "thunderbird");
  self->channel = rg_host_channel_ref (channel);
  g_queue_init (&self->kept);

  if (config != NULL)
    {
      /* The schema's defaults and the desktop's locks; what the core refuses of the latter
       * is named at each configure. */
      if (self->settings != NULL)
        g_strfreev (rg_settings_apply (self->settings, config));
      install_guard (self, config);
    }
  return self;
}

void
rg_host_session_free (RgHostSession *self)
{
  if (self == NULL)
    return;
  g_queue_clear_full (&self->kept, (GDestroyNotify) kept_report_free);
  g_clear_object (&self->guard);
  /* Waits a little for the records being written, whose answers keep the channel. */
  g_clear_object (&self->log);
  g_clear_pointer (&self->channel, rg_host_channel_unref);
  g_free (self->pending_language);
  g_clear_pointer (&self->locked, g_hash_table_unref);
  g_clear_object (&self->settings);
  g_clear_object (&self->desktop);
  g_clear_pointer (&self->schema, g_settings_schema_unref);
  g_free (self);
}
