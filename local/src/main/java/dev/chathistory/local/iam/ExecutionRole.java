package dev.chathistory.local.iam;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A function's execution role with every intrinsic resolved against one local stack: what the
 * function may do there. {@code principalArn} is the assumed-role session ARN that AWS names in
 * its AccessDenied messages.
 */
public record ExecutionRole(String stackName, String functionLogicalId, String roleName, String principalArn,
                            String accountId, List<RolePolicy> policies) {

    public ExecutionRole {
        policies = List.copyOf(policies);
    }

    /** Unique per stack and function; names the role to the evaluator. */
    public String id() {
        return principalArn;
    }

    /**
     * The condition keys the role's policies test, lower-cased. Only these can change a
     * decision, so only these go into an evaluation and its cache key.
     */
    public Set<String> conditionKeys() {
        Set<String> keys = new HashSet<>();
        for (RolePolicy policy : policies) {
            JsonNode statements = policy.document().path("Statement");
            for (JsonNode statement : statements.isArray() ? statements : List.of(statements)) {
                for (JsonNode operator : statement.path("Condition")) {
                    for (Iterator<String> it = operator.fieldNames(); it.hasNext(); ) {
                        keys.add(it.next().toLowerCase(Locale.ROOT));
                    }
                }
            }
        }
        return keys;
    }
}
