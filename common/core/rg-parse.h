/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-parse.h - the RFC 5322 address-list parser (internal to librcptguard).
 */
#pragma once

#include "rcptguard.h"

/* One mailbox found in an address list.  All strings are owned by the rg_mailbox_list. */
typedef struct {
  char *input;       /* the mailbox as written, trimmed of surrounding white space */
  char *address;     /* "local@domain" without display name, comments, angle brackets */
  char *local;       /* the local part as written (quoted strings keep their quotes) */
  char *domain;      /* the domain as written, CFWS removed; "[...]" kept for literals */
  rg_status status;  /* RG_OK, or RG_E_SYNTAX when this mailbox is not an address */
  const char *problem; /* static English phrase when status != RG_OK, e.g. "has no @" */
} rg_mailbox;

typedef struct {
  rg_mailbox *items;
  size_t n;
  size_t allocated;
} rg_mailbox_list;

/*
 * rg_parse_address_list:
 * @list: UTF-8 text, @len octets, not necessarily NUL-terminated
 * @max_mailboxes: stop with RG_E_TOO_MANY when the list holds more mailboxes than this
 *   in addition to those already in @out
 * @out: mailboxes are appended to it
 *
 * Returns: RG_OK, RG_E_ENCODING (invalid UTF-8), RG_E_CONTROL_CHARACTER (NUL, CR, LF or
 * another C0/DEL control other than TAB), RG_E_TOO_LONG (len > RG_MAX_LIST_OCTETS),
 * RG_E_TOO_MANY or RG_E_NOMEM.  On error @out holds what was appended before; the caller
 * frees it either way.
 */
rg_status rg_parse_address_list (const char *list, size_t len, size_t max_mailboxes,
                                 rg_mailbox_list *out);

void rg_mailbox_list_clear (rg_mailbox_list *list);
