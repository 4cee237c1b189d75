# SPDX-License-Identifier: LGPL-2.1-or-later
"""A recording SMTP server on a loopback port, for the Thunderbird end-to-end test: it accepts
every message and keeps each envelope (MAIL FROM, the RCPT TO lines) and its data."""

import socket
import threading


class SmtpSink:
    def __init__(self):
        self.server = socket.socket()
        self.server.bind(('127.0.0.1', 0))
        self.server.listen(4)
        self.port = self.server.getsockname()[1]
        self.lock = threading.Lock()
        self.lines = []     # every command line received, in order
        self.messages = []  # {'mail': 'MAIL FROM:<...>', 'rcpt': ['RCPT TO:<...>'], 'data': b''}
        threading.Thread(target=self._serve, daemon=True).start()

    def received(self):
        with self.lock:
            return list(self.messages)

    def commands(self):
        with self.lock:
            return list(self.lines)

    def close(self):
        self.server.close()

    def _serve(self):
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._session, args=(conn,), daemon=True).start()

    def _session(self, conn):
        with conn, conn.makefile('rb') as reader:
            def reply(text):
                conn.sendall(text.encode() + b'\r\n')

            reply('220 rcptguard-sink ESMTP')
            envelope = {'mail': None, 'rcpt': []}
            for raw in reader:
                line = raw.decode('utf-8', 'replace').rstrip('\r\n')
                verb = line.split(' ', 1)[0].upper()
                with self.lock:
                    self.lines.append(line)
                if verb in ('EHLO', 'HELO'):
                    reply('250-rcptguard-sink')
                    reply('250 8BITMIME')
                elif verb == 'MAIL':
                    envelope = {'mail': line, 'rcpt': []}
                    reply('250 OK')
                elif verb == 'RCPT':
                    envelope['rcpt'].append(line)
                    reply('250 OK')
                elif verb == 'DATA':
                    reply('354 End data with <CR><LF>.<CR><LF>')
                    data = []
                    for chunk in reader:
                        if chunk in (b'.\r\n', b'.\n'):
                            break
                        data.append(chunk)
                    with self.lock:
                        self.messages.append(dict(envelope, data=b''.join(data)))
                    reply('250 OK: queued')
                elif verb == 'QUIT':
                    reply('221 Bye')
                    return
                elif verb in ('RSET', 'NOOP'):
                    reply('250 OK')
                else:
                    reply('502 Command not implemented')
