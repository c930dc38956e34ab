"""Checks that serve_moto's partition-only queries answer exactly as moto's own.

Fills two tables (one with a sort key and a GSI, one without) with seeded random
items in moto's in-process backend, runs a few hundred seeded random queries
(key conditions of every kind, limits, both directions, paging, filters, the
GSI), then installs the speed-up and runs the same queries again. Prints how
many were compared and exits non-zero, with the first difference, if any
answer changed.

Usage: check_partition_queries.py [--seed N] [--queries N]
"""

import argparse
import random
import sys

import boto3
from moto import mock_aws

from serve_moto import queries_read_one_partition

REGION = "us-east-1"


def create_tables(client):
    client.create_table(
        TableName="sorted",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": name, "AttributeType": "S"} for name in ("pk", "sk", "gpk")],
        GlobalSecondaryIndexes=[{
            "IndexName": "byGroup",
            "KeySchema": [{"AttributeName": "gpk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "ALL"},
        }],
        BillingMode="PAY_PER_REQUEST")
    client.create_table(
        TableName="unsorted",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST")


def fill(client, rng):
    for _ in range(400):
        pk = f"p{rng.randrange(12)}"
        item = {"pk": {"S": pk}, "sk": {"S": f"s{rng.randrange(80):03d}"}, "n": {"N": str(rng.randrange(10))}}
        if rng.random() < 0.6:
            item["gpk"] = {"S": f"g{rng.randrange(3)}"}
        client.put_item(TableName="sorted", Item=item)
        client.put_item(TableName="unsorted", Item={"pk": {"S": f"u{rng.randrange(40)}"}, "n": item["n"]})
    for _ in range(40):  # deletions leave emptied partitions behind in moto's dict
        client.delete_item(TableName="sorted",
                           Key={"pk": {"S": f"p{rng.randrange(12)}"}, "sk": {"S": f"s{rng.randrange(80):03d}"}})


def random_query(rng):
    on_index = rng.random() < 0.2
    key_name = "gpk" if on_index else "pk"
    values = {":h": {"S": f"g{rng.randrange(4)}" if on_index else f"p{rng.randrange(14)}"}}
    condition = f"{key_name} = :h"
    low, high = sorted(f"s{rng.randrange(85):03d}" for _ in range(2))
    kind = rng.choice(["none", "<", "<=", ">", ">=", "=", "between", "begins_with"])
    if kind == "between":
        condition += " AND sk BETWEEN :a AND :b"
        values.update({":a": {"S": low}, ":b": {"S": high}})
    elif kind == "begins_with":
        condition += " AND begins_with(sk, :a)"
        values[":a"] = {"S": low[:3]}
    elif kind != "none":
        condition += f" AND sk {kind} :a"
        values[":a"] = {"S": low}
    query = {"TableName": "sorted", "KeyConditionExpression": condition, "ExpressionAttributeValues": values,
             "ScanIndexForward": rng.random() < 0.5}
    if on_index:
        query["IndexName"] = "byGroup"
    if rng.random() < 0.5:
        query["Limit"] = rng.randrange(1, 15)
    if rng.random() < 0.3:
        query["FilterExpression"] = "n < :n"
        values[":n"] = {"N": str(rng.randrange(10))}
    return query


def all_pages(client, query):
    pages = []
    while True:
        page = client.query(**query)
        page.pop("ResponseMetadata", None)
        pages.append(page)
        if "LastEvaluatedKey" not in page or len(pages) > 200:
            return pages
        query = dict(query, ExclusiveStartKey=page["LastEvaluatedKey"])


def unsorted_query(rng):
    return {"TableName": "unsorted", "KeyConditionExpression": "pk = :h",
            "ExpressionAttributeValues": {":h": {"S": f"u{rng.randrange(45)}"}}}


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=20261205)
    parser.add_argument("--queries", type=int, default=400)
    args = parser.parse_args(argv)

    with mock_aws():
        client = boto3.client("dynamodb", region_name=REGION, aws_access_key_id="test",
                              aws_secret_access_key="test")
        create_tables(client)
        fill(client, random.Random(args.seed))
        rng = random.Random(args.seed + 1)
        queries = [random_query(rng) for _ in range(args.queries)] + [unsorted_query(rng) for _ in range(50)]
        before = [all_pages(client, query) for query in queries]
        queries_read_one_partition()
        after = [all_pages(client, query) for query in queries]

    for query, expected, actual in zip(queries, before, after):
        if expected != actual:
            print(f"different answer for {query}:\n moto:     {expected}\n patched:  {actual}", file=sys.stderr)
            return 1
    items = sum(len(page["Items"]) for pages in before for page in pages)
    pages = sum(len(p) for p in before)
    print(f"{len(queries)} queries ({pages} pages, {items} items) answered the same with and without the patch")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
