package dev.chathistory.local.iam;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.local.template.Intrinsics;
import java.util.ArrayList;
import java.util.List;

/**
 * A function's execution role as SAM deploys it, intrinsics still in place: the same for every
 * stack made from one template. {@link #resolve} makes it one stack's {@link ExecutionRole}.
 */
public record RoleDeclaration(String functionLogicalId, String roleLogicalId, List<RolePolicy> policies) {

    public RoleDeclaration {
        policies = List.copyOf(policies);
    }

    public ExecutionRole resolve(Intrinsics intrinsics, String stackName, String accountId) {
        List<RolePolicy> resolved = new ArrayList<>();
        for (RolePolicy policy : policies) {
            // Managed policies are plain JSON; inline ones name the stack's resources.
            JsonNode document = policy.managedPolicyArn().isPresent() ? policy.document()
                    : intrinsics.resolve(policy.document());
            resolved.add(new RolePolicy(policy.name(), document, policy.managedPolicyArn()));
        }
        String roleName = stackName + "-" + roleLogicalId;
        String sessionName = stackName + "-" + functionLogicalId;
        return new ExecutionRole(stackName, functionLogicalId, roleName,
                "arn:aws:sts::" + accountId + ":assumed-role/" + roleName + "/" + sessionName, accountId, resolved);
    }
}
