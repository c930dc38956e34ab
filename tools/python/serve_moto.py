"""Runs the moto AWS-API emulator on loopback, with DynamoDB calls one at a time.

moto's own `moto_server` serves requests on many threads, and its DynamoDB
transactions are not safe under that: a cancelled TransactWriteItems restores a
copy of the whole table taken when it started, which can erase a write another
thread made in between. Real DynamoDB never loses such a write, so our
concurrency tests would fail for the emulator's sake. Serialising DynamoDB calls
gives each the atomicity DynamoDB gives each item; clients still send
concurrently and still race for the same conditions. Other services stay
concurrent: an SQS long poll must not hold up everything else.

Queries on a table's own key read only the partition asked for, as DynamoDB does;
moto 5.2.5 lists and sorts every item of the table for each one, which made an
import of a few thousand messages spend most of its time inside the emulator.
The results are the same: moto filters that list by the partition key anyway.

Usage: serve_moto.py --port N [--host 127.0.0.1] [--parent-pid PID]

With --parent-pid the server exits when that process is gone, so an emulator
never outlives the test run or local stack that started it, even after a kill -9.
"""

import argparse
import signal
import sys
import threading

from moto.dynamodb.models.table import Table
from moto.server import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import run_simple

from parent_watch import exit_with


def serialised_dynamodb(app):
    lock = threading.Lock()

    def handle(environ, start_response):
        if not environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB"):
            return app(environ, start_response)
        with lock:
            # Build the whole response inside the lock, so no other call interleaves.
            return list(app(environ, start_response))

    return handle


def queries_read_one_partition():
    """Base-table queries scan the asked-for partition instead of the whole table."""
    original_query = Table.query
    original_all_items = Table.all_items
    partition = threading.local()

    def query(self, hash_key, range_comparison, range_objs, limit, exclusive_start_key,
              scan_index_forward, projection_expressions, index_name=None, *args, **kwargs):
        partition.key = None if index_name else hash_key
        try:
            return original_query(self, hash_key, range_comparison, range_objs, limit, exclusive_start_key,
                                  scan_index_forward, projection_expressions, index_name, *args, **kwargs)
        finally:
            partition.key = None

    def all_items(self):
        key = getattr(partition, "key", None)
        if key is None:
            return original_all_items(self)
        if key not in self.items:  # checked first: self.items is a defaultdict
            return []
        found = self.items[key]
        return list(found.values()) if self.range_key_attr else [found]

    Table.query = query
    Table.all_items = all_items


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--parent-pid", type=int)
    args = parser.parse_args(argv)

    if args.parent_pid:
        exit_with(args.parent_pid)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    queries_read_one_partition()
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(args.host, args.port, serialised_dynamodb(app), threaded=True,
               request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main(sys.argv[1:])
