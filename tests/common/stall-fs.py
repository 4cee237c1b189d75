#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A file system whose writes hang: a disk that stopped answering, for the decision log's
tests.

    stall-fs.py MOUNTPOINT CONTROL

Mounts, in the foreground, an empty file system kept in memory (python3-fusepy, as root).
While the file CONTROL exists, every write () to a file named decisions.jsonl waits, the way
a write to a hung NFS server or a dying disk does; removing CONTROL lets the waiting writes
through.  Everything else (the lock, the key, reading) works at once.  Unmount with
`fusermount -u MOUNTPOINT` (or `umount`), which ends the program.
"""

import errno
import os
import stat
import sys
import threading
import time

from fusepy import FUSE, FuseOSError, Operations

STALLED_NAME = 'decisions.jsonl'
POLL_S = 0.05


class StallFS(Operations):
    def __init__(self, control):
        self.control = control
        self.lock = threading.Lock()
        now = time.time()
        self.nodes = {'/': {'mode': stat.S_IFDIR | 0o700, 'data': None, 'time': now}}

    def _node(self, path):
        node = self.nodes.get(path)
        if node is None:
            raise FuseOSError(errno.ENOENT)
        return node

    def getattr(self, path, fh=None):
        with self.lock:
            node = self._node(path)
            size = len(node['data']) if node['data'] is not None else 0
            return {'st_mode': node['mode'], 'st_nlink': 2 if node['data'] is None else 1,
                    'st_size': size, 'st_uid': os.getuid(), 'st_gid': os.getgid(),
                    'st_atime': node['time'], 'st_mtime': node['time'],
                    'st_ctime': node['time']}

    def readdir(self, path, fh):
        with self.lock:
            prefix = path.rstrip('/') + '/'
            names = [p[len(prefix):] for p in self.nodes
                     if p != path and p.startswith(prefix) and '/' not in p[len(prefix):]]
        return ['.', '..'] + names

    def mkdir(self, path, mode):
        with self.lock:
            self.nodes[path] = {'mode': stat.S_IFDIR | mode, 'data': None, 'time': time.time()}

    def create(self, path, mode, fi=None):
        with self.lock:
            self.nodes[path] = {'mode': stat.S_IFREG | (mode & 0o7777), 'data': bytearray(),
                                'time': time.time()}
        return 0

    def open(self, path, flags):
        self.getattr(path)
        return 0

    def chmod(self, path, mode):
        with self.lock:
            node = self._node(path)
            node['mode'] = stat.S_IFMT(node['mode']) | mode

    def truncate(self, path, length, fh=None):
        with self.lock:
            node = self._node(path)
            del node['data'][length:]

    def read(self, path, size, offset, fh):
        with self.lock:
            return bytes(self._node(path)['data'][offset:offset + size])

    def write(self, path, data, offset, fh):
        if os.path.basename(path) == STALLED_NAME:
            while os.path.exists(self.control):
                time.sleep(POLL_S)
        with self.lock:
            node = self._node(path)
            buffer = node['data']
            if offset > len(buffer):
                buffer.extend(b'\0' * (offset - len(buffer)))
            buffer[offset:offset + len(data)] = data
            node['time'] = time.time()
        return len(data)

    def rename(self, old, new):
        with self.lock:
            self._node(old)
            self.nodes[new] = self.nodes.pop(old)

    def unlink(self, path):
        with self.lock:
            self._node(path)
            del self.nodes[path]

    def link(self, target, source):
        with self.lock:
            self.nodes[target] = self._node(source)

    def utimens(self, path, times=None):
        with self.lock:
            self._node(path)['time'] = time.time()


def main():
    mountpoint, control = sys.argv[1], sys.argv[2]
    # Threads: a writer that hangs must not stop the others (the lock, a reader).
    FUSE(StallFS(control), mountpoint, foreground=True, nothreads=False, direct_io=True)


if __name__ == '__main__':
    main()
