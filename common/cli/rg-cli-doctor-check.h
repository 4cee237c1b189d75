/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-cli-doctor-check.h - one check of "rcptguard doctor": its status, what it found and the
 * fix, each in English (for --format json, the same in every language) and in the user's
 * language (for people), and how a list of checks is printed; with the few helpers every
 * check uses.
 */
#pragma once

#include <glib.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* In the order in which they win: one failed check turns protection off. */
typedef enum {
  RG_DOCTOR_SKIP, /* does not apply here (a mail client that is not installed) */
  RG_DOCTOR_OK,
  RG_DOCTOR_WARN, /* protection works, but less than it should: exit status 1 */
  RG_DOCTOR_FAIL, /* protection is off: exit status 2 */
} RgDoctorStatus;

typedef struct _RgDoctorCheck RgDoctorCheck;

RgDoctorCheck *rg_doctor_check_new (const char *id);
void rg_doctor_check_free (RgDoctorCheck *self);
RgDoctorStatus rg_doctor_check_get_status (const RgDoctorCheck *self);

/* Both texts are taken over (g_free ()); the English one goes to JSON, the other to text. */
void rg_doctor_check_set (RgDoctorCheck *self, RgDoctorStatus status, char *message,
                          char *message_local);
void rg_doctor_check_set_fix (RgDoctorCheck *self, char *fix, char *fix_local);
/* Words of another program (a loader's or evolution-data-server's error), as it said them:
 * appended to the message in text, the member "detail" in JSON. */
void rg_doctor_check_set_detail (RgDoctorCheck *self, const char *detail);
/* Members of the check's JSON object after "id", "status", "message", "fix" and "detail". */
void rg_doctor_check_add_string (RgDoctorCheck *self, const char *name, const char *value);
void rg_doctor_check_add_strv (RgDoctorCheck *self, const char *name, const char *const *values);
void rg_doctor_check_add_node (RgDoctorCheck *self, const char *name, JsonNode *node);

/*
 * A message (or fix) in English and in the user's language from one format: FORMAT is a
 * literal marked N_("..."), so that xgettext finds it and the compiler checks the arguments
 * against the English and, through gettext's format_arg, against the translation.  No macro
 * inside the literal: xgettext does not expand it, and the message would never be found;
 * names such as the schema's id go in as arguments.
 */
#define RG_DOCTOR_SAY(check, status, format, ...) \
  rg_doctor_check_set ((check), (status), g_strdup_printf (format, __VA_ARGS__), \
                       g_strdup_printf (_(format), __VA_ARGS__))
#define RG_DOCTOR_SAY_TEXT(check, status, text) \
  rg_doctor_check_set ((check), (status), g_strdup (text), g_strdup (_(text)))
#define RG_DOCTOR_FIX(check, format, ...) \
  rg_doctor_check_set_fix ((check), g_strdup_printf (format, __VA_ARGS__), \
                           g_strdup_printf (_(format), __VA_ARGS__))
#define RG_DOCTOR_FIX_TEXT(check, text) \
  rg_doctor_check_set_fix ((check), g_strdup (text), g_strdup (_(text)))
/* A fix that is a shell command: the same in every language. */
#define RG_DOCTOR_FIX_COMMAND(check, format, ...) \
  rg_doctor_check_set_fix ((check), g_strdup_printf (format, __VA_ARGS__), \
                           g_strdup_printf (format, __VA_ARGS__))

/*
 * Text in both languages, built from parts: a check that finds several problems says them
 * all in one message, and their fixes in one line.
 */
typedef struct {
  GString *text;
  GString *local;
  gboolean last_command; /* the last part is a shell command */
} RgDoctorText;

void rg_doctor_text_init (RgDoctorText *self);
void rg_doctor_text_clear (RgDoctorText *self);
gboolean rg_doctor_text_is_empty (const RgDoctorText *self);
/* Appends a part (taken over), joined to what is there as "%s; %s" says in each language. */
void rg_doctor_text_add (RgDoctorText *self, char *part, char *part_local);
/* Appends a shell command (taken over): joined with a plain "; " in every language, so that
 * the line can be pasted into a shell (French puts a no-break space before ";"). */
void rg_doctor_text_add_command (RgDoctorText *self, char *command);
/* Hands both texts to the check as its message or its fix, and empties @self. */
void rg_doctor_text_set_message (RgDoctorText *self, RgDoctorCheck *check,
                                 RgDoctorStatus status);
void rg_doctor_text_set_fix (RgDoctorText *self, RgDoctorCheck *check);

#define RG_DOCTOR_ADD(into, format, ...) \
  rg_doctor_text_add ((into), g_strdup_printf (format, __VA_ARGS__), \
                      g_strdup_printf (_(format), __VA_ARGS__))
/* A shell command, the same in every language. */
#define RG_DOCTOR_ADD_COMMAND(into, format, ...) \
  rg_doctor_text_add_command ((into), g_strdup_printf (format, __VA_ARGS__))
#define RG_DOCTOR_ADD_TEXT(into, part) \
  rg_doctor_text_add ((into), g_strdup (part), g_strdup (_(part)))
/* FORMAT's first argument is the text of @inner (an RgDoctorText) in each language; it may
 * take it in another place with "%1$s". */
#define RG_DOCTOR_ADD_WITH(into, inner, format, ...) \
  rg_doctor_text_add ((into), g_strdup_printf (format, (inner)->text->str, __VA_ARGS__), \
                      g_strdup_printf (_(format), (inner)->local->str, __VA_ARGS__))
#define RG_DOCTOR_ADD_WRAPPED(into, inner, format) \
  rg_doctor_text_add ((into), g_strdup_printf (format, (inner)->text->str), \
                      g_strdup_printf (_(format), (inner)->local->str))

/* An error number's description in English and in the user's language; free both. */
void rg_doctor_describe_errno (int errsv, char **english, char **local);

/* A part saying why with an error number: FORMAT takes the description ("...: %s"). */
#define RG_DOCTOR_ADD_ERRNO(into, errsv, format) \
  G_STMT_START { \
    char *english_ = NULL; \
    char *local_ = NULL; \
    rg_doctor_describe_errno ((errsv), &english_, &local_); \
    rg_doctor_text_add ((into), g_strdup_printf (format, english_), \
                        g_strdup_printf (_(format), local_)); \
    g_free (english_); \
    g_free (local_); \
  } G_STMT_END
/* FORMAT takes @path, then the reason ("%s cannot be written: %s"). */
#define RG_DOCTOR_ADD_ERRNO_PATH(into, errsv, format, path) \
  G_STMT_START { \
    char *english_ = NULL; \
    char *local_ = NULL; \
    rg_doctor_describe_errno ((errsv), &english_, &local_); \
    rg_doctor_text_add ((into), g_strdup_printf (format, (path), english_), \
                        g_strdup_printf (_(format), (path), local_)); \
    g_free (english_); \
    g_free (local_); \
  } G_STMT_END

/* Members of JSON written by others (a manifest, a policies.json, the host's answer): NULL,
 * or @fallback, when @object is NULL or the member is missing or of another type. */
JsonObject *rg_doctor_json_get_object (JsonObject *object, const char *name);
const char *rg_doctor_json_get_string (JsonObject *object, const char *name);
gboolean rg_doctor_json_get_boolean (JsonObject *object, const char *name, gboolean fallback);
/* @word as the shell takes it: as it is when it needs no quotes, else quoted.  For the paths
 * in fixes that are commands. */
char *rg_doctor_shell_word (const char *word);

/* A file of at most @max_bytes, or NULL (missing, unreadable, larger). */
char *rg_doctor_read_file (const char *path, gsize max_bytes, gsize *len);

/* Runs @context until *@done or until @deadline (g_get_monotonic_time ()); returns *@done.
 * The doctor waits for other processes this way, never without a limit. */
gboolean rg_doctor_iterate_until (GMainContext *context, gboolean *done, gint64 deadline);

/* The overall status: "ok", "degraded" or "off"; the exit status 0, 1 or 2. */
RgDoctorStatus rg_doctor_checks_get_worst (GPtrArray *checks);
const char *rg_doctor_overall_to_string (RgDoctorStatus worst);
int rg_doctor_overall_to_exit (RgDoctorStatus worst);

/* The report, appended to @out. */
void rg_doctor_format_text (GPtrArray *checks, GString *out);
void rg_doctor_format_json (GPtrArray *checks, GString *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RgDoctorCheck, rg_doctor_check_free)

G_END_DECLS
