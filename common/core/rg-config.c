/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-config.c - what a checker will know (domains and counts) and enforce (policy).
 */
#include "rg-normalize.h"

#include <stdlib.h>
#include <string.h>

RG_API rg_config *
rg_config_new (void)
{
  rg_config *config = calloc (1, sizeof *config);

  if (config != NULL)
    config->flags = RG_CONFIG_DEFAULT_FLAGS;
  return config;
}

RG_API void
rg_config_free (rg_config *config)
{
  if (config == NULL)
    return;
  rg_known_set_clear (&config->set);
  for (int i = 0; i < RG_N_POLICIES; i++)
    rg_pattern_list_clear (&config->policies[i]);
  free (config);
}

RG_API void
rg_config_set_flags (rg_config *config, unsigned flags)
{
  if (config != NULL)
    config->flags = flags;
}

RG_API unsigned
rg_config_get_flags (const rg_config *config)
{
  return config != NULL ? config->flags : 0;
}

/* The domain of "local@domain", or the text itself. */
static const char *
domain_part (const char *text)
{
  const char *at = strrchr (text, '@');

  return at != NULL ? at + 1 : text;
}

RG_API rg_status
rg_config_add_known (rg_config *config, const char *domain, uint32_t count)
{
  return rg_config_add_evidence (config, domain, count, RG_SOURCE_CONTACT);
}

RG_API rg_status
rg_config_add_evidence (rg_config *config, const char *domain, uint32_t count,
                        rg_source source)
{
  rg_domain d;
  rg_status status;
  const char *text;
  rg_known *entry = NULL;

  if (config == NULL || domain == NULL || (unsigned) source >= RG_N_SOURCES)
    return RG_E_INVALID_ARGUMENT;
  text = domain_part (domain);
  status = rg_known_domain_normalize (text, &d);
  if (status == RG_OK)
    status = rg_known_set_add (&config->set, RG_MAX_KNOWN_DOMAINS, d.unicode,
                               strlen (d.unicode), count ? count : 1, d.reg_start,
                               d.suffix_start, &entry);
  if (status == RG_OK)
    entry->sources |= RG_SOURCE_BIT (source);
  rg_domain_clear (&d);
  return status;
}

RG_API rg_status
rg_config_add_policy (rg_config *config, rg_policy policy, const char *pattern)
{
  rg_pattern_list *list;
  rg_domain d;
  rg_status status;
  char *copy;

  if (config == NULL || pattern == NULL || (unsigned) policy >= RG_N_POLICIES)
    return RG_E_INVALID_ARGUMENT;
  status = rg_policy_pattern_normalize (pattern, &d);
  if (status != RG_OK)
    {
      rg_domain_clear (&d);
      return status;
    }
  list = &config->policies[policy];
  if (list->n == list->allocated)
    {
      size_t allocated = list->allocated ? list->allocated * 2 : 8;
      char **items = realloc (list->items, allocated * sizeof *items);

      if (items == NULL)
        {
          rg_domain_clear (&d);
          return RG_E_NOMEM;
        }
      list->items = items;
      list->allocated = allocated;
    }
  copy = d.ascii;
  d.ascii = NULL;
  rg_domain_clear (&d);
  list->items[list->n++] = copy;
  return RG_OK;
}

rg_status
rg_pattern_list_copy (rg_pattern_list *dest, const rg_pattern_list *src)
{
  memset (dest, 0, sizeof *dest);
  if (src->n == 0)
    return RG_OK;
  dest->items = calloc (src->n, sizeof *dest->items);
  if (dest->items == NULL)
    return RG_E_NOMEM;
  dest->allocated = src->n;
  for (size_t i = 0; i < src->n; i++)
    {
      dest->items[i] = rg_strdup (src->items[i]);
      if (dest->items[i] == NULL)
        return RG_E_NOMEM;
      dest->n++;
    }
  return RG_OK;
}

void
rg_pattern_list_clear (rg_pattern_list *list)
{
  for (size_t i = 0; i < list->n; i++)
    free (list->items[i]);
  free (list->items);
  memset (list, 0, sizeof *list);
}

/* The first pattern that is @ascii_domain or one of its parents, at a label boundary. */
const char *
rg_pattern_list_match (const rg_pattern_list *list, const char *ascii_domain)
{
  size_t len = strlen (ascii_domain);

  for (size_t i = 0; i < list->n; i++)
    {
      const char *p = list->items[i];
      size_t plen = strlen (p);

      if (plen > len || memcmp (ascii_domain + len - plen, p, plen) != 0)
        continue;
      if (plen == len || ascii_domain[len - plen - 1] == '.')
        return p;
    }
  return NULL;
}
