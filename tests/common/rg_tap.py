# SPDX-License-Identifier: LGPL-2.1-or-later
"""TAP output for the Python tests: one line per check, the details of a failed one as
comments, the plan at the end."""


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def check(self, ok, description, *details):
        self.n += 1
        if not ok:
            self.failed += 1
        print(('ok' if ok else 'not ok') + ' %d - %s' % (self.n, description), flush=True)
        if not ok:
            for detail in details:
                for line in str(detail).splitlines():
                    print('# ' + line, flush=True)
        return ok

    def skip(self, description, why):
        self.n += 1
        print('ok %d - %s # SKIP %s' % (self.n, description, why), flush=True)

    def finish(self):
        """The plan; returns the exit status: 0 when at least one check ran and none failed."""
        print('1..%d' % self.n, flush=True)
        return 0 if self.n > 0 and self.failed == 0 else 1
