package dev.chathistory.shared.jobs;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a finished job reports: counts of what it did, and the object it produced, if any. */
public record JobOutcome(Map<String, Long> counts, String resultKey) {

    public JobOutcome {
        counts = Map.copyOf(counts);
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
    }
}
