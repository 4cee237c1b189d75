// SPDX-License-Identifier: LGPL-2.1-or-later
// An event of the WebExtension API (addListener, removeListener) that a test fires.

export class FakeEvent {
  listeners = [];

  addListener(fn) {
    this.listeners.push(fn);
  }

  removeListener(fn) {
    this.listeners = this.listeners.filter(l => l !== fn);
  }

  hasListener(fn) {
    return this.listeners.includes(fn);
  }

  /** Calls every listener; returns their results. */
  fire(...args) {
    return this.listeners.map(fn => fn(...args));
  }
}
