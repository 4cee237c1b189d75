/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-cli-format.c - how a finding is printed: JSON Lines, tab-separated or text for people.
 *
 * The JSON and TSV forms are a contract (DESIGN.md, "The rcptguard command"): scripts parse
 * them, so keys, their order and the columns do not change, and their text is the core's
 * stable English.  The text form is for people, in their language, and may be improved
 * freely.
 */
#include "config.h"

#include "rg-cli-format.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "rg-finding-text.h"

/**
 * rg_cli_format_from_string:
 * @name: "text", "json" or "tsv"
 * @format: (out): the format
 *
 * Returns: %FALSE for other names.
 */
gboolean
rg_cli_format_from_string (const char  *name,
                           RgCliFormat *format)
{
  if (g_strcmp0 (name, "text") == 0)
    *format = RG_CLI_FORMAT_TEXT;
  else if (g_strcmp0 (name, "json") == 0)
    *format = RG_CLI_FORMAT_JSON;
  else if (g_strcmp0 (name, "tsv") == 0)
    *format = RG_CLI_FORMAT_TSV;
  else
    return FALSE;
  return TRUE;
}

/*
 * One JSON object on one line: input, address, domain, verdict, score, reasons [{code,
 * message}], suggestion (string or null), in that order.  json-glib keeps the order in which
 * members are added, escapes quotes, backslashes and control characters, and writes other
 * UTF-8 as it is.
 */
static void
format_json (const rg_finding *finding,
             GString          *out)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *suggestion = rg_finding_get_suggestion (finding);
  size_t n_reasons = rg_finding_get_n_reasons (finding);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "input");
  json_builder_add_string_value (builder, rg_finding_get_input (finding));
  json_builder_set_member_name (builder, "address");
  json_builder_add_string_value (builder, rg_finding_get_address (finding));
  json_builder_set_member_name (builder, "domain");
  json_builder_add_string_value (builder, rg_finding_get_domain (finding));
  json_builder_set_member_name (builder, "verdict");
  json_builder_add_string_value (builder,
                                 rg_verdict_to_string (rg_finding_get_verdict (finding)));
  json_builder_set_member_name (builder, "score");
  json_builder_add_int_value (builder, rg_finding_get_score (finding));

  json_builder_set_member_name (builder, "reasons");
  json_builder_begin_array (builder);
  for (size_t i = 0; i < n_reasons; i++)
    {
      const char *message = rg_finding_get_reason_message (finding, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "code");
      json_builder_add_string_value (builder,
                                     rg_reason_to_code (rg_finding_get_reason (finding, i)));
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, message != NULL ? message : "");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "suggestion");
  if (suggestion != NULL)
    json_builder_add_string_value (builder, suggestion);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  rg_cli_format_append_json_line (out, builder);
}

/* A TSV field: the input may hold tabs (folding white space); nothing else can break a line
 * because the core rejects control characters. */
static void
append_tsv_field (GString    *out,
                  const char *field)
{
  for (const char *p = field; *p != '\0'; p++)
    g_string_append_c (out, *p == '\t' ? ' ' : *p);
}

static void
format_tsv (const rg_finding *finding,
            GString          *out)
{
  const char *suggestion = rg_finding_get_suggestion (finding);

  append_tsv_field (out, rg_finding_get_input (finding));
  g_string_append_c (out, '\t');
  g_string_append (out, rg_verdict_to_string (rg_finding_get_verdict (finding)));
  g_string_append_c (out, '\t');
  append_tsv_field (out, suggestion != NULL ? suggestion : "-");
  g_string_append_c (out, '\n');
}

/* The verdict for people.  Those that ask for attention are in capitals, so that they stand
 * out without colours. */
static const char *
get_verdict_text (rg_verdict verdict)
{
  switch (verdict)
    {
    /* Translators: the verdicts after a recipient in "rcptguard check --format text", e.g.
     * "Ops <ops@army.ml>  WARN".  Keep WARN and BLOCK in capitals (or your language's way
     * of making a word stand out in plain text), ok and notice in small letters. */
    case RG_VERDICT_OK: return C_("verdict", "ok");
    case RG_VERDICT_NOTICE: return C_("verdict", "notice");
    case RG_VERDICT_WARN: return C_("verdict", "WARN");
    case RG_VERDICT_BLOCK: return C_("verdict", "BLOCK");
    /* A verdict newer than this program: its name. */
    default: return rg_verdict_to_string (verdict);
    }
}

/*
 * For people, with the sentence the dialog shows at Send (rg-finding-text.h), in their
 * language:
 *
 *   Ops <ops@army.ml>  WARN
 *     army.ml is one letter away from army.mil, which one of your contacts uses; .ml is the
 *     country domain of Mali
 *     Did you mean ops@army.mil?
 *   ops@army.mil  ok
 *
 * (the explanation is one line).
 */
static void
format_text (const rg_finding *finding,
             gboolean          policy_locked,
             GString          *out)
{
  const char *suggestion = rg_finding_get_suggestion (finding);

  g_string_append (out, rg_finding_get_input (finding));
  g_string_append (out, "  ");
  g_string_append (out, get_verdict_text (rg_finding_get_verdict (finding)));
  g_string_append_c (out, '\n');

  if (rg_finding_get_n_reasons (finding) > 0)
    {
      g_autofree char *description = rg_finding_dup_description (finding, policy_locked);

      g_string_append_printf (out, "  %s\n", description);
    }

  if (suggestion != NULL)
    {
      g_string_append (out, "  ");
      /* Translators: after the explanation of a recipient in "rcptguard check --format
       * text"; %s is the address suggested, e.g. "Did you mean ops@army.mil?". */
      g_string_append_printf (out, _("Did you mean %s?"), suggestion);
      g_string_append_c (out, '\n');
    }
}

/**
 * rg_cli_format_finding:
 * @policy_locked: for the text: whether the administrator locked the list behind a policy
 *   finding (rg_finding_is_policy_locked())
 * @out: where the line(s) are appended, each ending in "\n"
 *
 * Appends @finding to @out in @format.
 */
void
rg_cli_format_finding (RgCliFormat       format,
                       const rg_finding *finding,
                       gboolean          policy_locked,
                       GString          *out)
{
  switch (format)
    {
    case RG_CLI_FORMAT_JSON:
      format_json (finding, out);
      break;
    case RG_CLI_FORMAT_TSV:
      format_tsv (finding, out);
      break;
    case RG_CLI_FORMAT_TEXT:
    default:
      format_text (finding, policy_locked, out);
      break;
    }
}

void
rg_cli_format_append_json_line (GString     *out,
                                JsonBuilder *builder)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;
  gsize text_len = 0;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, FALSE);
  text = json_generator_to_data (generator, &text_len);
  g_string_append_len (out, text, (gssize) text_len);
  g_string_append_c (out, '\n');
}
