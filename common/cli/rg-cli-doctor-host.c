/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-cli-doctor-host.c - the native host, for "rcptguard doctor": its manifest found where
 * and as Thunderbird finds it, and the host it names started and asked for one check.
 *
 * Thunderbird's rules, read in its source (Thunderbird 153 ESR, Debian 12's, whose omni.ja
 * holds the same files): toolkit/components/extensions/NativeManifests.sys.mjs, _tryPaths ():
 * the manifest "<name>.json" in ~/.mozilla/native-messaging-hosts, then in the system folder
 * (/usr/lib/mozilla/native-messaging-hosts, the build's mozilla_native_hosts_dir); the first
 * that passes its checks is used, the others are skipped with an error in the console.  Its
 * checks (parseManifest () and schemas/native_manifest.json): name, description, path and type
 * present, the name the one asked for, type "stdio", an absolute path, the add-on in
 * allowed_extensions.  The host is started with the manifest's path and the add-on's id as
 * arguments, in the host's folder (NativeMessaging.sys.mjs), and spoken to as PROTOCOL.md says.
 */
#include "config.h"

#include "rg-cli-doctor-host.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "rg-cli-doctor-policies.h"

/* The add-on waits this long for a check before it gives up on the host (README, "How the
 * add-on reaches the core"): a host slower than that fails in Thunderbird too. */
#define RG_DOCTOR_HOST_ANSWER_MS 5000
/* At the end of its input the host waits up to 2 s for decision records still being written
 * (README, "The file"); it has none here, so this is plenty. */
#define RG_DOCTOR_HOST_EXIT_MS 3000
/* PROTOCOL.md: the host's answers are at most 1 MiB (Thunderbird's limit). */
#define RG_DOCTOR_HOST_MAX_ANSWER (1024u * 1024u)
/* A manifest is a few hundred bytes; a larger file is not one, and is not read whole. */
#define RG_DOCTOR_MANIFEST_MAX_BYTES (64 * 1024)

/* The one request the doctor sends: a check of one address, as the add-on sends it at Send.
 * example.org is reserved (RFC 2606), so no real recipient is ever involved. */
#define RG_DOCTOR_HOST_REQUEST \
  "{\"id\":1,\"type\":\"check\",\"lists\":[\"doctor@example.org\"]}"

/* The native host's manifest */

typedef enum {
  MANIFEST_ABSENT,
  MANIFEST_REFUSED, /* Thunderbird skips it: @why says why */
  MANIFEST_USABLE,
} ManifestState;

static gboolean
strv_node_contains (JsonNode   *node,
                    const char *value)
{
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING
          && strcmp (json_node_get_string (element), value) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Reads the manifest at @path as Thunderbird does: @host receives the host's path when it
 * is usable. */
static ManifestState
read_manifest (const char    *path,
               char         **host,
               RgDoctorText  *why)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *data = NULL;
  JsonObject *manifest;
  const char *name;
  const char *type;
  const char *host_path;
  struct stat st;
  gsize len = 0;

  /* Thunderbird follows links: a link to nowhere is no manifest, as for it. */
  if (stat (path, &st) != 0 && errno == ENOENT)
    return MANIFEST_ABSENT;
  data = rg_doctor_read_file (path, RG_DOCTOR_MANIFEST_MAX_BYTES, &len);
  if (data == NULL)
    {
      /* Translators: %s is a file. */
      RG_DOCTOR_ADD (why, N_("%s cannot be read"), path);
      return MANIFEST_REFUSED;
    }
  if (!json_parser_load_from_data (parser, data, (gssize) len, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      /* Translators: %s is a file. */
      RG_DOCTOR_ADD (why, N_("%s is not a JSON object"), path);
      return MANIFEST_REFUSED;
    }
  manifest = json_node_get_object (json_parser_get_root (parser));
  name = rg_doctor_json_get_string (manifest, "name");
  type = rg_doctor_json_get_string (manifest, "type");
  host_path = rg_doctor_json_get_string (manifest, "path");

  if (g_strcmp0 (name, RG_DOCTOR_HOST_NAME) != 0)
    /* Translators: the first %s is a file, the second the host's name; "name" is a member
     * of the manifest: keep it. */
    RG_DOCTOR_ADD (why, N_("%s: its \"name\" is not \"%s\""), path, RG_DOCTOR_HOST_NAME);
  else if (rg_doctor_json_get_string (manifest, "description") == NULL)
    /* Translators: %s is a file; "description" is a member of the manifest: keep it. */
    RG_DOCTOR_ADD (why, N_("%s: it has no \"description\""), path);
  else if (g_strcmp0 (type, "stdio") != 0)
    /* Translators: %s is a file; "type" and "stdio" are JSON: keep them. */
    RG_DOCTOR_ADD (why, N_("%s: its \"type\" is not \"stdio\""), path);
  else if (host_path == NULL || !g_path_is_absolute (host_path))
    /* Translators: %s is a file; "path" is a member of the manifest: keep it. */
    RG_DOCTOR_ADD (why, N_("%s: its \"path\" is not an absolute path"), path);
  else if (!strv_node_contains (json_object_get_member (manifest, "allowed_extensions"),
                                RG_DOCTOR_ADDON_ID))
    /* Translators: the first %s is a file, the second the add-on's id;
     * "allowed_extensions" is a member of the manifest. */
    RG_DOCTOR_ADD (why, N_("%s: its \"allowed_extensions\" do not list %s"), path,
                   RG_DOCTOR_ADDON_ID);
  else
    {
      *host = g_strdup (host_path);
      return MANIFEST_USABLE;
    }
  return MANIFEST_REFUSED;
}

/* The host, asked for one check */

static gboolean
on_stream_ready (GObject  *stream,
                 gpointer  user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Waits until the stream of @source is ready, or @deadline; takes @source over. */
static gboolean
wait_for_stream (GSource      *source,
                 GMainContext *context,
                 gint64        deadline)
{
  gboolean ready = FALSE;

  g_source_set_callback (source, G_SOURCE_FUNC (on_stream_ready), &ready, NULL);
  g_source_attach (source, context);
  rg_doctor_iterate_until (context, &ready, deadline);
  g_source_destroy (source);
  g_source_unref (source);
  return ready;
}

typedef enum {
  IO_DONE,
  IO_TIMEOUT,
  IO_CLOSED, /* end of file, or a broken pipe: the host is gone */
  IO_ERROR,
} IoResult;

static IoResult
write_all (GPollableOutputStream *out,
           GMainContext          *context,
           const guint8          *data,
           gsize                  len,
           gint64                 deadline)
{
  gsize done = 0;

  while (done < len)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_pollable_output_stream_write_nonblocking (out, data + done, len - done, NULL,
                                                             &error);

      if (n > 0)
        {
          done += (gsize) n;
          continue;
        }
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
        return IO_CLOSED;
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return IO_ERROR;
      if (!wait_for_stream (g_pollable_output_stream_create_source (out, NULL), context,
                            deadline))
        return IO_TIMEOUT;
    }
  return IO_DONE;
}

static IoResult
read_all (GPollableInputStream *in,
          GMainContext         *context,
          guint8               *data,
          gsize                 len,
          gint64                deadline)
{
  gsize done = 0;

  while (done < len)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_pollable_input_stream_read_nonblocking (in, data + done, len - done, NULL,
                                                           &error);

      if (n > 0)
        {
          done += (gsize) n;
          continue;
        }
      if (n == 0)
        return IO_CLOSED;
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return IO_ERROR;
      if (!wait_for_stream (g_pollable_input_stream_create_source (in, NULL), context,
                            deadline))
        return IO_TIMEOUT;
    }
  return IO_DONE;
}

static void
on_waited (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *(gboolean *) user_data = TRUE;
}

/* Waits up to @timeout_ms for @process to end; stops it when it does not.  Returns whether it
 * ended by itself.  Either way it has been reaped. */
static gboolean
reap (GSubprocess  *process,
      GMainContext *context,
      guint         timeout_ms)
{
  gboolean ended = FALSE;
  gboolean by_itself;

  g_subprocess_wait_async (process, NULL, on_waited, &ended);
  by_itself = rg_doctor_iterate_until (context, &ended,
                             g_get_monotonic_time () + (gint64) timeout_ms * 1000);
  if (!by_itself)
    {
      g_subprocess_force_exit (process);
      /* SIGKILL: it ends now.  The pending wait returns too. */
      while (!ended)
        g_main_context_iteration (context, TRUE);
    }
  return by_itself;
}

/* How a host that is gone ended, said after "it ended before answering". */
static void
add_how_it_ended (RgDoctorText *why,
                  GSubprocess  *process,
                  GMainContext *context)
{
  if (!reap (process, context, RG_DOCTOR_HOST_EXIT_MS))
    {
      RG_DOCTOR_ADD_TEXT (why, N_("it closed its output without answering"));
      return;
    }
  if (g_subprocess_get_if_exited (process))
    /* Translators: about the native host; %d is its exit status. */
    RG_DOCTOR_ADD (why, N_("it ended without answering (exit status %d)"),
                   g_subprocess_get_exit_status (process));
  else
    {
      int sig = g_subprocess_get_term_sig (process);
      const char *name = sigabbrev_np (sig);

      /* Translators: about the native host; %s is a signal's name, such as SEGV. */
      RG_DOCTOR_ADD (why, N_("it ended without answering (signal %s)"),
                     name != NULL ? name : "?");
    }
}

/* errno for GLib's spawn errors, so that the reason can be said in English and in the
 * user's language alike. */
static int
spawn_error_to_errno (const GError *error)
{
  static const struct
  {
    int code;
    int errsv;
  } map[] = {
    { G_SPAWN_ERROR_ACCES, EACCES },   { G_SPAWN_ERROR_PERM, EPERM },
    { G_SPAWN_ERROR_TOO_BIG, E2BIG },  { G_SPAWN_ERROR_NOEXEC, ENOEXEC },
    { G_SPAWN_ERROR_NAMETOOLONG, ENAMETOOLONG }, { G_SPAWN_ERROR_NOENT, ENOENT },
    { G_SPAWN_ERROR_NOMEM, ENOMEM },   { G_SPAWN_ERROR_NOTDIR, ENOTDIR },
    { G_SPAWN_ERROR_LOOP, ELOOP },     { G_SPAWN_ERROR_TXTBUSY, ETXTBSY },
    { G_SPAWN_ERROR_IO, EIO },         { G_SPAWN_ERROR_NFILE, ENFILE },
    { G_SPAWN_ERROR_MFILE, EMFILE },   { G_SPAWN_ERROR_INVAL, EINVAL },
    { G_SPAWN_ERROR_ISDIR, EISDIR },   { G_SPAWN_ERROR_LIBBAD, ELIBBAD },
  };

  if (error->domain != G_SPAWN_ERROR)
    return 0;
  for (gsize i = 0; i < G_N_ELEMENTS (map); i++)
    {
      if (map[i].code == error->code)
        return map[i].errsv;
    }
  return 0;
}

/* The answer must be PROTOCOL.md's to a check: {"id": 1, "ok": true, "verdict", "findings":
 * [one finding with its verdict]}.  @detail receives the host's own error message when it
 * answered with one. */
static gboolean
is_check_answer (const guint8  *data,
                 gsize          len,
                 RgDoctorText  *why,
                 char         **detail)
{
  static const char *const verdicts[] = { "ok", "notice", "warn", "block", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *answer;
  JsonObject *error;
  JsonNode *node;
  JsonArray *findings;
  JsonNode *finding;
  const char *verdict;

  if (!g_utf8_validate ((const char *) data, (gssize) len, NULL)
      || !json_parser_load_from_data (parser, (const char *) data, (gssize) len, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      RG_DOCTOR_ADD_TEXT (why, N_("its answer is not a JSON object"));
      return FALSE;
    }
  answer = json_node_get_object (json_parser_get_root (parser));
  node = json_object_get_member (answer, "id");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64 || json_node_get_int (node) != 1)
    {
      RG_DOCTOR_ADD_TEXT (why, N_("its answer does not carry the request's id"));
      return FALSE;
    }
  node = json_object_get_member (answer, "ok");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      /* Not an answer at all: a program that echoes its input reads back the request. */
      RG_DOCTOR_ADD_TEXT (why, N_("its answer is not an answer to a check"));
      return FALSE;
    }
  error = rg_doctor_json_get_object (answer, "error");
  if (!json_node_get_boolean (node))
    {
      const char *kind = rg_doctor_json_get_string (error, "kind");
      const char *message = rg_doctor_json_get_string (error, "message");

      if (kind != NULL || message != NULL)
        *detail = g_strdup_printf ("%s: %s", kind != NULL ? kind : "?",
                                   message != NULL ? message : "?");
      RG_DOCTOR_ADD_TEXT (why, N_("it answered the check with an error"));
      return FALSE;
    }
  node = json_object_get_member (answer, "findings");
  findings = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  finding = findings != NULL && json_array_get_length (findings) == 1
              ? json_array_get_element (findings, 0) : NULL;
  verdict = finding != NULL && JSON_NODE_HOLDS_OBJECT (finding)
              ? rg_doctor_json_get_string (json_node_get_object (finding), "verdict") : NULL;
  if (verdict == NULL || !g_strv_contains (verdicts, verdict))
    {
      RG_DOCTOR_ADD_TEXT (why, N_("its answer has no finding with a verdict"));
      return FALSE;
    }
  return TRUE;
}

/*
 * Starts @host as Thunderbird does, sends it one check, reads the answer within the add-on's
 * budget, closes its input and reaps it.  Everything has a time limit: a host that hangs,
 * sleeps or echoes is stopped, never waited for.
 */
static gboolean
ask_host (const char    *host,
          const char    *manifest,
          RgDoctorText  *why,
          char         **detail)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_path_get_dirname (host);
  g_autofree guint8 *answer = NULL;
  const char *argv[] = { host, manifest, RG_DOCTOR_ADDON_ID, NULL };
  guint8 frame[4 + sizeof RG_DOCTOR_HOST_REQUEST - 1];
  guint8 header[4];
  guint32 length = sizeof RG_DOCTOR_HOST_REQUEST - 1;
  gint64 deadline;
  gboolean answered = FALSE;
  IoResult io;

  /* Native messaging: the length in the machine's byte order, then the JSON (PROTOCOL.md). */
  memcpy (frame, &length, 4);
  memcpy (frame + 4, RG_DOCTOR_HOST_REQUEST, length);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                        | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_cwd (launcher, folder);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (process == NULL)
    {
      int errsv = spawn_error_to_errno (error);

      if (errsv != 0)
        /* Translators: about the native host; %s says why, e.g. "Permission denied". */
        RG_DOCTOR_ADD_ERRNO (why, errsv, N_("it could not be started: %s"));
      else
        {
          RG_DOCTOR_ADD_TEXT (why, N_("it could not be started"));
          *detail = g_strdup (error->message);
        }
      return FALSE;
    }

  g_main_context_push_thread_default (context);
  deadline = g_get_monotonic_time () + (gint64) RG_DOCTOR_HOST_ANSWER_MS * 1000;
  io = write_all (G_POLLABLE_OUTPUT_STREAM (g_subprocess_get_stdin_pipe (process)), context,
                  frame, sizeof frame, deadline);
  /* A host that ended before reading may still have written something: what it wrote says
   * more than that it ended. */
  if (io == IO_DONE || io == IO_CLOSED)
    io = read_all (G_POLLABLE_INPUT_STREAM (g_subprocess_get_stdout_pipe (process)), context,
                   header, sizeof header, deadline);
  if (io == IO_DONE)
    {
      memcpy (&length, header, 4);
      if (length == 0 || length > RG_DOCTOR_HOST_MAX_ANSWER)
        {
          /* Translators: about the native host's answer; %u is a number of bytes. */
          RG_DOCTOR_ADD (why, N_("its answer is not a native message (it says %u bytes)"),
                         (guint) length);
          io = IO_ERROR;
        }
    }
  if (io == IO_DONE)
    {
      answer = g_malloc (length);
      io = read_all (G_POLLABLE_INPUT_STREAM (g_subprocess_get_stdout_pipe (process)), context,
                     answer, length, deadline);
      if (io == IO_DONE)
        answered = is_check_answer (answer, length, why, detail);
    }

  switch (io)
    {
    case IO_DONE:
      /* End of input ends the host (PROTOCOL.md). */
      g_output_stream_close (g_subprocess_get_stdin_pipe (process), NULL, NULL);
      reap (process, context, RG_DOCTOR_HOST_EXIT_MS);
      break;
    case IO_TIMEOUT:
      /* Translators: about the native host; %u is a number of seconds. */
      RG_DOCTOR_ADD (why, N_("it did not answer a check within %u s"),
                     (guint) (RG_DOCTOR_HOST_ANSWER_MS / 1000));
      reap (process, context, 0);
      break;
    case IO_CLOSED:
      add_how_it_ended (why, process, context);
      break;
    case IO_ERROR:
    default:
      if (rg_doctor_text_is_empty (why))
        RG_DOCTOR_ADD_TEXT (why, N_("talking to it failed"));
      reap (process, context, 0);
      break;
    }
  g_main_context_pop_thread_default (context);
  return answered;
}

void
rg_doctor_check_native_host (const char *const *dirs,
                             const char        *host,
                             RgDoctorCheck     *check)
{
  RgDoctorText refused;
  RgDoctorText why;
  RgDoctorText looked;
  g_autofree char *manifest = NULL;
  g_autofree char *host_path = NULL;
  g_autofree char *detail = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  const char *system_dir = NULL;
  struct stat st;

  rg_doctor_text_init (&refused);
  rg_doctor_text_init (&why);
  rg_doctor_text_init (&looked);

  for (gsize i = 0; dirs[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (dirs[i], RG_DOCTOR_HOST_NAME ".json", NULL);
      g_autofree char *found = NULL;

      system_dir = dirs[i];
      g_ptr_array_add (paths, g_strdup (path));
      rg_doctor_text_add (&looked, g_strdup (path), g_strdup (path));
      if (manifest == NULL && read_manifest (path, &found, &refused) == MANIFEST_USABLE)
        {
          manifest = g_steal_pointer (&path);
          host_path = g_steal_pointer (&found);
        }
    }
  g_ptr_array_add (paths, NULL);
  rg_doctor_check_add_string (check, "path", manifest);
  rg_doctor_check_add_strv (check, "looked", (const char *const *) paths->pdata);
  rg_doctor_check_add_string (check, "host", host_path);

  if (manifest == NULL)
    {
      RgDoctorText message;

      rg_doctor_text_init (&message);
      RG_DOCTOR_ADD_WRAPPED (&message, &looked,
                             /* Translators: %s lists the manifest files looked for, in
                              * Thunderbird's order. */
                             N_("no usable manifest (Thunderbird looks for %s): Thunderbird "
                                "cannot start the checker"));
      if (!rg_doctor_text_is_empty (&refused))
        rg_doctor_text_add (&message, g_strdup (refused.text->str),
                            g_strdup (refused.local->str));
      rg_doctor_text_set_message (&message, check, RG_DOCTOR_FAIL);
      rg_doctor_text_clear (&message);
      RG_DOCTOR_FIX (check,
                     /* Translators: the first %s is the manifest's name, the second a
                      * folder, the third the host's file. */
                     N_("install %s into %s, naming %s (meson install, or reinstall Recipient "
                        "Guard's Thunderbird part)"),
                     RG_DOCTOR_HOST_NAME ".json", system_dir != NULL ? system_dir : "?", host);
    }
  else if (stat (host_path, &st) != 0 || !S_ISREG (st.st_mode))
    {
      RG_DOCTOR_SAY (check, RG_DOCTOR_FAIL,
                     /* Translators: the first %s is the manifest, the second the file it
                      * names. */
                     N_("%s names %s, which does not exist: Thunderbird cannot start the "
                        "checker"),
                     manifest, host_path);
      RG_DOCTOR_FIX (check,
                     /* Translators: the first %s is the host's file, the second the
                      * manifest. */
                     N_("reinstall Recipient Guard's Thunderbird part (the host belongs at "
                        "%s), or correct \"path\" in %s"),
                     host, manifest);
    }
  else if (access (host_path, X_OK) != 0)
    {
      g_autofree char *word = rg_doctor_shell_word (host_path);

      RG_DOCTOR_SAY (check, RG_DOCTOR_FAIL,
                     /* Translators: the first %s is the manifest, the second the file it
                      * names. */
                     N_("%s names %s, which is not executable: Thunderbird cannot start the "
                        "checker"),
                     manifest, host_path);
      RG_DOCTOR_FIX_COMMAND (check, "sudo chmod 755 %s", word);
    }
  else if (!ask_host (host_path, manifest, &why, &detail))
    {
      RgDoctorText message;

      rg_doctor_text_init (&message);
      RG_DOCTOR_ADD_WITH (&message, &why,
                          /* Translators: %2$s is the host's file, %1$s says what went
                           * wrong with it. */
                          N_("the native host %2$s does not work: %1$s; Thunderbird cannot "
                             "check recipients"),
                          host_path);
      rg_doctor_text_set_message (&message, check, RG_DOCTOR_FAIL);
      rg_doctor_text_clear (&message);
      rg_doctor_check_set_detail (check, detail);
      RG_DOCTOR_FIX (check,
                     /* Translators: %s is the host's file. */
                     N_("reinstall Recipient Guard's Thunderbird part (the host belongs at "
                        "%s)"),
                     host);
    }
  else if (!rg_doctor_text_is_empty (&refused))
    {
      RgDoctorText message;

      rg_doctor_text_init (&message);
      RG_DOCTOR_ADD_WITH (&message, &refused,
                          /* Translators: %2$s is the manifest Thunderbird uses, %1$s says
                           * which other one it skips, and why. */
                          N_("%2$s works, but Thunderbird skips another manifest: %1$s"),
                          manifest);
      rg_doctor_text_set_message (&message, check, RG_DOCTOR_WARN);
      rg_doctor_text_clear (&message);
      RG_DOCTOR_FIX_TEXT (check, N_("remove or correct the manifest Thunderbird skips"));
    }
  else
    RG_DOCTOR_SAY (check, RG_DOCTOR_OK,
                   /* Translators: the first %s is the manifest, the second the host's file. */
                   N_("%s names %s, which answers a check"),
                   manifest, host_path);

  rg_doctor_text_clear (&refused);
  rg_doctor_text_clear (&why);
  rg_doctor_text_clear (&looked);
}
