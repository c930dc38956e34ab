package dev.chathistory.shared.config;

import java.time.Duration;
import java.util.Map;

/**
 * Per-tenant limits of one deployment, from the environment the template sets: requests per
 * tenant per window, job submissions per tenant and per user per window.
 */
public record LimitsConfig(
        int tenantRequestsPerWindow,
        Duration requestWindow,
        int tenantJobsPerWindow,
        int userJobsPerWindow,
        Duration jobWindow) {

    public static LimitsConfig fromEnvironment(Map<String, String> env) {
        return new LimitsConfig(
                Settings.intValue(env, "TENANT_REQUESTS_PER_WINDOW", 600, 1, 10_000_000),
                Duration.ofSeconds(Settings.intValue(env, "TENANT_REQUEST_WINDOW_SECONDS", 10, 1, 86_400)),
                Settings.intValue(env, "TENANT_JOBS_PER_WINDOW", 100, 1, 1_000_000),
                Settings.intValue(env, "USER_JOBS_PER_WINDOW", 10, 1, 1_000_000),
                Duration.ofSeconds(Settings.intValue(env, "JOB_QUOTA_WINDOW_SECONDS", 3600, 1, 86_400)));
    }
}
