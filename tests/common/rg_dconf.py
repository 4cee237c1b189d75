# SPDX-License-Identifier: LGPL-2.1-or-later
"""A dconf database of the administrator's, for the Python tests: compiled by `dconf compile`
from a keyfile and locks, and named by a DCONF_PROFILE of its own ("file-db:PATH" after the
user's database), so that no root and no D-Bus are needed."""

import os
import subprocess

SCHEMA_PATH = '/org/rcptguard/RecipientGuard/'


def compile_profile(tmp, name, values, locks=()):
    """The path of a dconf profile whose one database sets @values (key -> GVariant text) of
    Recipient Guard's settings, with @locks locked, as an administrator would."""
    keyfiles = os.path.join(tmp, name + '.d')
    os.makedirs(os.path.join(keyfiles, 'locks'))
    with open(os.path.join(keyfiles, '50-rcptguard'), 'w', encoding='utf-8') as f:
        f.write('[%s]\n' % SCHEMA_PATH.strip('/'))
        for key, value in values.items():
            f.write('%s=%s\n' % (key, value))
    if locks:
        with open(os.path.join(keyfiles, 'locks', 'rcptguard'), 'w', encoding='utf-8') as f:
            f.write(''.join(SCHEMA_PATH + key + '\n' for key in locks))
    database = os.path.join(tmp, name)
    subprocess.run(['dconf', 'compile', database, keyfiles], check=True)
    profile = os.path.join(tmp, 'profile-' + name)
    # The user's database first, as in the shipped profile (data/admin/dconf/profile/user):
    # dconf 0.40 leaks its engine's sources at exit when a file-db comes first, which
    # scripts/check-memory would report.
    with open(profile, 'w', encoding='utf-8') as f:
        f.write('user-db:user\nfile-db:%s\n' % database)
    return profile
