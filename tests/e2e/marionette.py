# SPDX-License-Identifier: LGPL-2.1-or-later
"""A client of Marionette, the remote protocol Thunderbird speaks with --marionette (Debian has
no geckodriver, and npm's WebDriver packages download one): length-prefixed JSON over TCP,
commands [0, id, name, params], answers [1, id, error, result]."""

import json
import socket
import time


class MarionetteError(Exception):
    pass


class Marionette:
    def __init__(self, port, timeout, alive=lambda: True):
        """Connects to 127.0.0.1:@port, retrying for @timeout seconds while @alive() holds,
        and starts a session in the chrome context."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.create_connection(('127.0.0.1', port), timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline or not alive():
                    raise MarionetteError(f'no Marionette server on port {port}')
                time.sleep(0.2)
        self.sock.settimeout(60)
        self.buf = b''
        self.next_id = 1
        self._read()  # the server's greeting
        self.call('WebDriver:NewSession', {'capabilities': {}})
        self.call('Marionette:SetContext', {'value': 'chrome'})

    def _fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise MarionetteError('Marionette closed the connection')
        self.buf += data

    def _read(self):
        while b':' not in self.buf:
            self._fill()
        length, rest = self.buf.split(b':', 1)
        length = int(length)
        self.buf = rest
        while len(self.buf) < length:
            self._fill()
        message, self.buf = self.buf[:length], self.buf[length:]
        return json.loads(message)

    def call(self, name, params=None):
        mid = self.next_id
        self.next_id += 1
        data = json.dumps([0, mid, name, params or {}]).encode()
        self.sock.sendall(str(len(data)).encode() + b':' + data)
        while True:
            message = self._read()
            if message[0] == 1 and message[1] == mid:
                if message[2]:
                    raise MarionetteError(f'{name}: {message[2].get("message", message[2])}')
                return message[3]

    def chrome(self, script, *args):
        """Runs @script (a function body) in Thunderbird's parent process, with @args as
        `arguments`, and returns its value."""
        return self.call('WebDriver:ExecuteScript', {'script': script, 'args': list(args)})['value']

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass
