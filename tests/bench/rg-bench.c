/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-bench.c - in-process timings of librcptguard, through its public header only.
 *
 * Usage:
 *   rg-bench --known FILE --addresses FILE [--truth FILE] [--rounds R] [--warmup W]
 *     The peer comparison: fills a config with the known domains (one a line, "#" comments),
 *     builds the checker, checks each address as a one-address list, and prints the time of
 *     each step, the microseconds per address (the median of R passes, default 5, after a
 *     warm-up pass over the first W addresses, default 1,000, timed apart) and, with
 *     --truth (gen-data.py's truth.tsv, in the order of the addresses), how many it got right.
 *
 *   rg-bench --generate N --queries M [--rounds R] [--seed S]
 *     The scaling run: generates N known domains of the same shape as gen-data.py's (from a
 *     fixed seed) and M recipients (45% exact, 35% one-edit typos, 20% unknown), then prints
 *     the time to fill the config, the time of rg_checker_new (the index build), the
 *     microseconds per recipient (the median of R rounds of M checks, default 5; each check
 *     is rg_checker_check() of a one-address list), the 50th and 99th percentile of single
 *     checks, and the memory: resident set size before and after the build, and the peak.
 *
 * The output is one JSON object on standard output, read by run-bench.py.  The config has
 * the default flags, as `rcptguard check --no-settings` has.
 */
/* clock_gettime, getline, sysconf: POSIX.1-2008 (the build defines _GNU_SOURCE already). */
#ifndef _GNU_SOURCE
# define _POSIX_C_SOURCE 200809L
#endif

#include "rcptguard.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define MAX_ROUNDS 101

static double
now_s (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec * 1e-9;
}

/* The resident set size now, in bytes, from /proc/self/statm; 0 where there is none. */
static unsigned long long
rss_now (void)
{
  unsigned long long size = 0, resident = 0;
  FILE *f = fopen ("/proc/self/statm", "r");

  if (f == NULL)
    return 0;
  if (fscanf (f, "%llu %llu", &size, &resident) != 2)
    resident = 0;
  fclose (f);
  return resident * (unsigned long long) sysconf (_SC_PAGESIZE);
}

/* The peak resident set size of the process so far, in bytes. */
static unsigned long long
rss_peak (void)
{
  struct rusage ru;

  if (getrusage (RUSAGE_SELF, &ru) != 0)
    return 0;
  return (unsigned long long) ru.ru_maxrss * 1024ull; /* kilobytes on Linux */
}

static double
mib (unsigned long long bytes)
{
  return (double) bytes / (1024.0 * 1024.0);
}

static void
die (const char *what, const char *detail)
{
  fprintf (stderr, "rg-bench: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
  exit (1);
}

static void *
xmalloc (size_t size)
{
  void *p = malloc (size == 0 ? 1 : size);

  if (p == NULL)
    die ("out of memory", NULL);
  return p;
}

static void *
xrealloc (void *p, size_t size)
{
  p = realloc (p, size == 0 ? 1 : size);
  if (p == NULL)
    die ("out of memory", NULL);
  return p;
}

static char *
xstrndup (const char *s, size_t n)
{
  char *copy = xmalloc (n + 1);

  memcpy (copy, s, n);
  copy[n] = '\0';
  return copy;
}

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values, size_t n)
{
  qsort (values, n, sizeof *values, compare_double);
  if (n % 2 == 1)
    return values[n / 2];
  return (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

/* ------------------------------------------------------------------------------------------ */
/* Lines of a file. */

typedef struct {
  char **items;
  size_t n;
  size_t allocated;
} strv;

static void
strv_add (strv *v, char *s)
{
  if (v->n == v->allocated)
    {
      v->allocated = v->allocated ? v->allocated * 2 : 1024;
      v->items = xrealloc (v->items, v->allocated * sizeof *v->items);
    }
  v->items[v->n++] = s;
}

static void
strv_clear (strv *v)
{
  for (size_t i = 0; i < v->n; i++)
    free (v->items[i]);
  free (v->items);
  memset (v, 0, sizeof *v);
}

/* Reads the lines of @path, trimmed, without blank lines and "#" comment lines. */
static void
read_lines (const char *path, strv *out)
{
  FILE *f = fopen (path, "r");
  char *line = NULL;
  size_t allocated = 0;
  ssize_t len;

  if (f == NULL)
    die (path, strerror (errno));
  while ((len = getline (&line, &allocated, f)) >= 0)
    {
      size_t start = 0, end = (size_t) len;

      while (end > 0 && (line[end - 1] == '\n' || line[end - 1] == '\r' || line[end - 1] == ' '
                         || line[end - 1] == '\t'))
        end--;
      while (start < end && (line[start] == ' ' || line[start] == '\t'))
        start++;
      if (start == end || line[start] == '#')
        continue;
      strv_add (out, xstrndup (line + start, end - start));
    }
  free (line);
  fclose (f);
}

/* ------------------------------------------------------------------------------------------ */
/* Checks and their scoring. */

typedef struct {
  size_t typos, typos_caught, typos_wrong;
  size_t exact, exact_flagged;
  size_t unknown, unknown_flagged;
  size_t errors;
} score;

/* Checks @address as a one-address list; @suggested gets the suggested domain (or NULL),
 * copied into @buffer, and @flagged whether the verdict is warn or block. */
static void
check_one (const rg_checker *checker, const char *address, char *buffer, size_t size,
           const char **suggested, int *flagged, size_t *errors)
{
  const char *lists[1] = { address };
  rg_report *report = NULL;
  const rg_finding *finding;
  rg_status status = rg_checker_check (checker, lists, 1, &report);

  *suggested = NULL;
  *flagged = 0;
  if (status != RG_OK)
    {
      (*errors)++;
      return;
    }
  finding = rg_report_get_finding (report, 0);
  if (finding != NULL)
    {
      const char *s = rg_finding_get_suggested_domain (finding);

      *flagged = rg_finding_get_verdict (finding) >= RG_VERDICT_WARN;
      if (s != NULL && buffer != NULL)
        {
          snprintf (buffer, size, "%s", s);
          *suggested = buffer;
        }
      else if (s != NULL)
        *suggested = "";
    }
  rg_report_free (report);
}

/* Scores one answer like peers.mjs and run-bench.py do.  @intended is the domain the sender
 * meant, "-" for an unknown one, or NULL when there is no truth for the address. */
static void
score_one (score *s, const char *address, const char *intended, const char *suggested,
           int flagged)
{
  const char *at = strrchr (address, '@');
  const char *domain = at ? at + 1 : "";

  if (intended == NULL)
    return;
  if (strcmp (intended, "-") == 0 || strcmp (intended, domain) == 0)
    {
      int exact = strcmp (intended, "-") != 0;

      if (exact)
        s->exact++;
      else
        s->unknown++;
      if (flagged || suggested != NULL)
        {
          if (exact)
            s->exact_flagged++;
          else
            s->unknown_flagged++;
        }
    }
  else
    {
      s->typos++;
      if (suggested != NULL && strcmp (suggested, intended) == 0)
        s->typos_caught++;
      else if (suggested != NULL)
        s->typos_wrong++;
    }
}

static void
print_score (const score *s)
{
  printf ("  \"typos\": %zu, \"typos_caught\": %zu, \"typos_wrong\": %zu,\n"
          "  \"exact\": %zu, \"exact_flagged\": %zu, \"unknown\": %zu, \"unknown_flagged\": %zu,\n"
          "  \"correct\": %zu, \"check_errors\": %zu,\n",
          s->typos, s->typos_caught, s->typos_wrong, s->exact, s->exact_flagged, s->unknown,
          s->unknown_flagged,
          s->typos_caught + (s->exact - s->exact_flagged) + (s->unknown - s->unknown_flagged),
          s->errors);
}

static rg_config *
fill_config (char *const *domains, size_t n, size_t *rejected)
{
  rg_config *config = rg_config_new ();

  if (config == NULL)
    die ("rg_config_new failed", NULL);
  *rejected = 0;
  for (size_t i = 0; i < n; i++)
    {
      rg_status status = rg_config_add_known (config, domains[i], 1);

      if (status == RG_E_NOMEM || status == RG_E_TOO_MANY)
        die ("rg_config_add_known", rg_strerror (status));
      if (status != RG_OK)
        (*rejected)++;
    }
  return config;
}

static rg_checker *
build_checker (const rg_config *config)
{
  rg_checker *checker = NULL;
  rg_status status = rg_checker_new (config, &checker);

  if (status != RG_OK)
    die ("rg_checker_new", rg_strerror (status));
  return checker;
}

/* ------------------------------------------------------------------------------------------ */
/* The peer comparison. */

static int
run_files (const char *known_path, const char *addresses_path, const char *truth_path,
           int rounds, size_t warmup)
{
  strv known = { 0 }, addresses = { 0 }, truth = { 0 };
  char **intended;
  rg_config *config;
  rg_checker *checker;
  double t0, fill_s, build_s, warmup_s, passes[MAX_ROUNDS];
  size_t rejected, n_warm;
  score s = { 0 };
  char buffer[RG_MAX_DOMAIN_OCTETS * 4 + 1];

  read_lines (known_path, &known);
  read_lines (addresses_path, &addresses);
  intended = calloc (addresses.n + 1, sizeof *intended);
  if (intended == NULL)
    die ("out of memory", NULL);
  if (truth_path != NULL)
    {
      read_lines (truth_path, &truth);
      if (truth.n != addresses.n)
        die (truth_path, "not one line per address");
      for (size_t i = 0; i < truth.n; i++)
        {
          char *tab = strchr (truth.items[i], '\t');
          char *tab2;

          if (tab == NULL || (size_t) (tab - truth.items[i]) != strlen (addresses.items[i])
              || strncmp (truth.items[i], addresses.items[i], (size_t) (tab - truth.items[i])))
            die (truth_path, "not in the order of the addresses");
          tab2 = strchr (tab + 1, '\t');
          if (tab2 != NULL)
            *tab2 = '\0';
          intended[i] = tab + 1;
        }
    }

  t0 = now_s ();
  config = fill_config (known.items, known.n, &rejected);
  fill_s = now_s () - t0;
  t0 = now_s ();
  checker = build_checker (config);
  build_s = now_s () - t0;

  n_warm = warmup < addresses.n ? warmup : addresses.n;
  t0 = now_s ();
  for (size_t i = 0; i < n_warm; i++)
    {
      const char *suggested;
      int flagged;

      check_one (checker, addresses.items[i], NULL, 0, &suggested, &flagged, &s.errors);
    }
  warmup_s = now_s () - t0;
  s.errors = 0;

  for (int r = 0; r < rounds; r++)
    {
      t0 = now_s ();
      for (size_t i = 0; i < addresses.n; i++)
        {
          const char *suggested;
          int flagged;

          if (r == 0)
            {
              check_one (checker, addresses.items[i], buffer, sizeof buffer, &suggested,
                         &flagged, &s.errors);
              score_one (&s, addresses.items[i], intended[i], suggested, flagged);
            }
          else
            {
              size_t errors = 0;

              check_one (checker, addresses.items[i], NULL, 0, &suggested, &flagged, &errors);
            }
        }
      passes[r] = now_s () - t0;
    }

  printf ("{\n  \"mode\": \"files\", \"known\": %zu, \"known_rejected\": %zu, "
          "\"addresses\": %zu, \"rounds\": %d,\n",
          known.n, rejected, addresses.n, rounds);
  printf ("  \"fill_ms\": %.3f, \"build_ms\": %.3f, \"setup_ms\": %.3f,\n", fill_s * 1e3,
          build_s * 1e3, (fill_s + build_s) * 1e3);
  printf ("  \"warmup_addresses\": %zu, \"warmup_us_per_address\": %.3f,\n", n_warm,
          n_warm ? warmup_s * 1e6 / (double) n_warm : 0.0);
  if (truth_path != NULL)
    print_score (&s);
  printf ("  \"check_ms\": %.3f, \"us_per_address\": %.4f, \"peak_rss_mib\": %.1f\n}\n",
          median (passes, (size_t) rounds) * 1e3,
          median (passes, (size_t) rounds) * 1e6 / (double) (addresses.n ? addresses.n : 1),
          mib (rss_peak ()));

  rg_checker_free (checker);
  rg_config_free (config);
  free (intended);
  strv_clear (&known);
  strv_clear (&addresses);
  strv_clear (&truth);
  return s.errors == 0 ? 0 : 1;
}

/* ------------------------------------------------------------------------------------------ */
/* The generator of the scaling run: the shape of gen-data.py's domains, in C, so that a
 * million of them take a second rather than a minute. */

static unsigned long long rng_state;

/* splitmix64: small, fast, and the same sequence everywhere. */
static unsigned long long
rng_next (void)
{
  unsigned long long z = (rng_state += 0x9e3779b97f4a7c15ull);

  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static size_t
rng_below (size_t n)
{
  return (size_t) (rng_next () % n);
}

static double
rng_unit (void)
{
  return (double) (rng_next () >> 11) * (1.0 / 9007199254740992.0);
}

#define PICK(array) (array[rng_below (sizeof array / sizeof array[0])])

static const char *const onsets[] = {
  "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z",
  "br", "cr", "dr", "fl", "gr", "kl", "pl", "pr", "st", "tr", "sh", "ch", "th", "sk", "sp", "qu",
};
static const char *const vowels[] = {
  "a", "e", "i", "o", "u", "a", "e", "i", "o", "ai", "ea", "io", "ou", "y",
};
static const char *const codas[] = {
  "", "", "", "", "", "", "n", "r", "s", "l", "t", "x", "m", "nd", "rt", "st", "ck", "ng",
};
static const char *const words[] = {
  "tech", "corp", "labs", "group", "bank", "media", "soft", "data", "med", "bau", "werk",
  "haus", "net", "works", "energy", "trans", "nord", "sud", "west", "east", "pharma",
  "consult", "invest", "logic", "systems", "health", "legal", "air",
};
static const int syllable_counts[] = { 2, 2, 2, 3, 3, 4 };
static const char *const subdomain_labels[] = {
  "mail", "hr", "eu", "us", "lists", "cs", "corp", "intl", "mx", "news",
};

typedef struct {
  const char *suffix;
  int weight;
  const char *swaps[4]; /* one-edit slips of the last label, NULL-terminated */
} suffix_info;

static const suffix_info suffixes[] = {
  { "com", 34, { "co", "cm", "om", NULL } }, { "org", 8, { "or", "og", NULL } },
  { "net", 6, { "ne", "nt", NULL } },       { "de", 7, { "ed", NULL } },
  { "fr", 5, { "rf", NULL } },              { "co.uk", 6, { NULL } },
  { "com.au", 3, { NULL } },                { "mil", 3, { "ml", NULL } },
  { "gov", 3, { "go", NULL } },             { "edu", 4, { "ed", NULL } },
  { "io", 3, { "oi", NULL } },              { "nl", 2, { NULL } },
  { "it", 2, { NULL } },                    { "es", 2, { NULL } },
  { "ch", 2, { NULL } },                    { "se", 1, { NULL } },
  { "ca", 2, { NULL } },                    { "co.jp", 1, { NULL } },
  { "us", 1, { NULL } },                    { "eu", 1, { NULL } },
  { "info", 1, { NULL } },                  { "be", 1, { NULL } },
  { "at", 1, { NULL } },                    { "pl", 1, { NULL } },
};
#define N_SUFFIXES (sizeof suffixes / sizeof suffixes[0])

static size_t
pick_suffix (void)
{
  int total = 0, x;

  for (size_t i = 0; i < N_SUFFIXES; i++)
    total += suffixes[i].weight;
  x = (int) rng_below ((size_t) total);
  for (size_t i = 0; i < N_SUFFIXES; i++)
    {
      x -= suffixes[i].weight;
      if (x < 0)
        return i;
    }
  return 0;
}

/* Appends @s to @buf of @size at *@len; returns false when it does not fit. */
static int
append (char *buf, size_t size, size_t *len, const char *s)
{
  size_t n = strlen (s);

  if (*len + n >= size)
    return 0;
  memcpy (buf + *len, s, n + 1);
  *len += n;
  return 1;
}

/* A word of 5-14 letters from syllables, sometimes with an organisation word. */
static size_t
make_word (char *buf, size_t size)
{
  for (;;)
    {
      char tmp[128];
      size_t len = 0;
      int n = PICK (syllable_counts);

      tmp[0] = '\0';
      for (int i = 0; i < n; i++)
        {
          append (tmp, sizeof tmp, &len, PICK (onsets));
          append (tmp, sizeof tmp, &len, PICK (vowels));
          append (tmp, sizeof tmp, &len, PICK (codas));
        }
      if (rng_unit () < 0.25)
        {
          const char *w = PICK (words);

          if (rng_unit () < 0.7)
            append (tmp, sizeof tmp, &len, w);
          else
            {
              char joined[128];

              snprintf (joined, sizeof joined, "%s%s", w, tmp);
              len = strlen (joined);
              memcpy (tmp, joined, len + 1);
            }
        }
      if (len >= 5 && len <= 14 && len < size)
        {
          memcpy (buf, tmp, len + 1);
          return len;
        }
    }
}

/* Cuts @word of @len letters to a random length from @min to @max, like word[:randint]. */
static size_t
truncate_word (char *word, size_t len, size_t min, size_t max)
{
  size_t keep = min + rng_below (max - min + 1);

  if (keep < len)
    len = keep;
  word[len] = '\0';
  return len;
}

/* An organisation-like name; 8% are two words joined by a hyphen. */
static size_t
make_name (char *buf, size_t size)
{
  if (rng_unit () < 0.08)
    {
      for (;;)
        {
          char a[32], b[32];
          size_t la = truncate_word (a, make_word (a, sizeof a), 3, 7), lb;

          if (rng_unit () < 0.5)
            lb = (size_t) snprintf (b, sizeof b, "%s", PICK (words));
          else
            lb = truncate_word (b, make_word (b, sizeof b), 3, 7);
          if (la + lb >= 5 && la + lb <= 14 && la + lb + 1 < size)
            return (size_t) snprintf (buf, size, "%s-%s", a, b);
        }
    }
  return make_word (buf, size);
}

typedef struct {
  char **domains;
  unsigned char *name_start; /* offset of the name label in each domain */
  unsigned char *name_len;
  unsigned char *suffix;     /* index into suffixes[] */
  size_t n;
} domain_set;

static unsigned long long
hash_string (const char *s)
{
  unsigned long long h = 0xcbf29ce484222325ull;

  for (; *s; s++)
    h = (h ^ (unsigned char) *s) * 0x100000001b3ull;
  return h;
}

static void
generate_domains (size_t n, domain_set *set)
{
  size_t capacity = 16;
  char **table;

  while (capacity < n * 2)
    capacity *= 2;
  table = calloc (capacity, sizeof *table);
  set->domains = xmalloc (n * sizeof *set->domains);
  set->name_start = xmalloc (n);
  set->name_len = xmalloc (n);
  set->suffix = xmalloc (n);
  if (table == NULL)
    die ("out of memory", NULL);
  set->n = 0;
  while (set->n < n)
    {
      char name[64], domain[128];
      size_t name_len = make_name (name, sizeof name);
      size_t suffix = pick_suffix ();
      size_t start = 0, slot;

      if (rng_unit () < 0.06)
        {
          const char *sub = PICK (subdomain_labels);

          start = strlen (sub) + 1;
          snprintf (domain, sizeof domain, "%s.%s.%s", sub, name, suffixes[suffix].suffix);
        }
      else
        snprintf (domain, sizeof domain, "%s.%s", name, suffixes[suffix].suffix);

      slot = (size_t) hash_string (domain) & (capacity - 1);
      while (table[slot] != NULL && strcmp (table[slot], domain) != 0)
        slot = (slot + 1) & (capacity - 1);
      if (table[slot] != NULL)
        continue;
      table[slot] = xstrndup (domain, strlen (domain));
      set->domains[set->n] = table[slot];
      set->name_start[set->n] = (unsigned char) start;
      set->name_len[set->n] = (unsigned char) name_len;
      set->suffix[set->n] = (unsigned char) suffix;
      set->n++;
    }
  free (table);
}

static void
domain_set_clear (domain_set *set)
{
  for (size_t i = 0; i < set->n; i++)
    free (set->domains[i]);
  free (set->domains);
  free (set->name_start);
  free (set->name_len);
  free (set->suffix);
}

static int
valid_label (const char *label, size_t len)
{
  if (len < 3 || label[0] == '-' || label[len - 1] == '-')
    return 0;
  for (size_t i = 0; i + 1 < len; i++)
    if (label[i] == '-' && label[i + 1] == '-')
      return 0;
  return 1;
}

/* Writes a one-edit typo of domain @i of @set into @out; returns false when the edit picked
 * does not apply, and the caller tries another. */
static int
make_typo (const domain_set *set, size_t i, char *out, size_t size)
{
  const char *d = set->domains[i];
  size_t start = set->name_start[i], len = set->name_len[i];
  const char *rest = d + start + len; /* ".suffix" */
  char name[64];
  size_t n = len, pos;
  const suffix_info *suffix = &suffixes[set->suffix[i]];
  int kind = (int) rng_below (5);

  memcpy (name, d + start, len);
  name[len] = '\0';
  switch (kind)
    {
    case 0: /* omission */
      pos = rng_below (n);
      memmove (name + pos, name + pos + 1, n - pos);
      n--;
      break;
    case 1: /* insertion */
      pos = rng_below (n + 1);
      memmove (name + pos + 1, name + pos, n - pos + 1);
      name[pos] = pos > 0 && rng_unit () < 0.4 ? name[pos - 1] : (char) ('a' + rng_below (26));
      n++;
      break;
    case 2: /* substitution */
      pos = rng_below (n);
      if (name[pos] == '-')
        return 0;
      name[pos] = (char) ('a' + (name[pos] - 'a' + 1 + (int) rng_below (25)) % 26);
      break;
    case 3: /* transposition */
      pos = rng_below (n - 1);
      if (name[pos] == name[pos + 1])
        return 0;
      {
        char c = name[pos];

        name[pos] = name[pos + 1];
        name[pos + 1] = c;
      }
      break;
    default: /* a slip in the last label */
      {
        size_t n_swaps = 0;
        const char *dot = strrchr (suffix->suffix, '.');
        size_t keep = dot ? (size_t) (dot - suffix->suffix) + 1 : 0;

        while (n_swaps < 4 && suffix->swaps[n_swaps] != NULL)
          n_swaps++;
        if (n_swaps == 0)
          return 0;
        snprintf (out, size, "%.*s%.*s.%.*s%s", (int) start, d, (int) len, d + start,
                  (int) keep, suffix->suffix, suffix->swaps[rng_below (n_swaps)]);
        return 1;
      }
    }
  if (!valid_label (name, n))
    return 0;
  snprintf (out, size, "%.*s%s%s", (int) start, d, name, rest);
  return 1;
}

/* A local part like gen-data.py's: first.last, an initial and a name, or a role. */
static void
make_local (char *out, size_t size)
{
  static const char *const roles[] = { "ops", "info", "hr", "sales", "admin", "support" };
  char first[32], last[32];
  double r;

  truncate_word (first, make_word (first, sizeof first), 3, 7);
  truncate_word (last, make_word (last, sizeof last), 4, 9);
  r = rng_unit ();
  if (r < 0.4)
    snprintf (out, size, "%s.%s", first, last);
  else if (r < 0.6)
    snprintf (out, size, "%c.%s", first[0], last);
  else if (r < 0.75)
    snprintf (out, size, "%s", PICK (roles));
  else
    snprintf (out, size, "%s%.3s%d", first, last, 1 + (int) rng_below (99));
}

static int
run_generated (size_t n_known, size_t n_queries, int rounds, unsigned long long seed)
{
  domain_set set = { 0 };
  char **queries, **intended;
  rg_config *config;
  rg_checker *checker;
  double t0, gen_s, fill_s, build_s, warmup_s, passes[MAX_ROUNDS], *single;
  unsigned long long rss_start, rss_generated, rss_filled, rss_built, rss_config_freed;
  size_t rejected, n_warm, errors = 0;
  score s = { 0 };
  char buffer[RG_MAX_DOMAIN_OCTETS * 4 + 1];

  rss_start = rss_now ();
  rng_state = seed;
  t0 = now_s ();
  generate_domains (n_known, &set);

  /* The recipients: 45% exact, 35% one-edit typos, 20% unknown (vowel-less names, far from
   * the syllable-built known ones). */
  queries = xmalloc (n_queries * sizeof *queries);
  intended = xmalloc (n_queries * sizeof *intended);
  for (size_t q = 0; q < n_queries; q++)
    {
      char local[64], domain[160], address[256];
      double r = rng_unit ();

      make_local (local, sizeof local);
      if (r < 0.45)
        {
          size_t i = rng_below (set.n);

          snprintf (domain, sizeof domain, "%s", set.domains[i]);
          intended[q] = set.domains[i];
        }
      else if (r < 0.80)
        {
          size_t i;

          do
            i = rng_below (set.n);
          while (!make_typo (&set, i, domain, sizeof domain));
          intended[q] = set.domains[i];
        }
      else
        {
          static const char consonants[] = "bcdfghjklmnpqrstvwxz";
          size_t len = 7 + rng_below (6);

          for (size_t k = 0; k < len; k++)
            domain[k] = consonants[rng_below (sizeof consonants - 1)];
          snprintf (domain + len, sizeof domain - len, ".%s", suffixes[pick_suffix ()].suffix);
          intended[q] = "-";
        }
      snprintf (address, sizeof address, "%s@%s", local, domain);
      queries[q] = xstrndup (address, strlen (address));
    }
  gen_s = now_s () - t0;
  rss_generated = rss_now ();

  t0 = now_s ();
  config = fill_config (set.domains, set.n, &rejected);
  fill_s = now_s () - t0;
  rss_filled = rss_now ();

  t0 = now_s ();
  checker = build_checker (config);
  build_s = now_s () - t0;
  rss_built = rss_now ();
  rg_config_free (config);
  rss_config_freed = rss_now ();

  n_warm = n_queries < 10000 ? n_queries : 10000;
  t0 = now_s ();
  for (size_t q = 0; q < n_warm; q++)
    {
      const char *suggested;
      int flagged;

      check_one (checker, queries[q], NULL, 0, &suggested, &flagged, &errors);
    }
  warmup_s = now_s () - t0;

  for (int r = 0; r < rounds; r++)
    {
      t0 = now_s ();
      for (size_t q = 0; q < n_queries; q++)
        {
          const char *suggested;
          int flagged;

          if (r == 0)
            {
              check_one (checker, queries[q], buffer, sizeof buffer, &suggested, &flagged,
                         &s.errors);
              score_one (&s, queries[q], intended[q], suggested, flagged);
            }
          else
            check_one (checker, queries[q], NULL, 0, &suggested, &flagged, &errors);
        }
      passes[r] = now_s () - t0;
    }

  /* One more round, each check timed on its own, for the spread. */
  single = xmalloc (n_queries * sizeof *single);
  for (size_t q = 0; q < n_queries; q++)
    {
      const char *suggested;
      int flagged;
      double t = now_s ();

      check_one (checker, queries[q], NULL, 0, &suggested, &flagged, &errors);
      single[q] = (now_s () - t) * 1e6;
    }
  qsort (single, n_queries, sizeof *single, compare_double);

  printf ("{\n  \"mode\": \"generate\", \"known\": %zu, \"known_rejected\": %zu, "
          "\"queries\": %zu, \"rounds\": %d, \"seed\": %llu,\n",
          set.n, rejected, n_queries, rounds, seed);
  printf ("  \"generate_ms\": %.3f, \"fill_ms\": %.3f, \"build_ms\": %.3f,\n", gen_s * 1e3,
          fill_s * 1e3, build_s * 1e3);
  printf ("  \"warmup_us_per_check\": %.4f, \"us_per_check\": %.4f,\n",
          warmup_s * 1e6 / (double) (n_warm ? n_warm : 1),
          median (passes, (size_t) rounds) * 1e6 / (double) (n_queries ? n_queries : 1));
  printf ("  \"p50_us\": %.3f, \"p99_us\": %.3f, \"max_us\": %.3f,\n",
          single[n_queries / 2], single[(size_t) ((double) (n_queries - 1) * 0.99)],
          single[n_queries - 1]);
  print_score (&s);
  printf ("  \"rss_start_mib\": %.1f, \"rss_generated_mib\": %.1f, \"rss_filled_mib\": %.1f,\n"
          "  \"rss_built_mib\": %.1f, \"rss_config_freed_mib\": %.1f, "
          "\"peak_rss_mib\": %.1f\n}\n",
          mib (rss_start), mib (rss_generated), mib (rss_filled), mib (rss_built),
          mib (rss_config_freed), mib (rss_peak ()));

  free (single);
  rg_checker_free (checker);
  for (size_t q = 0; q < n_queries; q++)
    free (queries[q]);
  free (queries);
  free (intended);
  domain_set_clear (&set);
  return s.errors == 0 && errors == 0 ? 0 : 1;
}

/* ------------------------------------------------------------------------------------------ */

static void
usage (void)
{
  fprintf (stderr,
           "Usage: rg-bench --known FILE --addresses FILE [--truth FILE] [--rounds R]"
           " [--warmup W]\n"
           "       rg-bench --generate N --queries M [--rounds R] [--seed S]\n");
  exit (64);
}

static unsigned long long
parse_number (const char *text, unsigned long long max)
{
  char *end = NULL;
  unsigned long long value;

  errno = 0;
  value = strtoull (text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || value > max || text[0] == '-')
    usage ();
  return value;
}

int
main (int argc, char **argv)
{
  const char *known = NULL, *addresses = NULL, *truth = NULL;
  size_t generate = 0, queries = 100000, warmup = 1000;
  int rounds = 5;
  unsigned long long seed = 20231;

  for (int i = 1; i < argc; i += 2)
    {
      const char *arg = argv[i];
      const char *value = i + 1 < argc ? argv[i + 1] : NULL;

      if (value == NULL)
        usage ();
      if (strcmp (arg, "--known") == 0)
        known = value;
      else if (strcmp (arg, "--addresses") == 0)
        addresses = value;
      else if (strcmp (arg, "--truth") == 0)
        truth = value;
      else if (strcmp (arg, "--generate") == 0)
        generate = (size_t) parse_number (value, RG_MAX_KNOWN_DOMAINS);
      else if (strcmp (arg, "--queries") == 0)
        queries = (size_t) parse_number (value, 100000000);
      else if (strcmp (arg, "--rounds") == 0)
        rounds = (int) parse_number (value, MAX_ROUNDS);
      else if (strcmp (arg, "--warmup") == 0)
        warmup = (size_t) parse_number (value, 100000000);
      else if (strcmp (arg, "--seed") == 0)
        seed = parse_number (value, ~0ull);
      else
        usage ();
    }
  if (rounds < 1)
    usage ();
  if (generate > 0 && known == NULL && addresses == NULL && queries > 0)
    return run_generated (generate, queries, rounds, seed);
  if (generate == 0 && known != NULL && addresses != NULL)
    return run_files (known, addresses, truth, rounds, warmup);
  usage ();
  return 64;
}
