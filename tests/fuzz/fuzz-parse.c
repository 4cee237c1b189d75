/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-parse.c - the address-list parser on any octets: it returns, never crashes, and what it
 * returns is consistent.
 */
#include "rg-parse.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  rg_mailbox_list list = { 0 };
  rg_status status = rg_parse_address_list ((const char *) data, size, 1000, &list);

  /* Whole-input errors come before anything is appended; RG_E_TOO_MANY after what fit. */
  if ((status == RG_E_ENCODING || status == RG_E_CONTROL_CHARACTER || status == RG_E_TOO_LONG)
      && list.n != 0)
    abort ();
  if (status == RG_E_TOO_MANY && list.n != 1000)
    abort ();
  for (size_t i = 0; i < list.n; i++)
    {
      const rg_mailbox *m = &list.items[i];

      if (m->input == NULL || m->address == NULL || m->local == NULL || m->domain == NULL)
        abort ();
      if ((m->status == RG_OK) != (m->problem == NULL))
        abort ();
      if (m->status == RG_OK && strlen (m->address) != strlen (m->local) + 1 + strlen (m->domain))
        abort ();
    }
  rg_mailbox_list_clear (&list);
  return 0;
}
