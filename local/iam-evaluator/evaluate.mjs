// The local stack's IAM policy evaluator, as a child process of the JVM that runs the stack.
//
// The local AWS gateway asks it, for every call a function makes, whether the function's
// execution role allows it. The evaluation itself is @cloud-copilot/iam-simulate's: every
// condition operator, ForAllValues/ForAnyValue, IfExists, NotAction/NotResource, explicit
// denies, and validation of the action and of the resource type against AWS's own tables.
//
// Protocol: one JSON object per line on stdin, one answer per line on stdout.
//   {"op":"role","role":"r1","policies":[{"name":"p","policy":{...}}]}    defines a role (no answer)
//   {"op":"evaluate","id":7,"role":"r1","principal":"arn:...","action":"s3:GetObject",
//    "resource":"arn:aws:s3:::b/k","account":"123456789012","context":{"s3:prefix":"a/"}}
//     -> {"id":7,"result":"Allowed"|"ImplicitlyDenied"|"ExplicitlyDenied"|"Invalid","errors":...,
//         "grants":[{"policy":"p","statement":"1","actions":["s3:Get*"],"resources":[0]}]}
//        grants: the Allow statements that matched, with the Action entries and the indexes of
//        the Resource entries that matched (what the least-privilege test counts as used).
//   {"op":"expand","id":8,"pattern":"sqs:SendMessage*"}
//     -> {"id":8,"actions":["sqs:SendMessage"]}   (the IAM actions a policy's action pattern names)
// Requests are answered as they finish, so answers may come out of order; "id" pairs them.
import { createInterface } from 'node:readline'
import { expandIamActions } from '@cloud-copilot/iam-expand'
import { runSimulation } from '@cloud-copilot/iam-simulate'

const roles = new Map()

function answer(message) {
  process.stdout.write(JSON.stringify(message) + '\n')
}

async function evaluate(request) {
  const policies = roles.get(request.role)
  if (!policies) {
    return { id: request.id, result: 'Invalid', errors: `unknown role ${request.role}` }
  }
  const simulation = {
    identityPolicies: policies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.account },
      contextVariables: request.context ?? {}
    }
  }
  const outcome = await runSimulation(simulation, {})
  if (outcome.errors) {
    return { id: request.id, result: 'Invalid', errors: outcome.errors }
  }
  // An Action or Resource given as one string is explained as one object, a list as a list.
  const list = (x) => (x === undefined ? [] : Array.isArray(x) ? x : [x])
  const analysis = outcome.result.analysis
  const grants = (analysis.identityAnalysis?.allowStatements ?? []).map((allow) => ({
    policy: allow.policyId,
    statement: String(allow.explain.identifier),
    actions: list(allow.explain.actions).filter((a) => a.matches).map((a) => a.action),
    resources: list(allow.explain.resources).flatMap((r, index) => (r.matches ? [index] : []))
  }))
  return { id: request.id, result: analysis.result, grants }
}

async function expand(request) {
  return { id: request.id, actions: await expandIamActions(request.pattern) }
}

createInterface({ input: process.stdin, crlfDelay: Infinity }).on('line', (line) => {
  if (!line.trim()) {
    return
  }
  let request
  try {
    request = JSON.parse(line)
  } catch (error) {
    answer({ id: null, result: 'Invalid', errors: `not JSON: ${error.message}` })
    return
  }
  if (request.op === 'role') {
    roles.set(request.role, request.policies)
    return
  }
  const work = request.op === 'expand' ? expand(request) : evaluate(request)
  work.then(answer, (error) =>
    answer({ id: request.id, result: 'Invalid', errors: String(error?.stack ?? error) })
  )
})
