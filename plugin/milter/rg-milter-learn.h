/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-milter-learn.h - "rcptguard-milter learn": the organisation's correspondents from
 * Postfix's own log, so that the guard knows them on its first day.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Lines longer than this are skipped: Postfix's delivery lines are a few hundred bytes. */
#define RG_MILTER_LEARN_MAX_LINE (64u * 1024u)
/* Domains are written to the store in one transaction per this many log lines: a kill
 * loses at most the batch in progress, never the store. */
#define RG_MILTER_LEARN_BATCH_LINES 20000u

/* The recipient domain of a Postfix delivery line with status=sent ("... QUEUEID:
 * to=<ops@army.mil>, relay=..., status=sent (250 ...)"), lower-case, without a trailing dot;
 * NULL for every other line.  @line need not be NUL-terminated.  Free with g_free (). */
char *rg_milter_learn_parse_line (const char *line, gsize len);

int rg_milter_learn_main (int argc, char **argv);

G_END_DECLS
