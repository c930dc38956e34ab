package dev.chathistory.local.aws;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Faults the gateway injects between the functions and the emulator: at {@code rate} (0 to
 * 1) of the calls the named {@code functions} make (every function when empty) that need one
 * of {@code actions} (any when empty), chosen by a generator seeded with {@code seed}, one of
 * {@code kinds}, at most {@code limit} times. Only the functions' own calls: neither presigned
 * links (bots uploading) nor what Lambda does with a function's role (its SQS poller, its
 * on-failure destination).
 */
public record FaultPlan(double rate, long seed, Set<Fault> kinds, Set<String> functions, Set<String> actions,
                        long limit) {

    /** What can go wrong with one call. */
    public enum Fault {
        /** The service's throttling error (DynamoDB's ProvisionedThroughputExceeded, SQS's, S3's SlowDown). */
        THROTTLE,
        /** A 500 from the service. */
        SERVER_ERROR,
        /**
         * The call reached the emulator and applied, and its answer never came back: the
         * connection closes instead. What a timeout after the write looks like to the caller.
         */
        LOST_RESPONSE
    }

    public FaultPlan {
        if (rate < 0 || rate > 1) {
            throw new IllegalArgumentException("a fault rate is between 0 and 1");
        }
        kinds = kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
        functions = Set.copyOf(functions);
        actions = Set.copyOf(actions);
        if (rate > 0 && kinds.isEmpty()) {
            throw new IllegalArgumentException("a fault rate needs at least one kind of fault");
        }
    }

    public static FaultPlan none() {
        return new FaultPlan(0, 0, Set.of(), Set.of(), Set.of(), 0);
    }

    /** Every kind of fault, on every function's calls. */
    public static FaultPlan all(double rate, long seed) {
        return new FaultPlan(rate, seed, EnumSet.allOf(Fault.class), Set.of(), Set.of(), Long.MAX_VALUE);
    }

    /** Only {@code kind}, only on {@code function}'s calls. */
    public static FaultPlan only(Fault kind, double rate, String function) {
        return new FaultPlan(rate, 0, Set.of(kind), Set.of(function), Set.of(), Long.MAX_VALUE);
    }

    /** The next {@code count} calls of {@code function} needing {@code action} lose their answer. */
    public static FaultPlan lostAnswers(String function, String action, long count) {
        return new FaultPlan(1, 0, Set.of(Fault.LOST_RESPONSE), Set.of(function), Set.of(action), count);
    }

    boolean covers(String function, List<String> callActions) {
        return (functions.isEmpty() || functions.contains(function))
                && (actions.isEmpty() || callActions.stream().anyMatch(actions::contains));
    }
}
