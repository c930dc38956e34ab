package dev.chathistory.shared.error;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request the core refuses, named by its {@link Problem}. The message is written for the
 * caller and must never contain message text, settings values or secrets, because it is also
 * logged and returned. No stack trace: these are answers, not faults.
 */
public class DomainException extends RuntimeException {

    private final Problem problem;
    private final Map<String, Object> details;

    public DomainException(Problem problem, String message) {
        this(problem, message, Map.of());
    }

    public DomainException(Problem problem, String message, Map<String, Object> details) {
        this(problem, message, details, null);
    }

    /** With the failure behind it, for logs; the caller never sees {@code cause}. */
    protected DomainException(Problem problem, String message, Map<String, Object> details, Throwable cause) {
        super(message, cause, false, false);
        this.problem = problem;
        this.details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public Problem problem() {
        return problem;
    }

    /** Extra machine-readable facts for the caller, such as {@code currentVersion}. */
    public Map<String, Object> details() {
        return details;
    }
}
