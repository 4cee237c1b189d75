/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-host-channel.h - native messaging's framing (plugin/thunderbird/PROTOCOL.md,
 * "Transport"): each message is a 32-bit length in the machine's byte order, then that many
 * bytes.  Reads are bounded: a message over the limit is read and thrown away in chunks, so a
 * sender that goes wrong costs time, never memory.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The longest request read (PROTOCOL.md): 8 MiB holds far more recipients than the core
 * checks in one call (RG_MAX_RECIPIENTS) and more known domains than any address book. */
#define RG_HOST_MAX_REQUEST_BYTES (8u * 1024u * 1024u)
/* The longest message Thunderbird accepts from a host. */
#define RG_HOST_MAX_ANSWER_BYTES (1024u * 1024u)

typedef enum {
  RG_HOST_READ_OK,       /* a message */
  RG_HOST_READ_EOF,      /* end of input, between messages or in the middle of one */
  RG_HOST_READ_TOO_LONG, /* a message over RG_HOST_MAX_REQUEST_BYTES, read and discarded */
  RG_HOST_READ_ERROR,    /* reading failed */
} RgHostReadStatus;

typedef struct _RgHostChannel RgHostChannel;

/* A channel reading from @in_fd and writing to @out_fd; neither is closed by it. */
RgHostChannel *rg_host_channel_new (int in_fd, int out_fd);
RgHostChannel *rg_host_channel_ref (RgHostChannel *self);
void rg_host_channel_unref (RgHostChannel *self);

/* Reads the next message.  On RG_HOST_READ_OK, @message receives its bytes (free with
 * g_bytes_unref ()); on RG_HOST_READ_ERROR, @error is set. */
RgHostReadStatus rg_host_channel_read (RgHostChannel  *self,
                                       GBytes        **message,
                                       GError        **error);

/* Writes @len bytes of @data as one message, at most RG_HOST_MAX_ANSWER_BYTES (longer is a
 * programming error: FALSE, nothing written).  FALSE with @error when writing failed; the
 * channel cannot be used for writing after that. */
gboolean rg_host_channel_write (RgHostChannel  *self,
                                const char     *data,
                                gsize           len,
                                GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RgHostChannel, rg_host_channel_unref)

G_END_DECLS
