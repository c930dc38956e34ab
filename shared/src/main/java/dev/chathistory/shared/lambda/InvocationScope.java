package dev.chathistory.shared.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.function.Supplier;
import org.slf4j.MDC;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * What every function that logs through Powertools (all but the authorizer) does around an
 * invocation, in one place: Powertools' logging context (the Lambda context's fields on every
 * line, cleared afterwards), the invocation's correlation id, and its metrics flushed at the
 * end whatever happened.
 */
public final class InvocationScope {

    /**
     * The log field Powertools' JSON layout prints the correlation id under. Set directly rather
     * than through Powertools' JMESPath option, which copies the whole event (an API request's
     * body included) into a JSON tree on every invocation just to read one field.
     */
    public static final String CORRELATION_ID = "correlation_id";

    private InvocationScope() {
    }

    /**
     * Runs {@code work} with {@code correlationId} on every log line it writes, then
     * {@code flushMetrics} (which must not throw), and returns what the work returned.
     */
    public static <T> T run(Context context, String correlationId, Runnable flushMetrics, Supplier<T> work) {
        return PowertoolsLogging.withLogging(context, () -> {
            MDC.put(CORRELATION_ID, correlationId);
            try {
                return work.get();
            } finally {
                flushMetrics.run();
            }
        });
    }
}
