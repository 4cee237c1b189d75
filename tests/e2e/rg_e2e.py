# SPDX-License-Identifier: LGPL-2.1-or-later
"""What the end-to-end tests of both mail clients share: waiting with a deadline, starting the
X server, the session bus and the window manager, pointer clicks and screenshots through the X
server, and ending every process a scenario started (and nothing else)."""

import os
import shutil
import signal
import subprocess
import sys
import threading
import time


class Failure(Exception):
    """An assertion of the scenario failed; the message says what was seen."""


def log(msg):
    print(msg, flush=True)


# When the scenario's waits must have ended (time.monotonic()); set_deadline() in the child.
_deadline = float('inf')


def set_deadline(when):
    global _deadline
    _deadline = when


def wait_for(what, predicate, timeout, interval=0.2, pump=None):
    """Polls @predicate until it returns a true value, which is returned; fails after
    @timeout seconds, or at the scenario's deadline, with a message naming @what."""
    deadline = min(time.monotonic() + timeout, _deadline)
    while True:
        if pump:
            pump()
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise Failure(f'timed out waiting for {what} (limit {timeout:g} s)')
        time.sleep(interval)


def start_with_fd(argv, env, log_path, what, timeout=30):
    """Starts a daemon that writes one line (its display, its bus address) to a descriptor
    given on its command line as {fd}; returns the process and that line."""
    r, w = os.pipe()
    with open(log_path, 'ab') as logf:
        proc = subprocess.Popen([a.replace('{fd}', str(w)) for a in argv], env=env,
                                stdin=subprocess.DEVNULL, stdout=logf, stderr=logf,
                                pass_fds=(w,))
    os.close(w)
    line = b''
    deadline = time.monotonic() + timeout
    os.set_blocking(r, False)
    while not line.endswith(b'\n'):
        if time.monotonic() >= deadline or proc.poll() is not None:
            os.close(r)
            raise Failure(f'{what} did not start (see {log_path})')
        try:
            chunk = os.read(r, 4096)
        except BlockingIOError:
            time.sleep(0.05)
            continue
        if not chunk:
            time.sleep(0.05)
        line += chunk
    os.close(r)
    return proc, line.decode().strip()


def start_window_manager(env, session_log):
    """Starts matchbox-window-manager and waits until it manages the screen (it announces
    itself on the root window), so that it is there before the mail client maps a window.
    Returns the process."""
    # Seen once in CI: matchbox started right after Xvfb answered -displayfd and could not
    # open the display.  Wait until a client really connects, and give matchbox a second
    # try if it still gives up at once; a third failure is the test's.
    wait_for('the X display to take clients',
             lambda: subprocess.run(['xdpyinfo'], env=env, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, timeout=10).returncode == 0,
             10, interval=0.05)
    state = {'tries': 0, 'wm': None}

    def start():
        state['tries'] += 1
        with open(session_log, 'ab') as logf:
            state['wm'] = subprocess.Popen(['matchbox-window-manager'], env=env,
                                           stdin=subprocess.DEVNULL, stdout=logf, stderr=logf)

    start()

    def announced():
        wm = state['wm']
        if wm.poll() is not None:
            if state['tries'] < 3:
                time.sleep(0.5)
                start()
                return False
            raise Failure(f'matchbox-window-manager exited with {wm.returncode} '
                          f'{state["tries"]} times (see {session_log})')
        prop = subprocess.run(['xprop', '-root', '_NET_SUPPORTING_WM_CHECK'], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                              timeout=10)
        return 'window id' in prop.stdout

    wait_for('the window manager', announced, 10, interval=0.05)
    return state['wm']


class Desktop:
    """An application's widgets as AT-SPI shows them.  Create only once the session's
    environment is in os.environ: the library binds to that session's accessibility bus.
    @skip: roles whose subtrees find() and find_all() do not search (hundreds of nodes, never
    what a test looks for)."""

    def __init__(self, app_name, skip=('menu bar', 'menu', 'document web', 'combo box')):
        self.app_name = app_name
        self.skip = skip
        import gi
        gi.require_version('Atspi', '2.0')
        from gi.repository import Atspi, GLib
        self.Atspi = Atspi
        self.context = GLib.MainContext.default()
        Atspi.init()

    def pump(self):
        # Tree changes arrive as events; they are applied only while the main context runs.
        for _ in range(1000):
            if not self.context.iteration(False):
                break

    def app(self):
        desktop = self.Atspi.get_desktop(0)
        for i in range(desktop.get_child_count()):
            child = desktop.get_child_at_index(i)
            if child is not None and child.get_name() == self.app_name:
                return child
        return None

    def windows(self):
        app = self.app()
        if app is None:
            return []
        app.clear_cache()
        found = []
        for i in range(app.get_child_count()):
            child = app.get_child_at_index(i)
            if child is not None:
                found.append(child)
        return found

    def window(self, name, roles=None):
        for w in self.windows():
            try:
                if w.get_name() != name:
                    continue
                if roles and w.get_role_name() not in roles:
                    continue
                states = w.get_state_set()
                if states.contains(self.Atspi.StateType.SHOWING):
                    return w
            except Exception:  # a window that went away while we looked
                continue
        return None

    def find(self, root, role, name=None, depth=0):
        """The first descendant of @root with @role (and @name), depth first."""
        if depth > 40:
            return None
        try:
            n = root.get_child_count()
        except Exception:
            return None
        for i in range(n):
            try:
                child = root.get_child_at_index(i)
                child_role = child.get_role_name()
                if child_role == role and (name is None or child.get_name() == name):
                    return child
            except Exception:
                continue
            if child_role in self.skip:
                continue
            hit = self.find(child, role, name, depth + 1)
            if hit is not None:
                return hit
        return None

    def find_all(self, root, role, depth=0):
        found = []
        if depth > 40:
            return found
        for i in range(root.get_child_count()):
            child = root.get_child_at_index(i)
            if child is None:
                continue
            if child.get_role_name() == role:
                found.append(child)
            if child.get_role_name() not in self.skip:
                found.extend(self.find_all(child, role, depth + 1))
        return found

    def centre(self, acc):
        e = acc.get_extents(self.Atspi.CoordType.SCREEN)
        if e.width <= 1 or e.height <= 1 or e.x < 0 or e.y < 0:
            raise Failure(f'{acc.get_role_name()} "{acc.get_name()}" is not on screen: '
                          f'{e.x},{e.y} {e.width}x{e.height}')
        return e.x + e.width // 2, e.y + e.height // 2

    def text(self, acc):
        return acc.get_text(0, acc.get_character_count())

    def has_state(self, acc, state):
        return acc.get_state_set().contains(state)


def xdotool(env, *args):
    subprocess.run(['xdotool', *args], env=env, check=True, timeout=10,
                   stdout=subprocess.DEVNULL)


def click(env, x, y):
    xdotool(env, 'mousemove', '--sync', str(x), str(y))
    xdotool(env, 'click', '1')


def screenshot(env, path, window='root'):
    """Saves the screen, or only the X window @window (an id, as xdotool prints it), as the
    PNG file @path."""
    subprocess.run(['import', '-window', str(window), path], env=env, check=True, timeout=20,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def session_processes(root):
    """The ids of processes whose environment carries this session's marker
    (RG_E2E_SESSION=@root)."""
    marker = f'RG_E2E_SESSION={root}'.encode() + b'\0'
    found = []
    for pid in os.listdir('/proc'):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            with open(f'/proc/{pid}/environ', 'rb') as f:
                if marker in f.read() + b'\0':
                    found.append(int(pid))
        except OSError:
            continue
    return found


def end_group(pgid, root):
    """Ends what is left of a scenario: its process group, and any process that left the group
    but still carries the session's marker.  Returns the ids of the session's processes that
    were still running when called (none after a scenario that shut down cleanly)."""
    left = session_processes(root)
    for sig, grace in ((signal.SIGTERM, 3.0), (signal.SIGKILL, 1.0)):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            pass
        for pid in session_processes(root):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + grace
        while session_processes(root) and time.monotonic() < deadline:
            time.sleep(0.1)
    return left


def run_child(number, name, cmd, root, timeout, keep=False):
    """Runs one scenario's child process (@cmd) in a process group of its own, relaying its
    output as TAP comments; after it ends, or after @timeout seconds, ends whatever is left of
    the session (end_group), removes @root unless @keep, and prints the scenario's TAP line.
    Returns whether the scenario passed."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)

    def relay():
        for line in proc.stdout:
            print('# ' + line.decode('utf-8', 'replace').rstrip(), flush=True)

    reader = threading.Thread(target=relay, daemon=True)
    reader.start()
    timed_out = False
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
    left = end_group(proc.pid, root)
    proc.wait()
    reader.join(timeout=5)
    elapsed = time.monotonic() - start
    if left:
        print(f'# ended {len(left)} processes the scenario left running: {left}', flush=True)
    if not keep:
        shutil.rmtree(root, ignore_errors=True)
    ok = proc.returncode == 0 and not timed_out
    why = f' # timed out after {timeout} s' if timed_out else ''
    print(f'{"ok" if ok else "not ok"} {number} - {name} ({elapsed:.1f} s){why}', flush=True)
    return ok


def missing_tools(tools):
    """What of @tools (programs on PATH) and of python3-gi's Atspi this machine lacks, as a
    list of words for a "Bail out!" line."""
    missing = [tool for tool in tools if shutil.which(tool) is None]
    try:
        import gi
        gi.require_version('Atspi', '2.0')
    except (ImportError, ValueError):
        missing.append(f'python3-gi and gir1.2-atspi-2.0 for {sys.executable}')
    return missing


def run_in_child(run, artefacts, failures=(Failure,)):
    """The exit status of a scenario's child: runs @run, logs the message of a failure of one
    of the classes @failures as "FAIL: ...", and always where the artefacts are."""
    try:
        run()
    except failures as e:
        log(f'FAIL: {e}')
        return 1
    finally:
        log(f'artefacts: {artefacts}')
    return 0
