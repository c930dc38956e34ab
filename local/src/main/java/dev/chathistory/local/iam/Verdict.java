package dev.chathistory.local.iam;

import java.util.List;

/**
 * The evaluator's answer for one {@link AccessCheck}, with the statements that granted it:
 * which policy, which statement, and which of its Action and Resource entries matched. The
 * least-privilege test adds these up to find grants nothing used.
 */
public record Verdict(Result result, String detail, List<Grant> grants) {

    public enum Result { ALLOWED, IMPLICITLY_DENIED, EXPLICITLY_DENIED, INVALID }

    /** One matching Allow statement: policy name, statement identifier (Sid or 1-based index). */
    public record Grant(String policy, String statement, List<String> actions, List<Integer> resources) {
        public Grant {
            actions = List.copyOf(actions);
            resources = List.copyOf(resources);
        }
    }

    public Verdict {
        grants = List.copyOf(grants);
    }

    public boolean allowed() {
        return result == Result.ALLOWED;
    }
}
