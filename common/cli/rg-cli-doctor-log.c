/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-cli-doctor-log.c - the decision log, for "rcptguard doctor": recording is on, and its
 * folder and files are the user's, private (folder 0700, files 0600, README "The file") and
 * writable.  Nothing is written: the file is opened as the writers open it, and closed.
 */
#include "config.h"

#include "rg-cli-doctor-log.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "rg-decision-log.h"
#include "rg-settings.h"

/* The decision log's key of pseudonyms, beside decisions.jsonl (rg-decision-log.c). */
#define RG_DOCTOR_LOG_KEY_FILE "hmac-key"

/* The folder or file at @path is the user's, with exactly @mode (README, "The file"):
 * records name recipients' domains, and the key makes pseudonyms of their addresses. */
static void
check_private (const char   *path,
               struct stat  *st,
               mode_t        mode,
               RgDoctorText *problems,
               RgDoctorText *fixes)
{
  g_autofree char *word = rg_doctor_shell_word (path);

  if (st->st_uid != geteuid ())
    {
      /* Translators: %s is a file or folder. */
      RG_DOCTOR_ADD (problems, N_("%s belongs to another user"), path);
      RG_DOCTOR_ADD_COMMAND (fixes, "sudo chown %s %s", g_get_user_name (), word);
    }
  if ((st->st_mode & 07777) != mode)
    {
      RG_DOCTOR_ADD (problems,
                     /* Translators: %s is a file or folder, %04o its mode (0755), the last
                      * %04o the mode it must have. */
                     N_("%s has mode %04o, not %04o: it is not private to the user"),
                     path, (guint) (st->st_mode & 07777), (guint) mode);
      RG_DOCTOR_ADD_COMMAND (fixes, "chmod %o %s", (guint) mode, word);
    }
}

/* Something other than what the log expects at @path: a link, a FIFO, a file for a folder.
 * The log refuses it (README, "The file"); the fix puts the right thing there. */
static void
add_not_a (const char   *path,
           gboolean      is_link,
           gboolean      folder,
           RgDoctorText *problems,
           RgDoctorText *fixes)
{
  g_autofree char *word = rg_doctor_shell_word (path);

  if (is_link)
    /* Translators: %s is a file or folder. */
    RG_DOCTOR_ADD (problems, N_("%s is a symbolic link, which the log never follows"), path);
  else if (folder)
    /* Translators: %s is a path. */
    RG_DOCTOR_ADD (problems, N_("%s is not a folder"), path);
  else
    /* Translators: %s is a path. */
    RG_DOCTOR_ADD (problems, N_("%s is not a regular file"), path);
  if (folder)
    RG_DOCTOR_ADD_COMMAND (fixes, "rm %s && mkdir -m 700 %s", word, word);
  else
    RG_DOCTOR_ADD_COMMAND (fixes, "rm %s", word);
}

/**
 * rg_doctor_check_decision_log:
 * @settings: (nullable): the settings (log-decisions), NULL without the schema: the log's
 *   defaults, recording, apply then
 */
void
rg_doctor_check_decision_log (GSettings     *settings,
                              RgDoctorCheck *check)
{
  g_autofree char *file = rg_decision_log_dup_default_path ();
  g_autofree char *folder = g_path_get_dirname (file);
  g_autofree char *key = g_build_filename (folder, RG_DOCTOR_LOG_KEY_FILE, NULL);
  RgDoctorText problems;
  RgDoctorText fixes;
  gboolean folder_ok = FALSE;
  gboolean file_exists = FALSE;
  struct stat st;

  rg_doctor_check_add_string (check, "path", file);
  if (settings != NULL && !g_settings_get_boolean (settings, "log-decisions"))
    {
      /* The administrator may decide so (privacy law, a works council); a user may not
       * decide it for the administrator's incident review. */
      if (!g_settings_is_writable (settings, "log-decisions"))
        RG_DOCTOR_SAY_TEXT (check, RG_DOCTOR_OK,
                            N_("not recording: the administrator turned the decision log off "
                               "(log-decisions is locked)"));
      else
        {
          RG_DOCTOR_SAY_TEXT (check, RG_DOCTOR_WARN,
                              N_("not recording (log-decisions is off): nobody can tell "
                                 "afterwards who was warned and what they chose"));
          RG_DOCTOR_FIX_COMMAND (check, "gsettings set %s log-decisions true",
                                 RG_SETTINGS_SCHEMA_ID);
        }
      return;
    }

  rg_doctor_text_init (&problems);
  rg_doctor_text_init (&fixes);
  if (lstat (folder, &st) != 0)
    {
      g_autofree char *parent = g_path_get_dirname (folder);

      /* The first record makes the folder (and its parents): someone must be able to. */
      while (lstat (parent, &st) != 0 && strcmp (parent, "/") != 0)
        {
          char *up = g_path_get_dirname (parent);

          g_free (parent);
          parent = up;
        }
      if (access (parent, W_OK | X_OK) != 0)
        {
          g_autofree char *word = rg_doctor_shell_word (folder);

          /* Translators: the first %s is a folder, the second the reason (an error). */
          RG_DOCTOR_ADD_ERRNO_PATH (&problems, errno, N_("%s cannot be created: %s"), folder);
          RG_DOCTOR_ADD_COMMAND (&fixes, "sudo install -d -m 700 -o %s %s", g_get_user_name (),
                                 word);
        }
    }
  else if (S_ISLNK (st.st_mode) || !S_ISDIR (st.st_mode))
    add_not_a (folder, S_ISLNK (st.st_mode), TRUE, &problems, &fixes);
  else
    {
      folder_ok = TRUE;
      check_private (folder, &st, 0700, &problems, &fixes);
      if (access (folder, W_OK | X_OK) != 0)
        {
          /* Translators: the first %s is a folder, the second the reason (an error). */
          RG_DOCTOR_ADD_ERRNO_PATH (&problems, errno, N_("%s is not writable: %s"), folder);
          folder_ok = FALSE;
        }
    }

  if (folder_ok && lstat (file, &st) == 0)
    {
      file_exists = TRUE;
      if (S_ISLNK (st.st_mode) || !S_ISREG (st.st_mode))
        add_not_a (file, S_ISLNK (st.st_mode), FALSE, &problems, &fixes);
      else
        {
          /* Opened as the writers open it, and closed without a byte written: the log is
           * not touched. */
          int fd = open (file, O_WRONLY | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
          int errsv = errno;

          if (fd >= 0)
            close (fd);
          check_private (file, &st, 0600, &problems, &fixes);
          if (fd < 0)
            /* Translators: the first %s is a file, the second the reason (an error). */
            RG_DOCTOR_ADD_ERRNO_PATH (&problems, errsv, N_("%s cannot be written: %s"), file);
        }
    }
  if (folder_ok && lstat (key, &st) == 0 && S_ISREG (st.st_mode))
    check_private (key, &st, 0600, &problems, &fixes);

  if (!rg_doctor_text_is_empty (&problems))
    {
      rg_doctor_text_set_message (&problems, check, RG_DOCTOR_WARN);
      if (!rg_doctor_text_is_empty (&fixes))
        rg_doctor_text_set_fix (&fixes, check);
    }
  else if (file_exists)
    /* Translators: %s is the decision log's file. */
    RG_DOCTOR_SAY (check, RG_DOCTOR_OK, N_("%s is writable and private (0600, folder 0700)"),
                   file);
  else
    /* Translators: %s is the decision log's file. */
    RG_DOCTOR_SAY (check, RG_DOCTOR_OK,
                   N_("nothing recorded yet: the first decision creates %s (0600, folder 0700)"),
                   file);
  rg_doctor_text_clear (&problems);
  rg_doctor_text_clear (&fixes);
}
