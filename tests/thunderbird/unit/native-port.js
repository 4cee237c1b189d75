// SPDX-License-Identifier: LGPL-2.1-or-later
//
// A port like runtime.connectNative's over a child process, for the tests: each message is a
// 32-bit length in the machine's byte order, then that many bytes of JSON (PROTOCOL.md).  As
// in Thunderbird, disconnect() ends the child without an onDisconnect of one's own, and a
// program that cannot be started disconnects at once with port.error set.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { endianness, tmpdir } from 'node:os';
import { join } from 'node:path';

const LITTLE = endianness() === 'LE';

/** The native host under test (meson sets it), or null. */
export const HOST_PATH = process.env.RCPTGUARD_NATIVE_HOST || null;

/** A throwaway HOME with XDG folders, for the host's decision log; removed by cleanup(). */
export function makeSession() {
  const root = mkdtempSync(join(tmpdir(), 'rcptguard-tb-'));
  return {
    root,
    env: {
      HOME: root,
      XDG_STATE_HOME: join(root, 'state'),
      XDG_CONFIG_HOME: join(root, 'config'),
      XDG_DATA_HOME: join(root, 'data'),
      XDG_CACHE_HOME: join(root, 'cache'),
    },
    logPath: join(root, 'state', 'rcptguard', 'decisions.jsonl'),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/**
 * Starts @command and returns a port to it.  `port.child` is the process; `port.sent` every
 * message posted, for the tests to look at.
 */
export function spawnPort(command, args = [], env = {}) {
  const child = spawn(command, args, {
    stdio: ['pipe', 'pipe', 'ignore'],
    env: { ...process.env, ...env },
  });
  const messageListeners = [];
  const disconnectListeners = [];
  let buffer = Buffer.alloc(0);
  let disconnected = false;

  const port = {
    child,
    error: null,
    sent: [],
    postMessage(message) {
      if (disconnected)
        throw new Error('Attempt to postMessage on disconnected port');
      const body = Buffer.from(JSON.stringify(message), 'utf8');
      const header = Buffer.alloc(4);
      if (LITTLE)
        header.writeUInt32LE(body.length);
      else
        header.writeUInt32BE(body.length);
      port.sent.push(message);
      child.stdin.write(Buffer.concat([header, body]));
    },
    onMessage: { addListener: fn => messageListeners.push(fn) },
    onDisconnect: { addListener: fn => disconnectListeners.push(fn) },
    disconnect() {
      disconnected = true;
      child.kill('SIGKILL');
    },
  };

  function fireDisconnect(error) {
    if (disconnected)
      return;
    disconnected = true;
    port.error = error;
    for (const fn of disconnectListeners)
      fn(port);
  }

  child.stdin.on('error', () => {}); // EPIPE once the child is gone: the exit tells.
  child.stdout.on('data', chunk => {
    buffer = Buffer.concat([buffer, chunk]);
    while (buffer.length >= 4) {
      const length = LITTLE ? buffer.readUInt32LE(0) : buffer.readUInt32BE(0);
      if (buffer.length < 4 + length)
        break;
      const message = JSON.parse(buffer.subarray(4, 4 + length).toString('utf8'));
      buffer = buffer.subarray(4 + length);
      if (!disconnected) {
        for (const fn of messageListeners)
          fn(message);
      }
    }
  });
  child.on('error', error => {
    // What Thunderbird says when no manifest names the host; here: no such program.
    fireDisconnect({ message: error.code === 'ENOENT'
      ? 'No such native application org.rcptguard.host' : error.message });
  });
  child.on('exit', (code, signal) => {
    fireDisconnect(code === 0 ? null
      : { message: `the native application exited (${code ?? signal})` });
  });
  return port;
}
