/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-fuzz-json.h - what the fuzz targets of the native host assert about its answers, with a
 * JSON checker of their own: the host's strictness (rg-host-json.c) is under test, so it
 * cannot be the judge.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Whether @len bytes of @data are one JSON text by RFC 8259: UTF-8, the grammar's white
 * space, strings with JSON's escapes only and surrogates only in pairs, numbers of JSON's
 * form, nothing after the value.  Nesting deeper than 512 levels counts as not JSON. */
gboolean rg_fuzz_json_is_strict (const char *data, gsize len);

/* The integer "id" of a request as json-glib reads it: FALSE when @data is not an object
 * with an integer "id". */
gboolean rg_fuzz_json_get_request_id (const char *data, gsize len, gint64 *id);

/* Aborts unless @len bytes of @data are an answer of PROTOCOL.md: strict JSON (above), an
 * object with "id" (null, or an integer within ±2^53) and "ok" (a boolean), an "error"
 * object with a known "kind" and a "message" when "ok" is false.  Returns the answer's id:
 * FALSE for null. */
gboolean rg_fuzz_check_answer (const char *data, gsize len, gint64 *id);

/* Reads the frames written to @fd (from its start), as the host's channel writes them: a
 * 32-bit length in the machine's byte order, then an answer checked as above, whose id, when
 * not null, must be one of @ids and is taken out of them.  Aborts on anything else; returns
 * the number of answers. */
guint rg_fuzz_check_answer_frames (int fd, GArray *ids);

G_END_DECLS
