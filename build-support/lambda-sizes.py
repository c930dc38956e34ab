#!/usr/bin/env python3
"""Each function zip's size against its limit, optionally against another build's zips.

Usage: python3 build-support/lambda-sizes.py [--before DIR] [--jars]

Reads functions/<name>/target/<name>.zip (`./mvnw package` builds them; the build itself fails
on a zip over its limit) and each limit (lambda.zip.maxBytes) from the function's pom.xml or
else the root pom.xml. --before DIR compares with the <name>.zip files in DIR (say, copied
from a checkout of an older commit after its `./mvnw package`). --jars lists each zip's lib/
jars, largest first (stored jars: their size is their uncompressed size).
"""
import argparse
import os
import re
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FUNCTIONS = ["message-api", "user-batch", "maintenance", "attachment-ingest", "authorizer"]
LIMIT = re.compile(r"<lambda\.zip\.maxBytes>(\d+)</lambda\.zip\.maxBytes>")


def limit_of(function):
    for pom in (os.path.join(ROOT, "functions", function, "pom.xml"), os.path.join(ROOT, "pom.xml")):
        with open(pom, encoding="utf-8") as f:
            found = LIMIT.search(f.read())
        if found:
            return int(found.group(1))
    return None


def mb(size):
    return f"{size / 1_000_000:.2f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", help="directory with <function>.zip files to compare with")
    parser.add_argument("--jars", action="store_true", help="list each zip's lib/ jars")
    args = parser.parse_args()

    header = f"{'function':<18} {'zip MB':>7} {'limit MB':>8} {'of limit':>8} {'unzipped MB':>11} {'jars':>4}"
    if args.before:
        header += f" {'before MB':>9} {'change':>7}"
    print(header)
    missing = False
    for function in FUNCTIONS:
        path = os.path.join(ROOT, "functions", function, "target", function + ".zip")
        if not os.path.exists(path):
            print(f"{function:<18} (no zip: run ./mvnw -pl functions/{function} -am package -DskipTests)")
            missing = True
            continue
        size = os.path.getsize(path)
        limit = limit_of(function)
        with zipfile.ZipFile(path) as z:
            entries = z.infolist()
        unzipped = sum(e.file_size for e in entries)
        jars = [e for e in entries if e.filename.startswith("lib/") and e.filename.endswith(".jar")]
        line = (f"{function:<18} {mb(size):>7} {mb(limit) if limit else '-':>8} "
                f"{(f'{100 * size / limit:.0f}%') if limit else '-':>8} {mb(unzipped):>11} {len(jars):>4}")
        if args.before:
            before = os.path.join(args.before, function + ".zip")
            if os.path.exists(before):
                old = os.path.getsize(before)
                line += f" {mb(old):>9} {100 * (size - old) / old:>+6.0f}%"
        print(line)
        if args.jars:
            for jar in sorted(jars, key=lambda e: -e.file_size):
                print(f"    {jar.file_size / 1000:>8.0f} KB  {jar.filename[4:]}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
