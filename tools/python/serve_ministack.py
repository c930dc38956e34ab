"""Runs MiniStack (a LocalStack drop-in) on loopback for the tests and ./run-local.

Usage: serve_ministack.py --port N [--parent-pid PID] [--state-dir DIR]

Binds 127.0.0.1 only. With --state-dir, MiniStack saves its state there on exit
and loads it on start, so local data survives a restart. With --parent-pid it
exits when that process is gone.
"""

import argparse
import os
import sys

from parent_watch import exit_with


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--parent-pid", type=int)
    parser.add_argument("--state-dir")
    args = parser.parse_args(argv)

    os.environ["GATEWAY_PORT"] = str(args.port)
    os.environ["BIND_HOST"] = "127.0.0.1"
    if args.state_dir:
        os.environ["PERSIST_STATE"] = "1"
        os.environ["STATE_DIR"] = os.path.join(args.state_dir, "state")
        os.environ["S3_PERSIST"] = "1"
        os.environ["S3_DATA_DIR"] = os.path.join(args.state_dir, "s3")
    if args.parent_pid:
        exit_with(args.parent_pid)

    # Imported after the environment is set: MiniStack reads it at import time.
    from ministack.app import main as ministack_main

    sys.argv = ["ministack"]
    ministack_main()


if __name__ == "__main__":
    main(sys.argv[1:])
