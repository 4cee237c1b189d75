/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-host-language.h - the language of the host's sentences: Thunderbird's, not the
 * environment's.  The add-on's window speaks Thunderbird's interface language, and the rows'
 * sentences, which the host translates, must speak the same one even when the desktop's
 * locale differs (a German Thunderbird on an English desktop, or the reverse).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Makes gettext translate into @tag, a BCP 47 language tag as Thunderbird gives it ("de",
 * "en-US", "pt-BR"): from now on, through $LANGUAGE, with the environment's locale for the
 * rest (a "C" locale for messages becomes C.UTF-8, where gettext ignores $LANGUAGE).
 * Returns FALSE, changing nothing, when @tag is not a plausible language tag.  It changes the
 * process environment: call it only while no other thread runs (rg_guard_is_idle ()). */
gboolean rg_host_set_language (const char *tag);

/* Whether @tag looks like a BCP 47 language tag: letters, digits and hyphens, at most 35
 * bytes, starting with a letter. */
gboolean rg_host_is_language_tag (const char *tag);

G_END_DECLS
