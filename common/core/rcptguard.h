/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rcptguard.h - the public interface of librcptguard.
 *
 * librcptguard decides whether the domain of each recipient of a message looks like a slip:
 * a typo or a lookalike of a domain the user really writes to, a swapped or truncated top-level
 * domain, a domain that cannot receive mail, or one that the policy warns about or blocks.
 *
 * Usage: fill an rg_config with the known domains and the policy, build an immutable
 * rg_checker from it, then call rg_checker_check() for any number of messages, from any
 * number of threads.  The library performs no I/O, keeps no global state, never prints,
 * aborts or exits, and does not depend on the process locale.
 *
 * All strings are UTF-8 and NUL-terminated unless a length is given.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(RG_COMPILATION) && defined(__GNUC__)
# define RG_API __attribute__ ((visibility ("default")))
#else
# define RG_API
#endif

/*
 * Limits.  Work per check is bounded by these; input over a limit is an error
 * (RG_E_TOO_LONG, RG_E_TOO_MANY), never a truncated answer.
 */

/* RFC 1035 section 2.3.4 / RFC 5321 section 4.5.3.1.2: a domain name is at most 253 octets
 * in its textual form (255 on the wire) and a label at most 63. */
#define RG_MAX_DOMAIN_OCTETS 253
#define RG_MAX_LABEL_OCTETS 63
/* RFC 5321 section 4.5.3.1.1: a local part is at most 64 octets. */
#define RG_MAX_LOCAL_OCTETS 64
/* RFC 5321 section 4.5.3.1.3: a path is at most 256 octets with its angle brackets, so an
 * address that can travel over SMTP is at most 254. */
#define RG_MAX_ADDRESS_OCTETS 254
/* One address list (a header field's value) is at most 4 MiB: far beyond any real header
 * (RFC 5322 section 2.1.1 lines are at most 998 octets, folded), small enough to parse in
 * milliseconds. */
#define RG_MAX_LIST_OCTETS (4u * 1024u * 1024u)
/* At most this many recipients in one call of rg_checker_check().  Real messages have a few
 * hundred at most; 50,000 is a large mail merge and is checked in well under a second. */
#define RG_MAX_RECIPIENTS 50000u
/* Comments "(...)" nest at most this deep (RFC 5322 allows any depth; we bound the parser). */
#define RG_MAX_COMMENT_DEPTH 32
/* At most this many known domains are compared in full with one recipient's domain: the
 * index proposes candidates, and this caps the work per recipient whatever the known set. */
#define RG_MAX_CANDIDATES 64
/* At most this many known domains in one config (the index addresses them with 32 bits and
 * its memory grows linearly; 4M is four times the largest set we benchmark). */
#define RG_MAX_KNOWN_DOMAINS (4u * 1024u * 1024u)

/**
 * rg_status:
 *
 * The result of a call.  0 is success; errors are negative and banded:
 * -1xx system, -2xx input, -3xx policy or data.
 */
typedef enum {
  RG_OK = 0,

  RG_E_NOMEM = -101,         /* memory could not be allocated */
  RG_E_INTERNAL = -102,      /* a library (ICU, libidn2, libpsl) failed unexpectedly */

  RG_E_INVALID_ARGUMENT = -201, /* a NULL or out-of-range argument */
  RG_E_ENCODING = -202,      /* the input is not valid UTF-8 */
  RG_E_CONTROL_CHARACTER = -203, /* the input holds NUL, CR, LF or another control character */
  RG_E_TOO_LONG = -204,      /* the input is longer than a named limit */
  RG_E_TOO_MANY = -205,      /* more recipients or known domains than a named limit */
  RG_E_SYNTAX = -206,        /* not an address (list) by RFC 5322 */
  RG_E_DOMAIN = -207,        /* not a valid domain name (empty label, bad IDNA, LDH, ...) */

  RG_E_PUBLIC_SUFFIX = -301, /* a public suffix (e.g. "co.uk") where a domain was needed */
} rg_status;

/**
 * rg_strerror:
 * @status: an #rg_status
 *
 * Returns: (transfer none): a static, plain-English sentence for @status; never NULL.
 * Since: 0.1
 */
RG_API const char *rg_strerror (rg_status status);

/**
 * rg_strerror_name:
 * @status: an #rg_status
 *
 * Returns: (transfer none): the enum name, e.g. "RG_E_SYNTAX"; "RG_E_UNKNOWN" for values
 * this version does not know.  Never NULL.
 * Since: 0.1
 */
RG_API const char *rg_strerror_name (rg_status status);

/**
 * rg_verdict:
 *
 * Ordered: a message's verdict is the highest of its recipients'.
 */
typedef enum {
  RG_VERDICT_OK = 0,     /* nothing to say */
  RG_VERDICT_NOTICE = 1, /* worth knowing, not worth asking (a domain never written to) */
  RG_VERDICT_WARN = 2,   /* probably a slip: ask before sending */
  RG_VERDICT_BLOCK = 3,  /* the policy forbids sending */
} rg_verdict;

/**
 * rg_verdict_to_string:
 *
 * Returns: (transfer none): "ok", "notice", "warn" or "block"; "unknown" otherwise.
 * Since: 0.1
 */
RG_API const char *rg_verdict_to_string (rg_verdict verdict);

/**
 * rg_reason:
 *
 * Why a recipient was flagged.  The names given by rg_reason_to_code() are stable: logs,
 * tests and scripts rely on them.  New codes may be added at the end.
 */
typedef enum {
  RG_REASON_TYPO_OMISSION,     /* "typo-omission": a letter missing (outlok.com) */
  RG_REASON_TYPO_INSERTION,    /* "typo-insertion": a letter too many (gmaiul.com) */
  RG_REASON_TYPO_REPETITION,   /* "typo-repetition": a letter doubled (gmaill.com) */
  RG_REASON_TYPO_ADJACENT_KEY, /* "typo-adjacent-key": a neighbouring key (gmsil.com) */
  RG_REASON_TYPO_VOWEL_SWAP,   /* "typo-vowel-swap": one vowel for another (gmeil.com) */
  RG_REASON_TYPO_SUBSTITUTION, /* "typo-substitution": one other letter changed */
  RG_REASON_TYPO_TRANSPOSITION, /* "typo-transposition": two letters swapped (gmial.com) */
  RG_REASON_TYPO_HYPHEN,       /* "typo-hyphen": a hyphen missing or added (tonline.de) */
  RG_REASON_TLD_SWAP,          /* "tld-swap": another top-level domain (army.ml, army.mil) */
  RG_REASON_MISSING_DOT,       /* "missing-dot": hrexample.com for hr.example.com */
  RG_REASON_EXTRA_DOT,         /* "extra-dot": gmail.co.m, ex.ample.com */
  RG_REASON_MOVED_DOT,         /* "moved-dot": hre.xample.com for hr.example.com */
  RG_REASON_TRUNCATED_SUFFIX,  /* "truncated-suffix": hsbc.co for hsbc.co.uk */
  RG_REASON_CONFUSABLE,        /* "confusable": looks the same as a known domain (TR39) */
  RG_REASON_MIXED_SCRIPT,      /* "mixed-script": one label mixes scripts (Latin and Cyrillic) */
  RG_REASON_INVISIBLE,         /* "invisible-character": zero-width or other ignorable code
                                  points, or compatibility forms that stand for others */
  RG_REASON_UNKNOWN_TLD,       /* "unknown-tld": the top-level domain does not exist */
  RG_REASON_INVALID_DOMAIN,    /* "invalid-domain": not a domain that can receive mail */
  RG_REASON_INVALID_ADDRESS,   /* "invalid-address": not an e-mail address */
  RG_REASON_IP_LITERAL,        /* "ip-literal": an address literal such as [192.0.2.1] */
  RG_REASON_NEW_DOMAIN,        /* "new-domain": never written to (only with
                                  RG_CONFIG_NOTICE_NEW_DOMAINS) */
  RG_REASON_POLICY_WARN,       /* "policy-warn": the policy asks before sending here */
  RG_REASON_POLICY_BLOCK,      /* "policy-block": the policy forbids sending here */
  RG_REASON_RARE_TWIN,         /* "rare-twin": known only weakly (collected, or written to once
                                  or twice) and a slip away from a domain with much stronger
                                  evidence: army.ml sent once, army.mil 214 times */
  RG_REASON_COMPOUND,          /* "compound-slip": two slips at once (arym.ml for army.mil,
                                  gnail.con for gmail.com) */
  RG_REASON_EXTRA_ENDING,      /* "extra-ending": an ending added to a known domain
                                  (gmail.com.com, army.mil.ml, gmailcom.com) */
  RG_N_REASONS
} rg_reason;

/**
 * rg_reason_to_code:
 *
 * Returns: (transfer none): the stable code, e.g. "tld-swap"; "unknown" for other values.
 * Since: 0.1
 */
RG_API const char *rg_reason_to_code (rg_reason reason);

/* ---------------------------------------------------------------------------------------- */

/**
 * rg_config:
 *
 * What a checker knows and what it enforces: known domains with use counts, the policy
 * lists and flags.  Not thread-safe; build it in one thread, then make a checker from it.
 */
typedef struct rg_config rg_config;

typedef enum {
  /* Compare with the built-in list of large public mail providers (gmail.com, ...). */
  RG_CONFIG_BUILTIN_PROVIDERS = 1u << 0,
  /* Look for confusable (TR39 skeleton) and mixed-script domains. */
  RG_CONFIG_CHECK_LOOKALIKES = 1u << 1,
  /* Give a notice for a domain far from every known one. */
  RG_CONFIG_NOTICE_NEW_DOMAINS = 1u << 2,
} rg_config_flags;

/* The flags of a new config. */
#define RG_CONFIG_DEFAULT_FLAGS (RG_CONFIG_BUILTIN_PROVIDERS | RG_CONFIG_CHECK_LOOKALIKES)

typedef enum {
  RG_POLICY_TRUSTED, /* never warned about, and counted as known */
  RG_POLICY_WARN,    /* always ask */
  RG_POLICY_BLOCK,   /* never send */
} rg_policy;

/**
 * rg_config_new:
 *
 * Returns: (transfer full) (nullable): an empty config with %RG_CONFIG_DEFAULT_FLAGS, or NULL
 * when out of memory.  Free with rg_config_free().
 * Since: 0.1
 */
RG_API rg_config *rg_config_new (void);

/**
 * rg_config_free:
 * @config: (nullable): a config
 * Since: 0.1
 */
RG_API void rg_config_free (rg_config *config);

/**
 * rg_config_set_flags:
 * @flags: a bitwise OR of #rg_config_flags; replaces the previous flags
 * Since: 0.1
 */
RG_API void rg_config_set_flags (rg_config *config, unsigned flags);

/**
 * rg_config_get_flags:
 * Since: 0.1
 */
RG_API unsigned rg_config_get_flags (const rg_config *config);

/**
 * rg_source:
 *
 * Where the evidence that the user writes to a domain comes from.  Evidence is weighed, not
 * merely counted: a domain the user's own identity uses or the administrator names is known
 * for certain, one collected automatically when a mail left may be a slip that was sent once.
 */
typedef enum {
  RG_SOURCE_CONTACT,    /* a contact the user keeps in an address book */
  RG_SOURCE_COLLECTED,  /* collected automatically from mail sent (Evolution's automatic
                           contacts, Thunderbird's Collected Addresses) */
  RG_SOURCE_IDENTITY,   /* one of the user's own addresses */
  RG_SOURCE_ADMIN,      /* named by the administrator (known-domains, trusted-domains) */
  RG_N_SOURCES
} rg_source;

/**
 * rg_source_to_string:
 *
 * Returns: (transfer none): "contact", "collected", "identity" or "admin"; NULL for other
 * values.
 * Since: 0.2
 */
RG_API const char *rg_source_to_string (rg_source source);

/**
 * rg_source_from_string:
 * @text: a name as rg_source_to_string() gives it
 * @out: (out): the source
 *
 * Returns: true when @text names a source.
 * Since: 0.2
 */
RG_API bool rg_source_from_string (const char *text, rg_source *out);

/**
 * rg_config_add_known:
 * @config: a config
 * @domain: a domain in any case, Unicode or ASCII (punycode), with or without a trailing dot;
 *   an address "local@domain" is accepted too and counts its domain
 * @count: how often the user writes to it (e.g. contacts using it); 0 is taken as 1.
 *   Adding the same domain again adds the counts (saturating).
 *
 * Cost: O(length of @domain), amortised.
 *
 * Returns: %RG_OK; %RG_E_DOMAIN, %RG_E_PUBLIC_SUFFIX or %RG_E_TOO_LONG when @domain is not
 * a domain someone can own (the config is unchanged); %RG_E_TOO_MANY past
 * %RG_MAX_KNOWN_DOMAINS; %RG_E_NOMEM.
 * Since: 0.1
 */
RG_API rg_status rg_config_add_known (rg_config *config, const char *domain, uint32_t count);

/**
 * rg_config_add_evidence:
 * @config: a config
 * @domain: as for rg_config_add_known()
 * @count: how often the user writes to it from this source; 0 is taken as 1
 * @source: where the evidence comes from
 *
 * rg_config_add_known() is this function with %RG_SOURCE_CONTACT.  Evidence for one domain
 * from several sources adds up: the counts are summed (saturating) and the sources kept.
 *
 * Returns: as rg_config_add_known(); %RG_E_INVALID_ARGUMENT for an unknown @source.
 * Since: 0.2
 */
RG_API rg_status rg_config_add_evidence (rg_config *config, const char *domain, uint32_t count,
                                         rg_source source);

/**
 * rg_config_add_policy:
 * @config: a config
 * @policy: what to do with recipients at @pattern
 * @pattern: a domain or a public suffix; it covers its subdomains, so "ml" covers every
 *   domain under .ml and "example.com" covers "hr.example.com".  A leading "*." or "." is
 *   accepted and ignored.  A top-level domain written alone ("ml", "localhost") is taken
 *   when it would be a valid label of a domain; anything else must be a domain name:
 *   rg_domain_entry_check() with %RG_DOMAIN_ENTRY_PATTERN says which patterns are.
 *
 * Precedence when several apply: block, then trusted, then warn.
 *
 * Returns: %RG_OK; %RG_E_DOMAIN or %RG_E_TOO_LONG for an invalid pattern (white space,
 * punctuation, an empty label as in "a..b", "" or ".", a label over %RG_MAX_LABEL_OCTETS,
 * what IDNA2008 refuses, an address literal); %RG_E_NOMEM.
 * Since: 0.1
 */
RG_API rg_status rg_config_add_policy (rg_config *config, rg_policy policy,
                                       const char *pattern);

/**
 * rg_domain_entry:
 *
 * The kinds of entry of the domain lists a user or an administrator keeps.
 */
typedef enum {
  RG_DOMAIN_ENTRY_PATTERN, /* a pattern of rg_config_add_policy(): trusted, warn and block
                              lists */
  RG_DOMAIN_ENTRY_KNOWN,   /* a domain someone can own, as a list of known domains holds it:
                              no address, no public suffix, no single label */
} rg_domain_entry;

/**
 * rg_domain_entry_check:
 * @kind: the kind of list @entry is for
 * @entry: the entry as it would be stored: UTF-8, any case, with or without a trailing dot
 *
 * The one validation of list entries: rg_config_add_policy() takes exactly the patterns
 * this accepts for %RG_DOMAIN_ENTRY_PATTERN, and rg_config_add_known() the domains it
 * accepts for %RG_DOMAIN_ENTRY_KNOWN (rg_config_add_known() also takes "local@domain"; a
 * list entry is a domain).  Check what a person typed with it before storing it.
 *
 * Cost: O(length of @entry).
 *
 * Returns: %RG_OK; %RG_E_DOMAIN, %RG_E_TOO_LONG or (%RG_DOMAIN_ENTRY_KNOWN)
 * %RG_E_PUBLIC_SUFFIX when @entry is not an entry of @kind; %RG_E_INVALID_ARGUMENT for a
 * NULL @entry or an unknown @kind; %RG_E_NOMEM.
 * Since: 0.2
 */
RG_API rg_status rg_domain_entry_check (rg_domain_entry kind, const char *entry);

/* ---------------------------------------------------------------------------------------- */

/**
 * rg_checker:
 *
 * An immutable snapshot of a config, indexed for fast checks.  Thread-safe: any number of
 * threads may call rg_checker_check() on one checker at once.
 */
typedef struct rg_checker rg_checker;

/**
 * rg_checker_new:
 * @config: a config; not referenced after the call
 * @out: (out) (transfer full): the new checker, or NULL on error
 *
 * Cost: O(total length of the known domains); measured 0.94 s and 411 MiB peak for 1,000,000
 * domains (README, "Benchmark").
 *
 * Returns: %RG_OK, %RG_E_NOMEM or %RG_E_INTERNAL (ICU's spoof checker could not be opened).
 * Since: 0.1
 */
RG_API rg_status rg_checker_new (const rg_config *config, rg_checker **out);

/**
 * rg_checker_free:
 * @checker: (nullable)
 * Since: 0.1
 */
RG_API void rg_checker_free (rg_checker *checker);

/**
 * rg_report:
 *
 * The findings of one check: one #rg_finding per recipient address, in input order.
 */
typedef struct rg_report rg_report;
typedef struct rg_finding rg_finding;

/**
 * rg_checker_check:
 * @checker: a checker
 * @lists: @n_lists address lists (each, e.g., the value of a To header, or a single
 *   address); RFC 5322 syntax with display names, quoted local parts, comments and groups;
 *   RFC 2047 encoded words are left as they are; UTF-8 (RFC 6532) is allowed
 * @n_lists: the number of lists; 0 gives an empty report
 * @out: (out) (transfer full): the report, or NULL on error
 *
 * An address that cannot be parsed is a finding with %RG_REASON_INVALID_ADDRESS and verdict
 * warn, not an error.  Errors concern the input as a whole: invalid UTF-8, control
 * characters (unfold header lines first), a list over %RG_MAX_LIST_OCTETS, more than
 * %RG_MAX_RECIPIENTS addresses in all.  On error nothing is reported.
 *
 * Cost: linear in the input; per address bounded by %RG_MAX_CANDIDATES comparisons,
 * independent of the number of known domains.
 *
 * Returns: %RG_OK, %RG_E_INVALID_ARGUMENT, %RG_E_ENCODING, %RG_E_CONTROL_CHARACTER,
 * %RG_E_TOO_LONG, %RG_E_TOO_MANY or %RG_E_NOMEM.
 * Since: 0.1
 */
RG_API rg_status rg_checker_check (const rg_checker *checker, const char *const *lists,
                                   size_t n_lists, rg_report **out);

/**
 * rg_checker_check_blocks:
 * @checker: a checker
 * @lists: as for rg_checker_check()
 * @n_lists: the number of lists
 * @out: (out) (transfer full): the report, or NULL on error
 *
 * As rg_checker_check(), but only the block list decides: a recipient whose domain it names
 * is reported as rg_checker_check() reports it (verdict block, %RG_REASON_POLICY_BLOCK, and
 * whatever else was found, the suggestion included, so that the user can still correct it);
 * every other recipient is ok, with no reason and no suggestion, an address that cannot be
 * parsed too.  What a mail client still enforces when the user has turned checking off and
 * the administrator has locked the block list.  The errors are those of rg_checker_check().
 *
 * Cost: that of rg_checker_check().
 *
 * Returns: as rg_checker_check().
 * Since: 0.1
 */
RG_API rg_status rg_checker_check_blocks (const rg_checker *checker, const char *const *lists,
                                          size_t n_lists, rg_report **out);

/**
 * rg_report_free:
 * @report: (nullable)
 * Since: 0.1
 */
RG_API void rg_report_free (rg_report *report);

/** rg_report_get_verdict: the highest verdict of all findings; ok when there are none. */
RG_API rg_verdict rg_report_get_verdict (const rg_report *report);

/** rg_report_get_n_findings: the number of findings (recipient addresses). */
RG_API size_t rg_report_get_n_findings (const rg_report *report);

/**
 * rg_report_get_finding:
 * @index: less than rg_report_get_n_findings()
 *
 * Returns: (transfer none) (nullable): the finding, valid as long as @report; NULL when
 * @index is out of range.
 */
RG_API const rg_finding *rg_report_get_finding (const rg_report *report, size_t index);

/** rg_finding_get_list_index: which of the @lists given to rg_checker_check() it came from. */
RG_API size_t rg_finding_get_list_index (const rg_finding *finding);

/**
 * rg_finding_get_input:
 *
 * Returns: (transfer none): the recipient as written in its list, trimmed of surrounding
 * white space, e.g. "Ops <ops@army.ml>".
 */
RG_API const char *rg_finding_get_input (const rg_finding *finding);

/**
 * rg_finding_get_address:
 *
 * Returns: (transfer none): the address "local@domain" as written, without display name,
 * comments or angle brackets; for an unparsable recipient, the input.
 */
RG_API const char *rg_finding_get_address (const rg_finding *finding);

/**
 * rg_finding_get_domain:
 *
 * Returns: (transfer none): the normalised domain: lower case, no trailing dot, in Unicode
 * (U-labels) when it is an IDN; an IP literal with its brackets; "" when there is no domain.
 */
RG_API const char *rg_finding_get_domain (const rg_finding *finding);

/**
 * rg_finding_get_domain_ascii:
 *
 * Returns: (transfer none): the normalised domain in ASCII (A-labels, "xn--..."); "" when
 * the domain is invalid.  Show it beside a lookalike: it is what mail servers see.
 */
RG_API const char *rg_finding_get_domain_ascii (const rg_finding *finding);

RG_API rg_verdict rg_finding_get_verdict (const rg_finding *finding);

/** rg_finding_get_score: how likely a slip, 0 (not at all) to 100 (certain or blocked). */
RG_API int rg_finding_get_score (const rg_finding *finding);

RG_API size_t rg_finding_get_n_reasons (const rg_finding *finding);

/** rg_finding_get_reason: the reason at @index, most important first. */
RG_API rg_reason rg_finding_get_reason (const rg_finding *finding, size_t index);

/**
 * rg_finding_get_reason_message:
 *
 * Returns: (transfer none): a plain-English sentence for the reason at @index, naming the
 * domains involved, e.g. "army.ml is one letter away from army.mil, which you write to.
 * .ml is the country domain of Mali."  NULL when @index is out of range.
 */
RG_API const char *rg_finding_get_reason_message (const rg_finding *finding, size_t index);

/**
 * rg_finding_get_suggestion:
 *
 * Returns: (transfer none) (nullable): the address the user most likely meant, e.g.
 * "ops@army.mil", or NULL when there is none.
 */
RG_API const char *rg_finding_get_suggestion (const rg_finding *finding);

/**
 * rg_finding_get_suggested_domain:
 *
 * Returns: (transfer none) (nullable): the known domain of the suggestion, or NULL.
 */
RG_API const char *rg_finding_get_suggested_domain (const rg_finding *finding);

/**
 * rg_finding_get_suggested_count:
 *
 * Returns: the use count of the suggested domain (0 for a built-in provider never written
 * to, or when there is no suggestion).
 */
RG_API uint32_t rg_finding_get_suggested_count (const rg_finding *finding);

/**
 * rg_finding_get_suggested_sources:
 *
 * Where the evidence for the suggested domain came from, for words that say why it is
 * meant ("army.mil, your own domain"): the use count sums every source.
 *
 * Returns: a bit (1u << source) for each #rg_source that gave evidence of the suggested
 * domain (rg_config_add_evidence()); 0 for a built-in provider or a trusted domain without
 * evidence, or when there is no suggestion.
 * Since: 0.2
 */
RG_API unsigned rg_finding_get_suggested_sources (const rg_finding *finding);

/**
 * rg_finding_get_count:
 *
 * Returns: the use count of the recipient's own domain when it is known (a
 * %RG_REASON_RARE_TWIN finding gives it beside the suggested domain's), 0 otherwise.
 * Since: 0.2
 */
RG_API uint32_t rg_finding_get_count (const rg_finding *finding);

/**
 * rg_builtin_providers:
 * @n: (out): the number of entries
 *
 * Returns: (transfer none): the built-in list of large public mail providers, static.
 * Since: 0.1
 */
RG_API const char *const *rg_builtin_providers (size_t *n);

/**
 * rg_tld_country:
 * @tld: a top-level domain in ASCII without dot, e.g. "ml"
 *
 * Returns: (transfer none) (nullable): the English name of the country or territory whose
 * country-code top-level domain @tld is, e.g. "Mali"; NULL for other TLDs.
 * Since: 0.1
 */
RG_API const char *rg_tld_country (const char *tld);

#ifdef __cplusplus
}
#endif
