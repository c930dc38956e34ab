"""Prints every function's execution role as SAM would deploy it, for the local stack's IAM check.

Usage: execution_roles.py TEMPLATE REGION

Runs the SAM translator (the library the pinned SAM CLI deploys with) over the template, so
policy templates, inline statements and what event sources add (the SQS poller's managed
policy, an on-failure destination's send permission) come out exactly as SAM expands them.
Managed policies are attached by ARN; their documents come from the AWS managed policy set
that moto, the pinned emulator, carries.

Prints one JSON object: {FunctionLogicalId: {"role": RoleLogicalId, "policies": [
  {"name": ..., "document": {...}, "managedPolicyArn": ARN or null}]}}.
Intrinsic functions (Ref, Fn::GetAtt, Fn::Sub) are left in place: the local stack resolves
them against the resources it creates.
"""

import json
import os
import sys

from moto.iam.aws_managed_policies import aws_managed_policies_data
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

MANAGED_POLICY_PREFIX = "arn:aws:iam::aws:policy"


class ManagedPolicies:
    """The translator's policy loader (name -> ARN), from the same data as the documents."""

    def __init__(self):
        self.by_name = json.loads(aws_managed_policies_data)

    def load(self):
        return {name: MANAGED_POLICY_PREFIX + p["Path"] + name for name, p in self.by_name.items()}

    def document(self, arn):
        if isinstance(arn, dict) and "Fn::Sub" in arn:
            arn = arn["Fn::Sub"].replace("${AWS::Partition}", "aws")
        if not isinstance(arn, str) or not arn.startswith("arn:aws:iam::aws:policy/"):
            raise SystemExit(f"managed policy {arn!r} is not an AWS managed policy the local stack knows")
        name = arn.rsplit("/", 1)[1]
        if name not in self.by_name:
            raise SystemExit(f"managed policy {arn} is not in moto's AWS managed policy set")
        return arn, self.by_name[name]["Document"]


def role_logical_id(function):
    role = function["Properties"].get("Role")
    if isinstance(role, dict) and "Fn::GetAtt" in role:
        target = role["Fn::GetAtt"]
        return target[0] if isinstance(target, list) else target.split(".")[0]
    raise SystemExit(f"a function's Role {role!r} is not a role of this template; the local stack "
                     "can only check roles it can read")


def main(template_path, region):
    # The translator asks boto for the region of its pseudo parameters.
    os.environ.setdefault("AWS_DEFAULT_REGION", region)
    with open(template_path, encoding="utf-8") as f:
        template = yaml_parse(f.read())
    # Code locations are irrelevant to roles; the translator insists on S3 URIs (as sam validate does).
    for logical_id, resource in template.get("Resources", {}).items():
        if resource.get("Type") == "AWS::Serverless::Function":
            resource.setdefault("Properties", {})["CodeUri"] = "s3://local-stack/" + logical_id
    managed = ManagedPolicies()
    resources = transform(template, {}, managed)["Resources"]

    roles = {}
    for logical_id, resource in resources.items():
        if resource["Type"] != "AWS::Lambda::Function":
            continue
        role_id = role_logical_id(resource)
        role = resources[role_id]["Properties"]
        policies = [{"name": p["PolicyName"], "document": p["PolicyDocument"], "managedPolicyArn": None}
                    for p in role.get("Policies", [])]
        for arn in role.get("ManagedPolicyArns", []):
            resolved, document = managed.document(arn)
            policies.append({"name": resolved.rsplit("/", 1)[1], "document": document,
                             "managedPolicyArn": resolved})
        roles[logical_id] = {"role": role_id, "policies": policies}
    json.dump(roles, sys.stdout, sort_keys=True)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])
