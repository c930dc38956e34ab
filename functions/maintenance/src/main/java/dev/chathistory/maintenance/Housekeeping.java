package dev.chathistory.maintenance;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.MDC;

/**
 * The steps of the scheduled run that need no lease: report the dead-letter queue, expire stuck
 * jobs, delete unreferenced images and orphaned archive chunks, and the retention sweep. Each is
 * idempotent and touches items no other step writes (the retention sweep gives blob references
 * back, which leaves a blob unreferenced from now, never claimable by the blob sweep at once), so
 * they run at once, each on its own thread, beside the
 * active-user sweep; a run then lasts as long as its longest step. Every call they make is I/O,
 * which is why threads help even on the fraction of a vCPU a function gets.
 */
final class Housekeeping {

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final DeadLetterQueue deadLetters;
    private final StaleJobExpiry staleJobs;
    private final UnreferencedBlobSweep blobs;
    private final OrphanedChunkSweep orphanedChunks;
    private final RetentionSweep retention;
    private final Clock clock;

    /** {@code blobs}, {@code orphanedChunks} and {@code retention} may be null: those steps are then left out. */
    Housekeeping(DeadLetterQueue deadLetters, StaleJobExpiry staleJobs, UnreferencedBlobSweep blobs,
                 OrphanedChunkSweep orphanedChunks, RetentionSweep retention, Clock clock) {
        this.deadLetters = deadLetters;
        this.staleJobs = staleJobs;
        this.blobs = blobs;
        this.orphanedChunks = orphanedChunks;
        this.retention = retention;
        this.clock = clock;
    }

    /** What the steps did. */
    record Report(DeadLetterQueue.Report deadLetters, int staleJobsExpired, int unreferencedBlobsDeleted,
                  int orphanedChunksDeleted, RetentionSweep.Result retention) {
    }

    /** Starts every step on its own thread; the caller awaits them through the result. */
    Started start(TimeBudget budget) {
        ExecutorService threads = Executors.newFixedThreadPool(5, task -> {
            Thread thread = new Thread(task, "housekeeping-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        // Log lines from the steps keep the invocation's fields (request id, correlation id).
        Map<String, String> logContext = MDC.getCopyOfContextMap();
        return new Started(threads,
                submit(threads, logContext, () -> deadLetters.report(clock.instant())),
                submit(threads, logContext, () -> staleJobs.expire(budget)),
                submit(threads, logContext, () -> blobs == null ? 0 : blobs.run(budget)),
                submit(threads, logContext, () -> orphanedChunks == null ? 0 : orphanedChunks.run(budget)),
                submit(threads, logContext, () -> retention == null ? new RetentionSweep.Result(0, 0)
                        : retention.run(budget)));
    }

    private static <T> Future<T> submit(ExecutorService threads, Map<String, String> logContext, Callable<T> step) {
        return threads.submit(() -> {
            if (logContext != null) {
                MDC.setContextMap(logContext);
            }
            try {
                return step.call();
            } finally {
                MDC.clear();
            }
        });
    }

    /**
     * The steps in flight. Every way out of a sweep awaits them before {@link #close}, so no step
     * outlives its invocation (Lambda would freeze it mid-call until the next one).
     */
    static final class Started implements AutoCloseable {
        private final ExecutorService threads;
        private final Future<DeadLetterQueue.Report> deadLetters;
        private final Future<Integer> staleJobs;
        private final Future<Integer> blobs;
        private final Future<Integer> orphanedChunks;
        private final Future<RetentionSweep.Result> retention;

        private Started(ExecutorService threads, Future<DeadLetterQueue.Report> deadLetters,
                        Future<Integer> staleJobs, Future<Integer> blobs, Future<Integer> orphanedChunks,
                        Future<RetentionSweep.Result> retention) {
            this.threads = threads;
            this.deadLetters = deadLetters;
            this.staleJobs = staleJobs;
            this.blobs = blobs;
            this.orphanedChunks = orphanedChunks;
            this.retention = retention;
        }

        /**
         * Waits for every step.
         *
         * @throws RuntimeException the first step's failure, with the other failures suppressed in it
         */
        Report await() {
            RuntimeException failure = null;
            for (Future<?> step : steps()) {
                try {
                    outcome(step);
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
            return new Report(outcome(deadLetters), outcome(staleJobs), outcome(blobs), outcome(orphanedChunks),
                    outcome(retention));
        }

        /** Waits for every step after {@code failure} stopped the sweep, adding theirs to it. */
        void awaitQuietly(RuntimeException failure) {
            for (Future<?> step : steps()) {
                try {
                    outcome(step);
                } catch (RuntimeException e) {
                    failure.addSuppressed(e);
                }
            }
        }

        @Override
        public void close() {
            threads.shutdownNow();
        }

        private List<Future<?>> steps() {
            return List.of(deadLetters, staleJobs, blobs, orphanedChunks, retention);
        }

        private static <T> T outcome(Future<T> step) {
            try {
                return step.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException("a housekeeping step failed", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for housekeeping", e);
            }
        }
    }
}
