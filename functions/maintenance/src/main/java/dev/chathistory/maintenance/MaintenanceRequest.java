package dev.chathistory.maintenance;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What an invocation asks for: {@code {"action":"sweep"}} (the schedule's input) or
 * {@code {"action":"redrive-dlq","max":N}} (on demand). Strict, so a typo fails loudly instead
 * of quietly doing something else.
 */
public record MaintenanceRequest(Action action, int max) {

    public static final int DEFAULT_REDRIVE_MAX = 1000;
    public static final int REDRIVE_MAX_LIMIT = 100_000;

    public enum Action {
        SWEEP("sweep", Set.of("action")),
        REDRIVE_DLQ("redrive-dlq", Set.of("action", "max"));

        private final String wireName;
        private final Set<String> fields;

        Action(String wireName, Set<String> fields) {
            this.wireName = wireName;
            this.fields = fields;
        }

        public String wireName() {
            return wireName;
        }
    }

    /**
     * @param input the event as the Lambda runtime deserialises a JSON object
     * @throws IllegalArgumentException naming what is wrong
     */
    public static MaintenanceRequest parse(Map<String, Object> input) {
        if (input == null || !(input.get("action") instanceof String name)) {
            throw new IllegalArgumentException("maintenance input must be a JSON object with a string \"action\": "
                    + allowedActions());
        }
        Action action = Arrays.stream(Action.values())
                .filter(a -> a.wireName.equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown maintenance action \"" + name
                        + "\"; expected one of " + allowedActions()));
        Set<String> unknown = new TreeSet<>(input.keySet());
        unknown.removeAll(action.fields);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown field(s) " + unknown + " for action \"" + name
                    + "\"; allowed: " + new TreeSet<>(action.fields));
        }
        int max = action == Action.REDRIVE_DLQ ? max(input.get("max")) : 0;
        return new MaintenanceRequest(action, max);
    }

    private static int max(Object value) {
        if (value == null) {
            return DEFAULT_REDRIVE_MAX;
        }
        if (value instanceof Number number) {
            double asDouble = number.doubleValue();
            if (asDouble == Math.rint(asDouble) && asDouble >= 1 && asDouble <= REDRIVE_MAX_LIMIT) {
                return (int) asDouble;
            }
        }
        throw new IllegalArgumentException("\"max\" must be a whole number between 1 and " + REDRIVE_MAX_LIMIT);
    }

    private static String allowedActions() {
        return Arrays.stream(Action.values()).map(a -> "\"" + a.wireName + "\"").collect(Collectors.joining(", "));
    }
}
