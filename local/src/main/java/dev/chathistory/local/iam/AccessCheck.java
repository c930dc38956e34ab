package dev.chathistory.local.iam;

import java.util.List;
import java.util.Map;

/**
 * One authorization AWS makes for a request: an IAM action on a resource, with the request's
 * condition keys ({@code dynamodb:LeadingKeys}, {@code s3:prefix}, ...). A request can need
 * several: a transaction needs one per item, a copy reads its source and writes its target.
 */
public record AccessCheck(String action, String resource, Map<String, List<String>> context) {

    public AccessCheck {
        context = Map.copyOf(context);
    }

    public static AccessCheck of(String action, String resource) {
        return new AccessCheck(action, resource, Map.of());
    }

    /** The service prefix of the action: {@code dynamodb}, {@code s3}, {@code sqs}. */
    public String service() {
        return action.substring(0, action.indexOf(':'));
    }
}
