package dev.chathistory.shared.config;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Where functions read their configuration: the process environment in Lambda. The local
 * runner hosts several functions in one JVM, each with the environment its template entry
 * declares, so it constructs each handler inside {@link #runWith}.
 */
public final class Environment {

    private static final ThreadLocal<Map<String, String>> OVERRIDE = new ThreadLocal<>();

    private Environment() {
    }

    public static Map<String, String> variables() {
        Map<String, String> override = OVERRIDE.get();
        return override != null ? override : System.getenv();
    }

    /** Runs {@code action} on this thread with {@code variables} as the whole environment. */
    public static <T> T runWith(Map<String, String> variables, Supplier<T> action) {
        Map<String, String> previous = OVERRIDE.get();
        OVERRIDE.set(Map.copyOf(variables));
        try {
            return action.get();
        } finally {
            if (previous == null) {
                OVERRIDE.remove();
            } else {
                OVERRIDE.set(previous);
            }
        }
    }
}
