package dev.chathistory.shared.repository.dynamodb;

import dev.chathistory.shared.limits.LimitOverrides;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The update that sets a tenant's own limits on an item: set ones written, default ones removed. */
final class LimitsUpdate {

    private static final List<String> NAMES = List.of(LimitOverrides.REQUESTS, LimitOverrides.TENANT_JOBS,
            LimitOverrides.USER_JOBS);

    String expression(LimitOverrides limits) {
        Map<String, String> set = limits.asText();
        List<String> assignments = new ArrayList<>();
        List<String> removals = new ArrayList<>();
        for (String name : NAMES) {
            if (set.containsKey(name)) {
                assignments.add(name + " = :" + name);
            } else {
                removals.add(name);
            }
        }
        String expression = assignments.isEmpty() ? "" : "SET " + String.join(", ", assignments);
        if (!removals.isEmpty()) {
            expression += (expression.isEmpty() ? "" : " ") + "REMOVE " + String.join(", ", removals);
        }
        return expression;
    }

    Map<String, AttributeValue> values(LimitOverrides limits) {
        Map<String, AttributeValue> values = new HashMap<>();
        limits.asText().forEach((name, value) -> values.put(":" + name, AttributeValue.fromN(value)));
        return values;
    }
}
