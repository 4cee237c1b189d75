/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rg-weigh.h - the model that turns a slip towards a known domain into a warning or a notice
 * (internal; README, "How much a slip weighs").
 */
#pragma once

#include "rg-nearest.h"

/*
 * rg_weigh:
 * @d: the recipient's domain
 * @c: the known domain it most likely meant, and how it is near
 *
 * Returns: %RG_VERDICT_WARN when the slip is likely enough for what the user knows,
 * %RG_VERDICT_NOTICE otherwise.
 */
rg_verdict rg_weigh (const rg_checker *checker, const rg_domain *d, const rg_candidate *c);

/*
 * rg_weigh_can_warn:
 * @k: a known domain of @checker, which must know how many domains the user gave
 * @near: %RG_NEAR_LOOKALIKE or %RG_NEAR_TWO_SLIPS (two slips in the name)
 *
 * Whether a slip of that kind towards @k could warn at all, in a name of any length: the
 * index keeps the keys of these weaker kinds only for known domains where it could.
 */
bool rg_weigh_can_warn (const rg_checker *checker, const rg_known *k, rg_near near);
