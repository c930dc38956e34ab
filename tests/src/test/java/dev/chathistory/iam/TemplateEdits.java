package dev.chathistory.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.local.template.SamTemplate;
import java.util.Iterator;

/** Variants of template.yaml made in memory, to watch what a change to it breaks. */
final class TemplateEdits {

    private TemplateEdits() {
    }

    /**
     * The template without {@code action} in the inline statements of {@code function} whose
     * resource mentions {@code resourceHint} (any, when blank); a statement left with no action
     * goes too.
     *
     * @throws IllegalArgumentException when no statement matched: the case no longer tests anything
     */
    static SamTemplate withoutAction(SamTemplate template, String function, String action, String resourceHint) {
        ObjectNode document = (ObjectNode) template.document();
        JsonNode policies = document.path("Resources").path(function).path("Properties").path("Policies");
        int removed = 0;
        for (JsonNode policy : policies) {
            JsonNode statements = policy.path("Statement");
            for (Iterator<JsonNode> it = statements.elements(); it.hasNext(); ) {
                JsonNode statement = it.next();
                if (!statement.path("Resource").toString().contains(resourceHint)) {
                    continue;
                }
                JsonNode actions = statement.path("Action");
                if (actions.isTextual() && actions.asText().equals(action)) {
                    it.remove();
                    removed++;
                } else if (actions.isArray()) {
                    for (Iterator<JsonNode> a = actions.elements(); a.hasNext(); ) {
                        if (a.next().asText().equals(action)) {
                            a.remove();
                            removed++;
                        }
                    }
                    if (actions.isEmpty()) {
                        it.remove();
                    }
                }
            }
        }
        if (removed == 0) {
            throw new IllegalArgumentException(function + " has no inline statement granting " + action + " on "
                    + resourceHint);
        }
        return SamTemplate.of(document, "template.yaml without " + action + " for " + function);
    }
}
