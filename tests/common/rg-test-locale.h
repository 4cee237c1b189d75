/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-test-locale.h - make a test honour the locale it is run under.
 *
 * meson runs the unit suite twice, once under LC_ALL=tr_TR.UTF-8 (the dotless-i trap of
 * locale-dependent case mapping).  A test that silently ran in "C" because the locale is not
 * installed would prove nothing, so a requested locale that cannot be set fails the test.
 */
#pragma once

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline void
rg_test_init_locale (void)
{
  const char *want = getenv ("LC_ALL");

  if (setlocale (LC_ALL, "") == NULL && want != NULL && want[0] != '\0')
    {
      fprintf (stderr, "LC_ALL=%s was requested but cannot be set: "
               "generate it (locale-gen) or install locales-all\n", want);
      exit (1);
    }
}
