/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-normalize.c - the domain normaliser on any octets, and what it promises: a valid
 * domain is lower-case LDH ASCII within the RFC lengths, with its suffix inside it.
 */
#include "rg-normalize.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  rg_domain d;

  if (rg_domain_normalize (psl_builtin (), (const char *) data, size, &d) != RG_OK)
    return 0;
  if (d.status == RG_OK && !d.literal)
    {
      size_t len = strlen (d.ascii);

      if (d.unicode == NULL || len == 0 || len > RG_MAX_DOMAIN_OCTETS)
        abort ();
      for (size_t i = 0; i < len; i++)
        {
          char c = d.ascii[i];

          if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'))
            abort ();
        }
      if (d.reg_start > strlen (d.unicode) || d.suffix_start > strlen (d.unicode))
        abort ();
    }
  if (d.status != RG_OK && d.problem == NULL)
    abort ();
  rg_domain_clear (&d);
  return 0;
}
