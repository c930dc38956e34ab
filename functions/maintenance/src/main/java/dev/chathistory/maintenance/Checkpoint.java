package dev.chathistory.maintenance;

import java.time.Instant;
import java.util.Optional;

/**
 * Where the maintenance sweep has got to: the end of the last window it completed, and the run
 * in progress, if an earlier invocation stopped before finishing it.
 */
public record Checkpoint(Optional<Instant> doneUntil, Optional<SweepRun> run) {

    public static Checkpoint none() {
        return new Checkpoint(Optional.empty(), Optional.empty());
    }
}
