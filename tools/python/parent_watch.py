"""Ends this process when the process that started it is gone.

The emulators are children of a JVM (tests, ./run-local). If that JVM dies
without running its shutdown hooks (kill -9, a crashed test fork), this keeps
the emulator from living on and holding its port.
"""

import os
import threading
import time


def exit_with(parent_pid):
    def watch():
        while True:
            try:
                os.kill(parent_pid, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:
                pass  # alive, owned by another user
            time.sleep(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
