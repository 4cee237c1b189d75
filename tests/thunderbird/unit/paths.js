// SPDX-License-Identifier: LGPL-2.1-or-later
// Where the sources are: meson sets RCPTGUARD_SOURCE_ROOT; run by hand, this file's place says.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SOURCE_ROOT = process.env.RCPTGUARD_SOURCE_ROOT
  ?? resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const EXTENSION_DIR = join(SOURCE_ROOT, 'plugin', 'thunderbird', 'extension');
export const LIB = join(EXTENSION_DIR, 'lib');
