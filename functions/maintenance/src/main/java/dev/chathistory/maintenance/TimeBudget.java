package dev.chathistory.maintenance;

import com.amazonaws.services.lambda.runtime.Context;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How much of the invocation is left. Work that loops stops when less than the margin remains,
 * so it can save where it got to and return before Lambda stops it mid-write.
 */
public final class TimeBudget {

    private final LongSupplier remainingMillis;
    private final Duration margin;

    public TimeBudget(LongSupplier remainingMillis, Duration margin) {
        this.remainingMillis = remainingMillis;
        this.margin = margin;
    }

    public static TimeBudget of(Context context, Duration margin) {
        return new TimeBudget(context::getRemainingTimeInMillis, margin);
    }

    /** A budget that never runs out, for callers outside Lambda. */
    public static TimeBudget unlimited() {
        return new TimeBudget(() -> Long.MAX_VALUE, Duration.ZERO);
    }

    public boolean exhausted() {
        return remainingMillis.getAsLong() < margin.toMillis();
    }

    /** What is left of the invocation, margin included. */
    public Duration remaining() {
        return Duration.ofMillis(Math.max(0, remainingMillis.getAsLong()));
    }
}
