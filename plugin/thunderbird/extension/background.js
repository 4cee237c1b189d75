// SPDX-License-Identifier: LGPL-2.1-or-later
// The background page's script: Recipient Guard over Thunderbird's own API object.
import { startRecipientGuard } from './lib/app.js';

startRecipientGuard(messenger);
