/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-finding-text.c - translated sentences about a finding.
 *
 * The core explains in English only (it has no locale); the person at the Send button reads
 * these instead.  They are built from the facts the public API gives: the main reason, the
 * recipient's domain, the suggested domain and its use count, and rg_tld_country().  The
 * core knows a little more than it exposes (the letter typed by mistake, the policy pattern,
 * the invisible code point, the scripts mixed), so these sentences name the kind of slip
 * rather than the exact letters.
 */
#include "config.h"

#include "rg-finding-text.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* iso-codes' gettext domain for the names of ISO 3166-1 countries and territories. */
#define ISO_3166_DOMAIN "iso_3166-1"

/* Text from the recipient is quoted whole up to this many octets: every address that can
 * travel over SMTP (RG_MAX_ADDRESS_OCTETS), hence every valid domain, is shown in full,
 * since the slip may be in its last letter.  Longer text is invalid anyway, and a sentence
 * quoting a megabyte of it would help nobody. */
#define RG_MAX_QUOTED_OCTETS RG_MAX_ADDRESS_OCTETS

/* Translators: the top-level domain a recipient's address ends in, and whose it is, e.g.
 * ".ml is the country domain of Mali".  The first %s is the code without its dot ("ml"), the
 * second the name of the country or territory, from iso-codes' translations. */
#define COUNTRY_SENTENCE N_(".%s is the country domain of %s")

/* Both gettext domains return UTF-8 whatever the locale's character set, as GTK expects.
 * The module binds its own domain in e_module_load(); binding the codeset here as well
 * keeps this file correct wherever it is used without the module (the tests). */
static void
ensure_codesets (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      bind_textdomain_codeset (ISO_3166_DOMAIN, "UTF-8");
      g_once_init_leave (&done, 1);
    }
}

/* @text, or its first octets and an ellipsis when it is longer than RG_MAX_QUOTED_OCTETS. */
static char *
dup_quoted (const char *text)
{
  const char *end;

  if (strlen (text) <= RG_MAX_QUOTED_OCTETS)
    return g_strdup (text);
  /* Cut at the start of a character; the core's text is valid UTF-8. */
  end = g_utf8_find_prev_char (text, text + RG_MAX_QUOTED_OCTETS + 1);
  if (end == NULL)
    end = text;
  return g_strdup_printf ("%.*s…", (int) (end - text), text);
}

static const char *
last_label (const char *domain)
{
  const char *dot = strrchr (domain, '.');

  return dot != NULL ? dot + 1 : domain;
}

/* Whether @domain is, or is under, one of the built-in providers.  The core gives a
 * built-in provider's suggestion a count of 0, as it does a trusted domain's; this tells the
 * two apart. */
static gboolean
is_builtin_provider (const char *domain)
{
  size_t n = 0;
  const char *const *providers = rg_builtin_providers (&n);
  size_t len = strlen (domain);

  for (size_t i = 0; i < n; i++)
    {
      size_t plen = strlen (providers[i]);

      if (len == plen && strcmp (domain, providers[i]) == 0)
        return TRUE;
      if (len > plen && domain[len - plen - 1] == '.'
          && strcmp (domain + len - plen, providers[i]) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The domain meant, with why it is likely meant: "army.mil, which 214 of your contacts
 * use".  The sentences below put it last where they can, so that the clause ends them.
 * @sources (rg_finding_get_suggested_sources()) say what the count is made of: the use count
 * sums every source, and the user's own address or the administrator's entry is no
 * contact. */
static char *
dup_known_phrase (const char *domain,
                  uint32_t    count,
                  unsigned    sources)
{
  g_autofree char *quoted = dup_quoted (domain);

  if ((sources & (1u << RG_SOURCE_IDENTITY)) != 0)
    /* Translators: a domain of one of the user's own addresses, put into other sentences
     * in place of their second %s, e.g. "army.mil, your own domain".  %s is the domain. */
    return g_strdup_printf (_("%s, your own domain"), quoted);
  if ((sources & (1u << RG_SOURCE_ADMIN)) != 0)
    /* Translators: a domain on the list of partner domains (known-domains, in Preferences
     * "Partner domains"), put into other sentences in place of their second %s, e.g.
     * "partner.example, one of your partner domains".  %s is the domain. */
    return g_strdup_printf (_("%s, one of your partner domains"), quoted);
  if (count > 0)
    /* Translators: a domain and how many of the user's contacts use it, put into other
     * sentences in place of their second %s, e.g. "army.mil, which 214 of your contacts
     * use".  The first %s is the domain, %u the number of contacts. */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, which one of your contacts uses",
                                         "%s, which %u of your contacts use", count),
                            quoted, (unsigned) count);
  if (is_builtin_provider (domain))
    /* Translators: a domain of one of the large public mail providers (gmail.com, ...), put
     * into other sentences in place of their second %s, e.g. "gmail.com, a large mail
     * provider".  %s is the domain. */
    return g_strdup_printf (_("%s, a large mail provider"), quoted);
  /* Translators: a domain on the list of trusted domains, put into other sentences in place
   * of their second %s, e.g. "example.org, a trusted domain".  %s is the domain. */
  return g_strdup_printf (_("%s, a trusted domain"), quoted);
}

/* The name of the country of @english (from rg_tld_country()) in the user's language.
 * @sentence_translated: whether COUNTRY_SENTENCE has a translation in use. */
static const char *
country_name (const char *english, gboolean sentence_translated)
{
  /* rg_tld_country() puts "the" before names that take it in an English sentence; iso-codes
   * has them without. */
  const char *bare = g_str_has_prefix (english, "the ") ? english + 4 : english;
  const char *translated = dgettext (ISO_3166_DOMAIN, bare);

  if (translated != bare)
    return translated;
  /* iso-codes does not know the names the core uses in place of formal ones ("Russia",
   * "the European Union"): the English name stands in, but without its English article in a
   * translated sentence. */
  return sentence_translated ? bare : english;
}

/* ".ml is the country domain of Mali" when @domain_ascii ends in a country code that @meant
 * does not end in; NULL otherwise. */
static char *
dup_country_sentence (const char *domain_ascii, const char *meant)
{
  const char *tld = last_label (domain_ascii);
  const char *english = rg_tld_country (tld);
  gboolean translated;

  if (english == NULL || (meant != NULL && strcmp (last_label (meant), tld) == 0))
    return NULL;
  translated = strcmp (_(COUNTRY_SENTENCE), COUNTRY_SENTENCE) != 0;
  return g_strdup_printf (_(COUNTRY_SENTENCE), tld, country_name (english, translated));
}

/* Whether @reason is a slip towards a known domain: the reasons that come with a suggestion
 * of the domain meant. */
static gboolean
is_near_reason (rg_reason reason)
{
  switch (reason)
    {
    case RG_REASON_TYPO_OMISSION:
    case RG_REASON_TYPO_INSERTION:
    case RG_REASON_TYPO_REPETITION:
    case RG_REASON_TYPO_ADJACENT_KEY:
    case RG_REASON_TYPO_VOWEL_SWAP:
    case RG_REASON_TYPO_SUBSTITUTION:
    case RG_REASON_TYPO_TRANSPOSITION:
    case RG_REASON_TYPO_HYPHEN:
    case RG_REASON_TLD_SWAP:
    case RG_REASON_MISSING_DOT:
    case RG_REASON_EXTRA_DOT:
    case RG_REASON_MOVED_DOT:
    case RG_REASON_TRUNCATED_SUFFIX:
    case RG_REASON_CONFUSABLE:
    case RG_REASON_COMPOUND:
    case RG_REASON_EXTRA_ENDING:
    case RG_REASON_RARE_TWIN:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Whether @finding's suggestion comes from a near-known reason; otherwise (an invisible
 * character and no near-known domain) it is the domain with the character removed. */
static gboolean
has_near_reason (const rg_finding *finding)
{
  size_t n = rg_finding_get_n_reasons (finding);

  for (size_t i = 0; i < n; i++)
    if (is_near_reason (rg_finding_get_reason (finding, i)))
      return TRUE;
  return FALSE;
}

static unsigned
count_char (const char *s, char c)
{
  unsigned n = 0;

  for (; *s != '\0'; s++)
    if (*s == c)
      n++;
  return n;
}

/* The sentence for a slip towards a known domain.  @typed and @known are quoted already;
 * @known carries its known phrase. */
static char *
dup_near_sentence (const rg_finding *finding, rg_reason reason, const char *typed,
                   const char *known)
{
  const char *domain = rg_finding_get_domain (finding);
  const char *ascii = rg_finding_get_domain_ascii (finding);
  const char *meant = rg_finding_get_suggested_domain (finding);

  switch (reason)
    {
    case RG_REASON_TYPO_OMISSION:
      /* Translators: the first %s is the recipient's domain, the second the domain the user
       * probably meant with why, e.g. "outlok.com has a letter missing compared with
       * outlook.com, a large mail provider". */
      return g_strdup_printf (_("%s has a letter missing compared with %s"), typed, known);
    case RG_REASON_TYPO_INSERTION:
      /* Translators: the first %s is the recipient's domain, the second the domain the user
       * probably meant with why, e.g. "gmaiul.com has an extra letter compared with
       * gmail.com, a large mail provider". */
      return g_strdup_printf (_("%s has an extra letter compared with %s"), typed, known);
    case RG_REASON_TYPO_REPETITION:
      /* Translators: the first %s is the recipient's domain, the second the domain the user
       * probably meant with why, e.g. "gmaill.com has a letter typed twice compared with
       * gmail.com, a large mail provider". */
      return g_strdup_printf (_("%s has a letter typed twice compared with %s"), typed, known);
    case RG_REASON_TYPO_ADJACENT_KEY:
      /* Translators: a letter typed with the key next to the right one on the keyboard.  The
       * first %s is the recipient's domain, the second the domain the user probably meant
       * with why, e.g. "gmsil.com has a letter from a neighbouring key compared with
       * gmail.com, a large mail provider". */
      return g_strdup_printf (_("%s has a letter from a neighbouring key compared with %s"),
                              typed, known);
    case RG_REASON_TYPO_VOWEL_SWAP:
      /* Translators: the first %s is the recipient's domain, the second the domain the user
       * probably meant with why, e.g. "gmeil.com has a different vowel compared with
       * gmail.com, a large mail provider". */
      return g_strdup_printf (_("%s has a different vowel compared with %s"), typed, known);
    case RG_REASON_TYPO_SUBSTITUTION:
      /* Translators: the first %s is the recipient's domain, the second the domain the user
       * probably meant with why, e.g. "gmzil.com has a different letter compared with
       * gmail.com, a large mail provider". */
      return g_strdup_printf (_("%s has a different letter compared with %s"), typed, known);
    case RG_REASON_TYPO_TRANSPOSITION:
      /* Translators: the first %s is the recipient's domain, the second the domain the user
       * probably meant with why, e.g. "gmial.com has two letters swapped compared with
       * gmail.com, a large mail provider". */
      return g_strdup_printf (_("%s has two letters swapped compared with %s"), typed, known);
    case RG_REASON_TYPO_HYPHEN:
      /* One edit involving a hyphen: more hyphens is one added, fewer one missing, as many
       * one swapped with its neighbour. */
      if (meant != NULL && count_char (domain, '-') > count_char (meant, '-'))
        /* Translators: the first %s is the recipient's domain, the second the domain the
         * user probably meant with why, e.g. "t-online.com has an extra hyphen compared
         * with tonline.com, which 3 of your contacts use". */
        return g_strdup_printf (_("%s has an extra hyphen compared with %s"), typed, known);
      if (meant != NULL && count_char (domain, '-') < count_char (meant, '-'))
        /* Translators: the first %s is the recipient's domain, the second the domain the
         * user probably meant with why, e.g. "tonline.de has a hyphen missing compared
         * with t-online.de, which 3 of your contacts use". */
        return g_strdup_printf (_("%s has a hyphen missing compared with %s"), typed, known);
      /* Translators: the first %s is the recipient's domain, the second the domain the user
       * probably meant with why, e.g. "to-nline.de has a hyphen in another place compared
       * with t-online.de, which 3 of your contacts use". */
      return g_strdup_printf (_("%s has a hyphen in another place compared with %s"),
                              typed, known);
    case RG_REASON_TLD_SWAP:
      /* Translators: the two domains differ in their ending (top-level domain) by one letter.
       * The first %s is the recipient's domain, the second the domain the user probably
       * meant with why, e.g. "army.ml is one letter away from army.mil, which 214 of your
       * contacts use". */
      return g_strdup_printf (_("%s is one letter away from %s"), typed, known);
    case RG_REASON_MISSING_DOT:
      /* Translators: the first %s is the recipient's domain, the second the domain the user
       * probably meant with why, e.g. "hrexample.com has a dot missing compared with
       * hr.example.com, which 5 of your contacts use". */
      return g_strdup_printf (_("%s has a dot missing compared with %s"), typed, known);
    case RG_REASON_EXTRA_DOT:
      /* Translators: the first %s is the recipient's domain, the second the domain the user
       * probably meant with why, e.g. "gmail.co.m has an extra dot compared with gmail.com,
       * a large mail provider". */
      return g_strdup_printf (_("%s has an extra dot compared with %s"), typed, known);
    case RG_REASON_MOVED_DOT:
      /* Translators: the first %s is the recipient's domain, the second the domain the user
       * probably meant with why, e.g. "hre.xample.com has a dot in another place compared
       * with hr.example.com, which 5 of your contacts use". */
      return g_strdup_printf (_("%s has a dot in another place compared with %s"),
                              typed, known);
    case RG_REASON_TRUNCATED_SUFFIX:
      /* Translators: the recipient's domain lacks part of its ending (public suffix), as in
       * "hsbc.co" for "hsbc.co.uk".  The first %s is the recipient's domain, the second the
       * domain the user probably meant with why, e.g. "hsbc.co has a shortened ending
       * compared with hsbc.co.uk, which 2 of your contacts use". */
      return g_strdup_printf (_("%s has a shortened ending compared with %s"), typed, known);
    case RG_REASON_CONFUSABLE:
      /* Show the ASCII form as well where it differs: it is what mail servers see, and the
       * only way to tell the two domains apart on screen. */
      if (ascii[0] != '\0' && strcmp (ascii, domain) != 0)
        {
          g_autofree char *quoted_ascii = dup_quoted (ascii);

          /* Translators: a domain written with characters of another script that look like
           * the known domain's.  The first %s is the recipient's domain, the second its
           * ASCII form, the third the domain it imitates with why, e.g. "gmаil.com
           * (xn--gmil-63d.com) looks the same as gmail.com, a large mail provider, but uses
           * different characters". */
          return g_strdup_printf (_("%s (%s) looks the same as %s, but uses different "
                                    "characters"), typed, quoted_ascii, known);
        }
      /* Translators: a domain that looks the same as a known one, as "rn" looks like "m".
       * The first %s is the recipient's domain, the second the domain it imitates with why,
       * e.g. "rnicrosoft.com looks the same as microsoft.com, which 9 of your contacts use,
       * but uses different characters". */
      return g_strdup_printf (_("%s looks the same as %s, but uses different characters"),
                              typed, known);
    case RG_REASON_COMPOUND:
      /* Translators: two slips at once, as in "arym.ml" for "army.mil".  The first %s is the
       * recipient's domain, the second the domain the user probably meant with why, e.g.
       * "arym.ml has two slips compared with army.mil, which 214 of your contacts use". */
      return g_strdup_printf (_("%s has two slips compared with %s"), typed, known);
    case RG_REASON_EXTRA_ENDING:
      /* Translators: an ending added to a known domain, as in "gmail.com.com" or
       * "army.mil.ml".  The first %s is the recipient's domain, the second the domain the
       * user probably meant with why, e.g. "gmail.com.com has an ending added compared with
       * gmail.com, a large mail provider". */
      return g_strdup_printf (_("%s has an ending added compared with %s"), typed, known);
    case RG_REASON_RARE_TWIN:
      if (rg_finding_get_count (finding) <= 1)
        /* Translators: the recipient's domain is known from one message only, and it is a
         * slip away from a domain used far more: a slip that was sent before.  The first %s
         * is the recipient's domain, the second the domain the user probably meant with why,
         * e.g. "You have written to army.ml once; it may be a slip of army.mil, which 214 of
         * your contacts use". */
        return g_strdup_printf (_("You have written to %s once; it may be a slip of %s"),
                                typed, known);
      /* Translators: as "You have written to %s once; ...", for a domain written to a few
       * times.  The first %s is the recipient's domain, %u how often the user wrote to it,
       * the second %s the domain the user probably meant with why, e.g. "You have written
       * to army.ml 2 times; it may be a slip of army.mil, which 214 of your contacts use". */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "You have written to %s %u time; it may be a slip "
                                           "of %s",
                                           "You have written to %s %u times; it may be a "
                                           "slip of %s", rg_finding_get_count (finding)),
                              typed, rg_finding_get_count (finding), known);
    default:
      g_return_val_if_reached (NULL);
    }
}

/* The sentence for @finding's main reason @reason, without the country.  @policy_locked: as
 * for rg_finding_dup_description(). */
static char *
dup_reason_sentence (const rg_finding *finding,
                     rg_reason         reason,
                     gboolean          policy_locked)
{
  const char *domain = rg_finding_get_domain (finding);
  const char *meant = rg_finding_get_suggested_domain (finding);
  g_autofree char *typed = dup_quoted (domain[0] != '\0' ? domain
                                                        : rg_finding_get_address (finding));

  if (is_near_reason (reason))
    {
      g_autofree char *known = NULL;

      /* The core always suggests the domain it found; without one, say no more than it
       * knows. */
      if (meant == NULL)
        /* Translators: %s is the recipient's domain. */
        return g_strdup_printf (_("%s looks like a mistyped domain"), typed);
      known = dup_known_phrase (meant, rg_finding_get_suggested_count (finding),
                                rg_finding_get_suggested_sources (finding));
      return dup_near_sentence (finding, reason, typed, known);
    }

  switch (reason)
    {
    case RG_REASON_MIXED_SCRIPT:
      /* Translators: a domain mixing, say, Latin and Cyrillic letters.  %s is the
       * recipient's domain, e.g. "pаypal.com mixes letters from different alphabets, as
       * lookalike domains do". */
      return g_strdup_printf (_("%s mixes letters from different alphabets, as lookalike "
                                "domains do"), typed);

    case RG_REASON_INVISIBLE:
      if (meant != NULL && !has_near_reason (finding))
        {
          g_autofree char *quoted_meant = dup_quoted (meant);

          /* Translators: a domain holding a zero-width character or a compatibility form
           * such as a full-width letter.  The first %s is the recipient's domain as typed,
           * the second the domain the mail would really go to. */
          return g_strdup_printf (_("%s contains an invisible or look-alike character, so "
                                    "the mail would go to %s"), typed, quoted_meant);
        }
      /* Translators: a domain holding a zero-width character or a compatibility form such
       * as a full-width letter.  %s is the recipient's domain as typed. */
      return g_strdup_printf (_("%s contains an invisible or look-alike character"), typed);

    case RG_REASON_UNKNOWN_TLD:
      {
        g_autofree char *tld = dup_quoted (last_label (domain));

        /* Translators: the first %s is the recipient's domain, the second its top-level
         * domain without the dot, e.g. "example.cmo ends in .cmo, a top-level domain that
         * does not exist". */
        return g_strdup_printf (_("%s ends in .%s, a top-level domain that does not exist"),
                                typed, tld);
      }

    case RG_REASON_INVALID_DOMAIN:
      /* Translators: %s is the recipient's domain, e.g. "exa..mple.com is not a valid
       * domain name". */
      return g_strdup_printf (_("%s is not a valid domain name"), typed);

    case RG_REASON_INVALID_ADDRESS:
      {
        g_autofree char *input = dup_quoted (rg_finding_get_input (finding));

        /* Translators: %s is the recipient as written, e.g. "“ops@” is not an e-mail
         * address".  Use the quotation marks of your language. */
        return g_strdup_printf (_("“%s” is not an e-mail address"), input);
      }

    case RG_REASON_IP_LITERAL:
      /* Translators: %s is the address literal in brackets, e.g. "[192.0.2.1] is an IP
       * address rather than a domain name, so the mail would go straight to that
       * computer". */
      return g_strdup_printf (_("%s is an IP address rather than a domain name, so the mail "
                                "would go straight to that computer"), typed);

    case RG_REASON_NEW_DOMAIN:
      /* Translators: %s is the recipient's domain. */
      return g_strdup_printf (_("You have not written to %s before"), typed);

    /* A list the administrator locked is theirs; an open one may hold the user's own entries
     * (from Preferences), and telling them their administrator forbids what they asked for
     * themselves would send them to the wrong person. */
    case RG_REASON_POLICY_WARN:
      if (policy_locked)
        /* Translators: the administrator's policy asks before mail goes to this domain.  %s
         * is the recipient's domain, e.g. "Your administrator asks you to confirm mail to
         * army.ml". */
        return g_strdup_printf (_("Your administrator asks you to confirm mail to %s"), typed);
      /* Translators: the domain is on the user's own list of domains to always ask about
       * (Preferences).  %s is the recipient's domain, e.g. "You asked to confirm mail to
       * army.ml". */
      return g_strdup_printf (_("You asked to confirm mail to %s"), typed);

    case RG_REASON_POLICY_BLOCK:
      if (policy_locked)
        /* Translators: the administrator's policy forbids mail to this domain.  %s is the
         * recipient's domain, e.g. "Your administrator does not allow mail to army.ml". */
        return g_strdup_printf (_("Your administrator does not allow mail to %s"), typed);
      /* Translators: the domain is on the user's own list of domains never to send to
       * (Preferences).  %s is the recipient's domain, e.g. "You asked never to send mail to
       * army.ml". */
      return g_strdup_printf (_("You asked never to send mail to %s"), typed);

    default:
      /* A reason newer than this file: the core's English beats saying nothing. */
      return g_strdup (rg_finding_get_reason_message (finding, 0));
    }
}

/* Whether the main reason's sentence is followed by the country of the recipient's TLD: the
 * slips that can carry mail to another country, and the policy (which often names TLDs).  A
 * lookalike's TLD is the same as the domain meant, or part of the disguise. */
static gboolean
reason_names_country (rg_reason reason)
{
  return (is_near_reason (reason) && reason != RG_REASON_CONFUSABLE)
         || reason == RG_REASON_POLICY_WARN || reason == RG_REASON_POLICY_BLOCK;
}

/**
 * rg_finding_get_policy_key:
 * @finding: a finding
 *
 * The setting whose list flagged @finding by its main reason: "block-domains" for a block
 * (policy-block), "warn-domains" for a policy warning; %NULL for every other reason (a slip
 * is nobody's policy).  Whether the administrator locked that key is what
 * rg_finding_dup_description() wants to know.
 *
 * Returns: (transfer none) (nullable): a key of the settings schema, or %NULL.
 * Since: 0.2
 */
const char *
rg_finding_get_policy_key (const rg_finding *finding)
{
  g_return_val_if_fail (finding != NULL, NULL);

  if (rg_finding_get_n_reasons (finding) == 0)
    return NULL;
  switch (rg_finding_get_reason (finding, 0))
    {
    case RG_REASON_POLICY_BLOCK:
      return "block-domains";
    case RG_REASON_POLICY_WARN:
      return "warn-domains";
    default:
      return NULL;
    }
}

/**
 * rg_finding_is_policy_locked:
 * @finding: a finding
 * @settings: (nullable): Recipient Guard's settings; %NULL when there are none
 *
 * Returns: whether the administrator locked the key of rg_finding_get_policy_key() in
 * @settings; %FALSE for a finding that no policy flagged, or without settings.
 * Since: 0.2
 */
gboolean
rg_finding_is_policy_locked (const rg_finding *finding,
                             GSettings        *settings)
{
  const char *key = NULL;

  g_return_val_if_fail (finding != NULL, FALSE);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), FALSE);

  key = rg_finding_get_policy_key (finding);
  return settings != NULL && key != NULL && !g_settings_is_writable (settings, key);
}

char *
rg_finding_dup_description (const rg_finding *finding,
                            gboolean          policy_locked)
{
  g_autofree char *sentence = NULL;
  g_autofree char *country = NULL;
  rg_reason reason;

  g_return_val_if_fail (finding != NULL, g_strdup (""));

  ensure_codesets ();
  if (rg_finding_get_n_reasons (finding) == 0)
    {
      g_autofree char *address = dup_quoted (rg_finding_get_address (finding));

      /* Translators: %s is a recipient's address that was checked and found fine. */
      return g_strdup_printf (_("Nothing looks wrong with %s"), address);
    }

  reason = rg_finding_get_reason (finding, 0);
  sentence = dup_reason_sentence (finding, reason, policy_locked);
  if (sentence == NULL)
    sentence = g_strdup (rg_finding_get_reason_message (finding, 0));
  if (reason_names_country (reason))
    {
      /* The policy's country is the recipient's own: there is no domain meant to compare. */
      gboolean policy = reason == RG_REASON_POLICY_WARN || reason == RG_REASON_POLICY_BLOCK;

      country = dup_country_sentence (rg_finding_get_domain_ascii (finding),
                                      policy ? NULL
                                             : rg_finding_get_suggested_domain (finding));
    }
  if (country == NULL)
    return g_steal_pointer (&sentence);
  /* Translators: joins two sentences about one recipient, e.g. "army.ml is one letter away
   * from army.mil, which 214 of your contacts use; .ml is the country domain of Mali".
   * Use your language's way of joining two closely related sentences. */
  return g_strdup_printf (_("%s; %s"), sentence, country);
}

const char *
rg_verdict_get_label (rg_verdict verdict)
{
  switch (verdict)
    {
    case RG_VERDICT_OK:
      /* Translators: the label of a recipient against which nothing was found. */
      return _("No problem found");
    case RG_VERDICT_NOTICE:
      /* Translators: the label of a recipient worth knowing about but not worth asking,
       * such as a domain never written to before. */
      return _("Worth a second look");
    case RG_VERDICT_BLOCK:
      /* Translators: the label of a recipient the administrator's policy forbids. */
      return _("Blocked by policy");
    /* An unknown verdict gets the label of the one that asks: the safe answer. */
    case RG_VERDICT_WARN:
    default:
      /* Translators: the label of a recipient whose domain is probably mistyped or a
       * lookalike. */
      return _("Looks like a slip");
    }
}
