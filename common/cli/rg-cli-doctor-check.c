/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-cli-doctor-check.c - one check of "rcptguard doctor", and how the checks are printed;
 * with the few helpers every check uses (JSON of others, waiting with a deadline).
 *
 * Each check keeps what it found twice: in English, for --format json, which configuration
 * management parses and which must be byte for byte the same in every language (as the JSON of
 * "check" and "policy" is), and in the user's language, for the text a help desk reads.  Both
 * come from one format string (RG_DOCTOR_SAY), so they cannot drift apart.
 */
#include "config.h"

#include "rg-cli-doctor-check.h"

#include <errno.h>
#include <locale.h>
#include <string.h>

#include "rg-cli-format.h"

struct _RgDoctorCheck {
  const char *id; /* static: a fixed English word, the same in every language */
  RgDoctorStatus status;
  char *message;
  char *message_local;
  char *fix;       /* nullable */
  char *fix_local; /* nullable */
  char *detail;    /* nullable */
  JsonObject *extra;
};

/**
 * rg_doctor_check_new:
 * @id: the check's name, e.g. "native-host"; static
 *
 * Returns: (transfer full): a check that found nothing yet (status skip, no message).
 */
RgDoctorCheck *
rg_doctor_check_new (const char *id)
{
  RgDoctorCheck *self = g_new0 (RgDoctorCheck, 1);

  self->id = id;
  self->status = RG_DOCTOR_SKIP;
  self->message = g_strdup ("");
  self->message_local = g_strdup ("");
  self->extra = json_object_new ();
  return self;
}

void
rg_doctor_check_free (RgDoctorCheck *self)
{
  if (self == NULL)
    return;
  g_free (self->message);
  g_free (self->message_local);
  g_free (self->fix);
  g_free (self->fix_local);
  g_free (self->detail);
  json_object_unref (self->extra);
  g_free (self);
}

RgDoctorStatus
rg_doctor_check_get_status (const RgDoctorCheck *self)
{
  return self->status;
}

void
rg_doctor_check_set (RgDoctorCheck  *self,
                     RgDoctorStatus  status,
                     char           *message,
                     char           *message_local)
{
  self->status = status;
  g_free (self->message);
  g_free (self->message_local);
  self->message = message;
  self->message_local = message_local;
}

void
rg_doctor_check_set_fix (RgDoctorCheck *self,
                         char          *fix,
                         char          *fix_local)
{
  g_free (self->fix);
  g_free (self->fix_local);
  self->fix = fix;
  self->fix_local = fix_local;
}

void
rg_doctor_check_set_detail (RgDoctorCheck *self,
                            const char    *detail)
{
  g_free (self->detail);
  self->detail = g_strdup (detail);
}

void
rg_doctor_check_add_string (RgDoctorCheck *self,
                            const char    *name,
                            const char    *value)
{
  if (value != NULL)
    json_object_set_string_member (self->extra, name, value);
  else
    json_object_set_null_member (self->extra, name);
}

void
rg_doctor_check_add_strv (RgDoctorCheck      *self,
                          const char         *name,
                          const char *const  *values)
{
  JsonArray *array = json_array_new ();

  for (gsize i = 0; values != NULL && values[i] != NULL; i++)
    json_array_add_string_element (array, values[i]);
  json_object_set_array_member (self->extra, name, array);
}

/* Takes @node over. */
void
rg_doctor_check_add_node (RgDoctorCheck *self,
                          const char    *name,
                          JsonNode      *node)
{
  json_object_set_member (self->extra, name, node);
}

void
rg_doctor_text_init (RgDoctorText *self)
{
  self->text = g_string_new (NULL);
  self->local = g_string_new (NULL);
  self->last_command = FALSE;
}

void
rg_doctor_text_clear (RgDoctorText *self)
{
  if (self->text != NULL)
    g_string_free (self->text, TRUE);
  if (self->local != NULL)
    g_string_free (self->local, TRUE);
  self->text = NULL;
  self->local = NULL;
}

gboolean
rg_doctor_text_is_empty (const RgDoctorText *self)
{
  return self->text->len == 0;
}

static void
text_add (RgDoctorText *self,
          char         *part,
          char         *part_local,
          gboolean      command)
{
  if (self->text->len == 0)
    {
      g_string_assign (self->text, part);
      g_string_assign (self->local, part_local);
    }
  else if (command || self->last_command)
    {
      g_string_append_printf (self->text, "; %s", part);
      g_string_append_printf (self->local, "; %s", part_local);
    }
  else
    {
      g_autofree char *joined = g_strdup_printf ("%s; %s", self->text->str, part);
      /* Translators: joins two problems that one check of "rcptguard doctor" found, or two
       * of their fixes, on one line; use your language's punctuation (French: " ; "). */
      g_autofree char *joined_local = g_strdup_printf (_("%s; %s"), self->local->str,
                                                       part_local);

      g_string_assign (self->text, joined);
      g_string_assign (self->local, joined_local);
    }
  self->last_command = command;
  g_free (part);
  g_free (part_local);
}

void
rg_doctor_text_add (RgDoctorText *self,
                    char         *part,
                    char         *part_local)
{
  text_add (self, part, part_local, FALSE);
}

void
rg_doctor_text_add_command (RgDoctorText *self,
                            char         *command)
{
  text_add (self, command, g_strdup (command), TRUE);
}

void
rg_doctor_text_set_message (RgDoctorText   *self,
                            RgDoctorCheck  *check,
                            RgDoctorStatus  status)
{
  rg_doctor_check_set (check, status, g_string_free (g_steal_pointer (&self->text), FALSE),
                       g_string_free (g_steal_pointer (&self->local), FALSE));
  rg_doctor_text_init (self);
}

void
rg_doctor_text_set_fix (RgDoctorText  *self,
                        RgDoctorCheck *check)
{
  rg_doctor_check_set_fix (check, g_string_free (g_steal_pointer (&self->text), FALSE),
                           g_string_free (g_steal_pointer (&self->local), FALSE));
  rg_doctor_text_init (self);
}

/**
 * rg_doctor_describe_errno:
 * @english: (out) (transfer full): strerror () in the C locale, whatever the user's
 * @local: (out) (transfer full): strerror () in the user's language
 */
void
rg_doctor_describe_errno (int    errsv,
                          char **english,
                          char **local)
{
  locale_t c_locale = newlocale (LC_ALL_MASK, "C", (locale_t) 0);

  if (c_locale != (locale_t) 0)
    {
      *english = g_strdup (strerror_l (errsv, c_locale));
      freelocale (c_locale);
    }
  else
    *english = g_strdup_printf ("error %d", errsv);
  *local = g_strdup (g_strerror (errsv));
}

JsonObject *
rg_doctor_json_get_object (JsonObject *object,
                           const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

const char *
rg_doctor_json_get_string (JsonObject *object,
                           const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gboolean
rg_doctor_json_get_boolean (JsonObject *object,
                            const char *name,
                            gboolean    fallback)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (node);
}

char *
rg_doctor_shell_word (const char *word)
{
  for (const char *p = word; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && strchr ("_./@%+=:,-", *p) == NULL)
        return g_shell_quote (word);
    }
  return g_strdup (word);
}

char *
rg_doctor_read_file (const char *path,
                     gsize       max_bytes,
                     gsize      *len)
{
  g_autofree char *data = NULL;

  if (!g_file_get_contents (path, &data, len, NULL) || *len > max_bytes)
    return NULL;
  return g_steal_pointer (&data);
}

static gboolean
on_wake (gpointer user_data)
{
  return G_SOURCE_REMOVE;
}

gboolean
rg_doctor_iterate_until (GMainContext *context,
                         gboolean     *done,
                         gint64        deadline)
{
  while (!*done)
    {
      gint64 now = g_get_monotonic_time ();
      GSource *wake;

      if (now >= deadline)
        return FALSE;
      /* A timer of our own, so that the iteration returns at the deadline at the latest. */
      wake = g_timeout_source_new ((guint) MIN ((deadline - now + 999) / 1000, G_MAXUINT));
      g_source_set_callback (wake, on_wake, NULL, NULL);
      g_source_attach (wake, context);
      g_main_context_iteration (context, TRUE);
      g_source_destroy (wake);
      g_source_unref (wake);
    }
  return TRUE;
}

RgDoctorStatus
rg_doctor_checks_get_worst (GPtrArray *checks)
{
  RgDoctorStatus worst = RG_DOCTOR_OK;

  for (guint i = 0; i < checks->len; i++)
    worst = MAX (worst, rg_doctor_check_get_status (g_ptr_array_index (checks, i)));
  return worst;
}

const char *
rg_doctor_overall_to_string (RgDoctorStatus worst)
{
  switch (worst)
    {
    case RG_DOCTOR_FAIL: return "off";
    case RG_DOCTOR_WARN: return "degraded";
    case RG_DOCTOR_OK:
    case RG_DOCTOR_SKIP:
    default:
      return "ok";
    }
}

/* 0 all is well, 1 something is degraded, 2 protection is off (README, "rcptguard doctor"). */
int
rg_doctor_overall_to_exit (RgDoctorStatus worst)
{
  switch (worst)
    {
    case RG_DOCTOR_FAIL: return 2;
    case RG_DOCTOR_WARN: return 1;
    case RG_DOCTOR_OK:
    case RG_DOCTOR_SKIP:
    default:
      return 0;
    }
}

static const char *
status_to_string (RgDoctorStatus status)
{
  switch (status)
    {
    case RG_DOCTOR_OK: return "ok";
    case RG_DOCTOR_WARN: return "warn";
    case RG_DOCTOR_FAIL: return "fail";
    case RG_DOCTOR_SKIP:
    default:
      return "skip";
    }
}

static const char *
status_to_text (RgDoctorStatus status)
{
  switch (status)
    {
    /* Translators: the status of a check in "rcptguard doctor", at the start of its line.
     * Keep WARN and FAIL in capitals (or your language's way of making a word stand out in
     * plain text), ok and skip in small letters; short words align best. */
    case RG_DOCTOR_OK: return C_("doctor", "ok");
    case RG_DOCTOR_WARN: return C_("doctor", "WARN");
    case RG_DOCTOR_FAIL: return C_("doctor", "FAIL");
    case RG_DOCTOR_SKIP:
    default:
      return C_("doctor", "skip");
    }
}

static void
append_padded (GString    *out,
               const char *text,
               gsize       width)
{
  gsize len = (gsize) g_utf8_strlen (text, -1);

  g_string_append (out, text);
  for (gsize i = len; i < width; i++)
    g_string_append_c (out, ' ');
}

/*
 *   ok    schema                org.rcptguard.RecipientGuard is installed
 *   FAIL  native-host           no manifest ...
 *         fix: copy ...
 *
 *   Recipient Guard does NOT protect this desktop: ...
 *
 * The status first, so that a glance down the left edge finds the problems; the check's name
 * as it is in JSON, so that a help desk and configuration management speak of the same thing.
 */
void
rg_doctor_format_text (GPtrArray *checks,
                       GString   *out)
{
  static const RgDoctorStatus statuses[] = { RG_DOCTOR_OK, RG_DOCTOR_WARN, RG_DOCTOR_FAIL,
                                             RG_DOCTOR_SKIP };
  gsize status_width = 0;
  gsize id_width = 0;
  guint n_warn = 0;
  guint n_fail = 0;
  RgDoctorStatus worst = rg_doctor_checks_get_worst (checks);

  for (gsize i = 0; i < G_N_ELEMENTS (statuses); i++)
    status_width = MAX (status_width, (gsize) g_utf8_strlen (status_to_text (statuses[i]), -1));
  for (guint i = 0; i < checks->len; i++)
    {
      const RgDoctorCheck *check = g_ptr_array_index (checks, i);

      id_width = MAX (id_width, strlen (check->id));
      n_warn += check->status == RG_DOCTOR_WARN;
      n_fail += check->status == RG_DOCTOR_FAIL;
    }

  for (guint i = 0; i < checks->len; i++)
    {
      const RgDoctorCheck *check = g_ptr_array_index (checks, i);

      append_padded (out, status_to_text (check->status), status_width + 2);
      append_padded (out, check->id, id_width + 2);
      g_string_append (out, check->message_local);
      if (check->detail != NULL)
        g_string_append_printf (out, " (%s)", check->detail);
      g_string_append_c (out, '\n');
      if (check->fix_local != NULL)
        {
          append_padded (out, "", status_width + 2);
          /* Translators: before the one-line fix under a problem that "rcptguard doctor"
           * found, e.g. "fix: chmod 700 ~/.local/state/rcptguard". */
          g_string_append_printf (out, _("fix: %s"), check->fix_local);
          g_string_append_c (out, '\n');
        }
    }

  g_string_append_c (out, '\n');
  if (worst == RG_DOCTOR_FAIL)
    g_string_append_printf (out,
                            /* Translators: the last line of "rcptguard doctor" when a check
                             * failed; %u are numbers of checks. */
                            _("Recipient Guard does NOT protect this desktop: failed: %u, "
                              "warnings: %u."),
                            n_fail, n_warn);
  else if (worst == RG_DOCTOR_WARN)
    g_string_append_printf (out,
                            /* Translators: the last line of "rcptguard doctor" when there are
                             * only warnings; %u is their number. */
                            _("Recipient Guard protects this desktop, but not fully: warnings: "
                              "%u."),
                            n_warn);
  else
    g_string_append (out, _("Recipient Guard protects this desktop."));
  g_string_append_c (out, '\n');
}

/*
 * One object on one line: {"status": "ok"|"degraded"|"off", "checks": [{"id", "status":
 * "ok"|"warn"|"fail"|"skip", "message", "fix" (null when none), "detail" (only with words of
 * another program), and the check's own members}]}.  English, in every language.
 */
void
rg_doctor_format_json (GPtrArray *checks,
                       GString   *out)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder,
                                 rg_doctor_overall_to_string (rg_doctor_checks_get_worst (checks)));
  json_builder_set_member_name (builder, "checks");
  json_builder_begin_array (builder);
  for (guint i = 0; i < checks->len; i++)
    {
      const RgDoctorCheck *check = g_ptr_array_index (checks, i);
      g_autoptr(GList) members = json_object_get_members (check->extra);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, check->id);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, status_to_string (check->status));
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, check->message);
      json_builder_set_member_name (builder, "fix");
      if (check->fix != NULL)
        json_builder_add_string_value (builder, check->fix);
      else
        json_builder_add_null_value (builder);
      if (check->detail != NULL)
        {
          json_builder_set_member_name (builder, "detail");
          json_builder_add_string_value (builder, check->detail);
        }
      /* In the order added: json-glib keeps it. */
      for (GList *l = members; l != NULL; l = l->next)
        {
          json_builder_set_member_name (builder, l->data);
          json_builder_add_value (builder,
                                  json_node_copy (json_object_get_member (check->extra,
                                                                          l->data)));
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  rg_cli_format_append_json_line (out, builder);
}
