/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-cli-writer.h - buffered output to a file descriptor in whole lines, with its errors.
 */
#pragma once

#include <glib.h>

typedef struct _RgCliWriter RgCliWriter;

RgCliWriter *rg_cli_writer_new (int fd);
void rg_cli_writer_free (RgCliWriter *self);
gboolean rg_cli_writer_write (RgCliWriter *self, const char *lines, gsize len);
gboolean rg_cli_writer_flush (RgCliWriter *self);
const GError *rg_cli_writer_get_error (const RgCliWriter *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RgCliWriter, rg_cli_writer_free)
