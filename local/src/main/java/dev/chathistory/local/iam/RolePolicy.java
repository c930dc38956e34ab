package dev.chathistory.local.iam;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A policy of an execution role: an inline policy from the function's {@code Policies} (or one
 * SAM adds for an event source), or an AWS managed policy attached by ARN.
 */
public record RolePolicy(String name, JsonNode document, Optional<String> managedPolicyArn) {
}
