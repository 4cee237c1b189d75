/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-host-json.h - a request's bytes parsed as JSON, safely: json-glib 1.6 parses nested
 * arrays and objects by recursion without a limit (8 MiB of "[" overflows the stack), and
 * accepts more than JSON (single quotes, comments).  Bytes that could hurt it are refused
 * before it sees them.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A request nests at most three levels ({"known": {...}}, {"lists": [...]}); this leaves
 * room and keeps json-glib's recursion shallow. */
#define RG_HOST_JSON_MAX_DEPTH 32

/* The JSON value of @len bytes of @data (any value; the caller checks it is an object), or
 * NULL with @error (G_IO_ERROR_INVALID_DATA, a clause in English) when @data is not UTF-8,
 * not strict JSON, nests deeper than RG_HOST_JSON_MAX_DEPTH, or holds a string with U+0000
 * (which json-glib would cut short).  Free with json_node_unref (). */
JsonNode *rg_host_json_parse (const char  *data,
                              gsize        len,
                              GError     **error);

G_END_DECLS
