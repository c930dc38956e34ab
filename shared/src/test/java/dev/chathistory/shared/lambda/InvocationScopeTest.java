package dev.chathistory.shared.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The one logging and metrics frame of every Powertools function's invocation. */
class InvocationScopeTest {

    private final AtomicInteger flushes = new AtomicInteger();

    @Test
    void run_shouldLogUnderTheCorrelationId_andFlushOnce() {
        String seen = InvocationScope.run(new LocalLambdaContext(), "req-1", flushes::incrementAndGet,
                () -> MDC.get(InvocationScope.CORRELATION_ID));

        assertThat(seen).isEqualTo("req-1");
        assertThat(flushes).hasValue(1);
        assertThat(MDC.get(InvocationScope.CORRELATION_ID)).as("cleared after the invocation").isNull();
    }

    @Test
    void run_shouldFlushMetrics_whenTheWorkFails() {
        assertThatThrownBy(() -> InvocationScope.run(new LocalLambdaContext(), "req-2", flushes::incrementAndGet,
                () -> {
                    throw new IllegalStateException("boom");
                })).isInstanceOf(IllegalStateException.class);

        assertThat(flushes).hasValue(1);
        assertThat(MDC.get(InvocationScope.CORRELATION_ID)).isNull();
    }
}
