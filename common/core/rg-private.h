/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-private.h - types shared by the files of librcptguard; not installed.
 */
#pragma once

#include "rcptguard.h"

#include <libpsl.h>
#include <string.h>
#include <unicode/uspoof.h>

typedef struct rg_index rg_index;

/* Which policy lists there are; the order is that of rg_policy. */
#define RG_N_POLICIES 3

/* A growable list of normalised (ASCII) policy patterns. */
typedef struct {
  char **items;
  size_t n;
  size_t allocated;
} rg_pattern_list;

/*
 * A known domain.  Strings live in an arena and are referenced by offset so that a million
 * domains cost two allocations, not two million.
 */
typedef struct {
  uint32_t name;     /* offset of the Unicode form (U-labels, lower case) */
  uint32_t count;
  uint8_t builtin;   /* from the built-in provider list */
  uint8_t trusted;   /* from a trusted policy pattern */
  uint8_t sources;   /* 1 << rg_source of each source that gave evidence */
  uint8_t shadowed;  /* weak, with a much stronger twin near (rg_nearest_mark_twins()) */
  uint16_t reg_start; /* offset of the registrable domain within the name */
  uint16_t suffix_start; /* offset of the public suffix within the name */
} rg_known;

typedef struct {
  char *data;
  size_t len;
  size_t allocated;
} rg_arena;

/* Known domains without duplicates: the names in an arena, a hash table over them. */
typedef struct {
  rg_arena arena;
  rg_known *known;
  size_t n;
  size_t allocated;
  uint32_t *slots;   /* open addressing over known: index + 1, 0 = free */
  size_t n_slots;
} rg_known_set;

struct rg_config {
  unsigned flags;
  rg_known_set set;
  rg_pattern_list policies[RG_N_POLICIES];
};

/* The skeleton of one printable ASCII character, when it is ASCII itself. */
typedef struct {
  char text[7];
  uint8_t len;       /* 0: not ASCII, use ICU for strings holding this character */
} rg_ascii_skeleton;

struct rg_checker {
  unsigned flags;
  size_t n_user_known;  /* known domains the caller gave: the base rate of warnings */
  rg_known_set set;
  rg_index *index;
  rg_pattern_list policies[RG_N_POLICIES];
  const psl_ctx_t *psl;
  USpoofChecker *spoof;
  rg_ascii_skeleton ascii_skeleton[128];
};

#define RG_MAX_REASONS 4

struct rg_finding {
  size_t list_index;
  char *input;
  char *address;
  char *domain;
  char *domain_ascii;
  char *suggestion;
  char *suggested_domain;
  uint32_t suggested_count;
  unsigned suggested_sources; /* RG_SOURCE_BIT () of the suggested domain's evidence */
  uint32_t count;
  rg_verdict verdict;
  int score;
  size_t n_reasons;
  rg_reason reasons[RG_MAX_REASONS];
  char *messages[RG_MAX_REASONS];
};

struct rg_report {
  rg_finding *findings;
  size_t n;
  rg_verdict verdict;
};

static inline const char *
rg_known_name (const rg_arena *arena, const rg_known *known)
{
  return arena->data + known->name;
}

/* rg-arena: append a NUL-terminated copy; returns the offset or UINT32_MAX when out of memory
 * or past 4 GiB. */
uint32_t rg_arena_add (rg_arena *arena, const char *text, size_t len);
void rg_arena_clear (rg_arena *arena);

/* Case-insensitive-free, locale-free helpers on ASCII. */
static inline int
rg_ascii_lower (int c)
{
  return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

/* The last label of @domain ("ml" of "army.ml"); @domain itself when it has no dot. */
static inline const char *
rg_last_label (const char *domain)
{
  const char *dot = strrchr (domain, '.');

  return dot != NULL ? dot + 1 : domain;
}

/* rg-text: bounded string building for messages. */
char *rg_strdup_len (const char *text, size_t len);
char *rg_strdup (const char *text);
char *rg_strjoin3 (const char *a, const char *b, const char *c);
char *rg_printf (const char *format, ...) __attribute__ ((format (printf, 1, 2)));

/* rg-known-set.c.  Adds @count to the entry of @name (a normalised Unicode form) or makes
 * one, unless the set already holds @max entries (RG_E_TOO_MANY); @entry (out, nullable)
 * receives it.  Counts saturate. */
rg_status rg_known_set_add (rg_known_set *set, size_t max, const char *name, size_t len,
                            uint32_t count, size_t reg_start, size_t suffix_start,
                            rg_known **entry);
#define RG_SOURCE_BIT(source) ((uint8_t) (1u << (source)))

/* Evidence (rg-known-set.c).  Certain: the user's own identity, the administrator's list,
 * a trusted domain or a built-in provider.  Weak: none of these, and either only collected
 * automatically or written to once or twice. */
bool rg_known_is_certain (const rg_known *known);
bool rg_known_is_weak (const rg_known *known);
/* Whether @strong has much stronger evidence than @weak: certain, or ten times the uses and
 * at least five. */
bool rg_known_outweighs (const rg_known *strong, const rg_known *weak);
rg_status rg_known_set_copy (rg_known_set *dest, const rg_known_set *src);
void rg_known_set_clear (rg_known_set *set);

/* FNV-1a with a murmur3 finaliser: cheap on short strings and well mixed in the low bits,
 * which pick the bucket.  Split in feed and finish so that the deletion variants of a domain
 * (rg-index.c) reuse the state of their common prefix. */
#define RG_HASH_BASIS 2166136261u

static inline uint32_t
rg_hash_feed (uint32_t h, const char *text, size_t len)
{
  for (size_t i = 0; i < len; i++)
    {
      h ^= (unsigned char) text[i];
      h *= 16777619u;
    }
  return h;
}

static inline uint32_t
rg_hash_finish (uint32_t h)
{
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

uint32_t rg_hash (const char *text, size_t len);

/* Policy lists (rg-config.c). */
rg_status rg_pattern_list_copy (rg_pattern_list *dest, const rg_pattern_list *src);
void rg_pattern_list_clear (rg_pattern_list *list);
const char *rg_pattern_list_match (const rg_pattern_list *list, const char *ascii_domain);
