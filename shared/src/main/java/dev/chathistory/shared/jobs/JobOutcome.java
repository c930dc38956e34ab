package dev.chathistory.shared.jobs;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a run of a job reports: counts of what it did, and the object it produced, if any. With
 * {@code continueAfter} the job is not finished: it saved a checkpoint and is to run again after
 * that delay, in a new delivery.
 */
public record JobOutcome(Map<String, Long> counts, String resultKey, Duration continueAfter) {

    public JobOutcome {
        counts = Map.copyOf(counts);
    }

    public JobOutcome(Map<String, Long> counts, String resultKey) {
        this(counts, resultKey, null);
    }

    public boolean finished() {
        return continueAfter == null;
    }

    /** Collects counts while a job runs. Not thread-safe: one job runs on one thread. */
    public static final class Counts {
        private final Map<String, Long> values = new LinkedHashMap<>();

        public Counts add(String name, long amount) {
            values.merge(name, amount, Long::sum);
            return this;
        }

        public long get(String name) {
            return values.getOrDefault(name, 0L);
        }

        public JobOutcome outcome() {
            return new JobOutcome(values, null);
        }

        public JobOutcome outcome(String resultKey) {
            return new JobOutcome(values, resultKey);
        }

        /** Not finished: run again after {@code delay} (zero for as soon as possible). */
        public JobOutcome continueAfter(Duration delay) {
            return new JobOutcome(values, null, delay);
        }
    }
}
