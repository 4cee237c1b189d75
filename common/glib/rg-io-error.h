/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-io-error.h - a failed system call on a file as a GError, for the decision log's files.
 */
#pragma once

#include <gio/gio.h>

/* Sets @error to "@what @path: <the system's message for @saved_errno>", in G_IO_ERROR.
 * Returns FALSE, so that a caller can `return rg_set_io_error (...)`. */
static inline gboolean
rg_set_io_error (GError    **error,
                 int         saved_errno,
                 const char *what,
                 const char *path)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s %s: %s", what,
               path, g_strerror (saved_errno));
  return FALSE;
}
