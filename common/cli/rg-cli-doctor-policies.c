/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-cli-doctor-policies.c - the policies.json that Thunderbird reads, for "rcptguard doctor":
 * whether it installs the add-on from a file that exists, and the add-on's managed settings
 * (values and "KEY:locked") for the checks of locks and lists.
 *
 * Which file Thunderbird reads is its own rule, read in its source (Thunderbird 153 ESR,
 * Debian 12's, whose omni.ja holds the same file):
 * toolkit/components/enterprisepolicies/EnterprisePoliciesParent.sys.mjs,
 * JSONPoliciesProvider._getLocalConfigurationFile (): on Linux, built with MOZ_SYSTEM_POLICIES
 * (Debian's is), Thunderbird reads SysConfD/policies/policies.json, where SysConfD is "/etc/"
 * and the application's name in lower case (xpcom/io/nsDirectoryServiceDefs.h
 * NS_OS_SYSTEM_CONFIG_DIR; its test xpcshell/test_sysconfd.js), if that file exists; else
 * XREAppDist/policies.json, the folder "distribution" in its program folder
 * (toolkit/xre/nsXREDirProvider.cpp, XRE_APP_DISTRIBUTION_DIR).  One file, never both: a policy
 * in the second is ignored while the first exists.
 */
#include "config.h"

#include "rg-cli-doctor-policies.h"

#include <string.h>

#include <glib/gi18n.h>

/* A policies.json of a large organisation is some kilobytes; this is far above any. */
#define RG_DOCTOR_POLICIES_MAX_BYTES (16 * 1024 * 1024)

typedef struct {
  char *path;
  gboolean exists;
  gboolean readable;    /* read and parsed: JSON with an object "policies" */
  JsonObject *policies; /* when readable */
} PolicyFile;

struct _RgDoctorPolicies {
  GPtrArray *files; /* of PolicyFile, in Thunderbird's order */
  PolicyFile *read; /* the first that exists: the one Thunderbird reads */
};

static void
policy_file_free (PolicyFile *file)
{
  g_free (file->path);
  if (file->policies != NULL)
    json_object_unref (file->policies);
  g_free (file);
}

/**
 * rg_doctor_policies_load:
 * @paths: the policy files in Thunderbird's order
 */
RgDoctorPolicies *
rg_doctor_policies_load (const char *const *paths)
{
  RgDoctorPolicies *self = g_new0 (RgDoctorPolicies, 1);

  self->files = g_ptr_array_new_with_free_func ((GDestroyNotify) policy_file_free);
  for (gsize i = 0; paths[i] != NULL; i++)
    {
      PolicyFile *file = g_new0 (PolicyFile, 1);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autofree char *data = NULL;
      gsize len = 0;

      file->path = g_strdup (paths[i]);
      /* Thunderbird asks nsIFile.exists (), which follows links. */
      file->exists = g_file_test (file->path, G_FILE_TEST_EXISTS);
      g_ptr_array_add (self->files, file);
      if (!file->exists)
        continue;
      if (self->read == NULL)
        self->read = file;

      data = rg_doctor_read_file (file->path, RG_DOCTOR_POLICIES_MAX_BYTES, &len);
      if (data != NULL && json_parser_load_from_data (parser, data, (gssize) len, NULL)
          && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          JsonObject *policies = rg_doctor_json_get_object (
            json_node_get_object (json_parser_get_root (parser)), "policies");

          if (policies != NULL)
            {
              file->policies = json_object_ref (policies);
              file->readable = TRUE;
            }
        }
    }
  return self;
}

void
rg_doctor_policies_free (RgDoctorPolicies *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->files);
  g_free (self);
}

/* NULL (no file, or Thunderbird not installed: @self NULL) when none of the paths exists. */
const char *
rg_doctor_policies_get_read_path (RgDoctorPolicies *self)
{
  return self != NULL && self->read != NULL ? self->read->path : NULL;
}

/* policies.3rdparty.Extensions["rcptguard@rcptguard.org"]: the add-on's managed storage. */
static JsonObject *
get_managed (JsonObject *policies)
{
  JsonObject *third_party = rg_doctor_json_get_object (policies, "3rdparty");
  JsonObject *extensions = rg_doctor_json_get_object (third_party, "Extensions");

  return rg_doctor_json_get_object (extensions, RG_DOCTOR_ADDON_ID);
}

JsonObject *
rg_doctor_policies_get_managed (RgDoctorPolicies *self)
{
  if (self == NULL || self->read == NULL || !self->read->readable)
    return NULL;
  return get_managed (self->read->policies);
}

/* Where a policy file installs the add-on from, and whether it names it at all. */
typedef struct {
  gboolean named;   /* the add-on is named: its settings, or where it is installed from */
  gboolean blocked; /* ExtensionSettings blocks it */
  GPtrArray *urls;  /* install_url and Extensions.Install entries of the add-on */
} AddonSources;

static void
find_addon_sources (JsonObject   *policies,
                    AddonSources *sources)
{
  JsonObject *all_settings = rg_doctor_json_get_object (policies, "ExtensionSettings");
  JsonObject *settings = rg_doctor_json_get_object (all_settings, RG_DOCTOR_ADDON_ID);
  JsonObject *extensions = rg_doctor_json_get_object (policies, "Extensions");
  JsonNode *install = extensions != NULL ? json_object_get_member (extensions, "Install")
                                         : NULL;

  sources->urls = g_ptr_array_new_with_free_func (g_free);
  if (get_managed (policies) != NULL)
    sources->named = TRUE;
  if (settings != NULL)
    {
      const char *mode = rg_doctor_json_get_string (settings, "installation_mode");
      const char *url = rg_doctor_json_get_string (settings, "install_url");

      sources->named = TRUE;
      sources->blocked = g_strcmp0 (mode, "blocked") == 0;
      if (url != NULL)
        g_ptr_array_add (sources->urls, g_strdup (url));
    }
  /* The older policy "Extensions": {"Install": [URL or path, ...]} names add-ons by where they
   * are, not by id: an entry with our name in it is ours. */
  if (install != NULL && JSON_NODE_HOLDS_ARRAY (install))
    {
      JsonArray *array = json_node_get_array (install);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          const char *entry;
          g_autofree char *folded = NULL;

          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
            continue;
          entry = json_node_get_string (node);
          folded = g_ascii_strdown (entry, -1);
          if (strstr (folded, "rcptguard") != NULL)
            {
              sources->named = TRUE;
              g_ptr_array_add (sources->urls, g_strdup (entry));
            }
        }
    }
}

/* The file an install URL names, when it is a local one: "file:///..." or an absolute path
 * (Extensions.Install takes both); NULL for http(s) and the like. */
static char *
dup_local_path (const char *url)
{
  if (g_str_has_prefix (url, "/"))
    return g_strdup (url);
  if (g_ascii_strncasecmp (url, "file:", 5) == 0)
    {
      char *path = g_filename_from_uri (url, NULL, NULL);

      /* A file URL that is not one names no file that exists. */
      return path != NULL ? path : g_strdup (url);
    }
  return NULL;
}

void
rg_doctor_check_policies (RgDoctorPolicies *self,
                          const char       *xpi,
                          RgDoctorCheck    *check)
{
  RgDoctorText problems;
  RgDoctorText fixes;
  RgDoctorStatus status = RG_DOCTOR_OK;
  AddonSources read_sources = { 0 };
  const char *first_local = NULL;
  const char *first_remote = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();

  rg_doctor_text_init (&problems);
  rg_doctor_text_init (&fixes);
  for (guint i = 0; i < self->files->len; i++)
    g_ptr_array_add (paths, ((PolicyFile *) g_ptr_array_index (self->files, i))->path);
  g_ptr_array_add (paths, NULL);
  rg_doctor_check_add_string (check, "path", rg_doctor_policies_get_read_path (self));
  rg_doctor_check_add_strv (check, "files", (const char *const *) paths->pdata);

  if (self->read != NULL && !self->read->readable)
    {
      status = RG_DOCTOR_WARN;
      RG_DOCTOR_ADD (&problems,
                     /* Translators: %s is a policies.json; Thunderbird's policies are its
                      * administrator's settings. */
                     N_("Thunderbird cannot read %s (not JSON with an object \"policies\"): "
                        "none of its policies apply"),
                     self->read->path);
      RG_DOCTOR_ADD (&fixes,
                     /* Translators: %s is a policies.json, twice. */
                     N_("correct %s (python3 -m json.tool %s shows where it is wrong)"),
                     self->read->path, self->read->path);
    }
  if (self->read != NULL && self->read->readable)
    {
      find_addon_sources (self->read->policies, &read_sources);
      if (read_sources.blocked)
        {
          status = RG_DOCTOR_FAIL;
          RG_DOCTOR_ADD (&problems,
                         /* Translators: %s is a policies.json; installation_mode is a name. */
                         N_("%s blocks the add-on (installation_mode \"blocked\")"),
                         self->read->path);
          RG_DOCTOR_ADD (&fixes,
                         /* Translators: the first %s is the add-on's id, the second a
                          * policies.json; keep the JSON as it is. */
                         N_("set \"installation_mode\": \"force_installed\" for %s in %s"),
                         RG_DOCTOR_ADDON_ID, self->read->path);
        }
      for (guint i = 0; i < read_sources.urls->len; i++)
        {
          const char *url = g_ptr_array_index (read_sources.urls, i);
          g_autofree char *local = dup_local_path (url);

          if (local == NULL)
            {
              first_remote = first_remote != NULL ? first_remote : url;
              continue;
            }
          if (g_file_test (local, G_FILE_TEST_IS_REGULAR))
            {
              first_local = first_local != NULL ? first_local : url;
              continue;
            }
          status = RG_DOCTOR_FAIL;
          RG_DOCTOR_ADD (&problems,
                         /* Translators: the first %s is a policies.json, the second the file
                          * it names. */
                         N_("%s installs the add-on from %s, which does not exist: Thunderbird "
                            "runs without it"),
                         self->read->path, local);
          if (xpi != NULL && g_file_test (xpi, G_FILE_TEST_IS_REGULAR))
            RG_DOCTOR_ADD (&fixes,
                           /* Translators: the first %s is a policies.json, the second the
                            * add-on's file; install_url is a name. */
                           N_("in %s, set install_url to file://%s"),
                           self->read->path, xpi);
          else
            RG_DOCTOR_ADD (&fixes,
                           /* Translators: %s is the add-on's file. */
                           N_("install the add-on as %s (reinstall Recipient Guard's "
                              "Thunderbird part)"),
                           local);
        }
    }

  /* A file after the one Thunderbird reads is never read while that one exists. */
  for (guint i = 0; self->read != NULL && i < self->files->len; i++)
    {
      PolicyFile *file = g_ptr_array_index (self->files, i);
      AddonSources sources = { 0 };

      if (file == self->read || !file->exists || !file->readable)
        continue;
      find_addon_sources (file->policies, &sources);
      if (sources.named && !read_sources.named)
        {
          status = MAX (status, RG_DOCTOR_WARN);
          RG_DOCTOR_ADD (&problems,
                         /* Translators: both %s are policies.json files. */
                         N_("%s names the add-on but is ignored: Thunderbird reads only %s "
                            "when it exists"),
                         file->path, self->read->path);
          RG_DOCTOR_ADD (&fixes,
                         /* Translators: both %s are policies.json files. */
                         N_("move the add-on's part of %s into %s"),
                         file->path, self->read->path);
        }
      g_ptr_array_unref (sources.urls);
    }

  if (!rg_doctor_text_is_empty (&problems))
    {
      rg_doctor_text_set_message (&problems, check, status);
      rg_doctor_text_set_fix (&fixes, check);
    }
  else if (self->read == NULL)
    {
      RgDoctorText looked;
      RgDoctorText message;

      rg_doctor_text_init (&looked);
      rg_doctor_text_init (&message);
      for (guint i = 0; i < self->files->len; i++)
        {
          const char *path = ((PolicyFile *) g_ptr_array_index (self->files, i))->path;

          rg_doctor_text_add (&looked, g_strdup (path), g_strdup (path));
        }
      RG_DOCTOR_ADD_WRAPPED (&message, &looked,
                             /* Translators: %s lists the policy files Thunderbird looks for,
                              * in its order. */
                             N_("no policies.json (Thunderbird looks for %s): users install "
                                "the add-on themselves"));
      rg_doctor_text_set_message (&message, check, RG_DOCTOR_OK);
      rg_doctor_text_clear (&looked);
      rg_doctor_text_clear (&message);
    }
  else if (first_local != NULL)
    RG_DOCTOR_SAY (check, RG_DOCTOR_OK,
                   /* Translators: the first %s is a policies.json, the second the add-on's
                    * file or URL. */
                   N_("%s installs the add-on from %s"),
                   self->read->path, first_local);
  else if (first_remote != NULL)
    RG_DOCTOR_SAY (check, RG_DOCTOR_OK,
                   /* Translators: the first %s is a policies.json, the second a URL. */
                   N_("%s installs the add-on from %s (not checked: not a local file)"),
                   self->read->path, first_remote);
  else
    RG_DOCTOR_SAY (check, RG_DOCTOR_OK,
                   /* Translators: %s is a policies.json. */
                   N_("%s does not install the add-on: users install it themselves"),
                   self->read->path);

  if (read_sources.urls != NULL)
    g_ptr_array_unref (read_sources.urls);
  rg_doctor_text_clear (&problems);
  rg_doctor_text_clear (&fixes);
}
