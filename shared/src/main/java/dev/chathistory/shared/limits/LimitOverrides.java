package dev.chathistory.shared.limits;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One tenant's own limits, set by the operator ({@code ./admin set-limits}); 0 means the
 * deployment's default. They travel with the tenant's key items, so the authorizer reads them
 * with the key and passes them in its context: no extra read per request.
 */
public record LimitOverrides(int requestsPerWindow, int tenantJobsPerWindow, int userJobsPerWindow) {

    public static final LimitOverrides NONE = new LimitOverrides(0, 0, 0);

    /** Names in the authorizer's context and attributes of the key items. */
    public static final String REQUESTS = "requestsPerWindow";
    public static final String TENANT_JOBS = "tenantJobsPerWindow";
    public static final String USER_JOBS = "userJobsPerWindow";

    public LimitOverrides {
        if (requestsPerWindow < 0 || tenantJobsPerWindow < 0 || userJobsPerWindow < 0) {
            throw new IllegalArgumentException("limits are 0 (the deployment's default) or more");
        }
    }

    /** The set ones by name, as text: what the authorizer's context can carry. */
    public Map<String, String> asText() {
        Map<String, String> set = new LinkedHashMap<>();
        put(set, REQUESTS, requestsPerWindow);
        put(set, TENANT_JOBS, tenantJobsPerWindow);
        put(set, USER_JOBS, userJobsPerWindow);
        return set;
    }

    /** Read back from {@link #asText}; anything missing or not a positive number is the default. */
    public static LimitOverrides fromText(Map<String, String> values) {
        return new LimitOverrides(number(values.get(REQUESTS)), number(values.get(TENANT_JOBS)),
                number(values.get(USER_JOBS)));
    }

    private static void put(Map<String, String> set, String name, int value) {
        if (value > 0) {
            set.put(name, Integer.toString(value));
        }
    }

    private static int number(String text) {
        if (text == null || !text.matches("[0-9]{1,9}")) {
            return 0;
        }
        return Integer.parseInt(text);
    }
}
