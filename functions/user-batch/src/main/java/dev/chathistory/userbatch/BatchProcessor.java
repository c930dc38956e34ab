package dev.chathistory.userbatch;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import dev.chathistory.shared.jobs.JobRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Processes the records of one SQS batch concurrently, on a pool whose size is the concurrency
 * bound, and reports the failed ones as batch item failures so only they come back. A failed
 * record's visibility is extended by {@link RetryBackoff}, so its next delivery waits
 * exponentially longer; after the queue's receive limit SQS moves it to the dead-letter queue.
 */
public final class BatchProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(BatchProcessor.class);

    /** Changes a message's visibility; the SQS call in production. */
    @FunctionalInterface
    public interface Visibility {
        void extend(String receiptHandle, Duration timeout);
    }

    private final JobRunner runner;
    private final ExecutorService pool;
    private final RetryBackoff backoff;
    private final Visibility visibility;
    private final int maxReceiveCount;
    private final Clock clock;
    private final JobMetrics metrics;

    public BatchProcessor(JobRunner runner, ExecutorService pool, RetryBackoff backoff, Visibility visibility,
                          int maxReceiveCount, Clock clock, JobMetrics metrics) {
        this.runner = runner;
        this.pool = pool;
        this.backoff = backoff;
        this.visibility = visibility;
        this.maxReceiveCount = maxReceiveCount;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * @param timeBudget how long the records may run; a record still running then is reported
     *     failed (without backoff) so it is retried, since jobs are idempotent
     */
    public SQSBatchResponse process(List<SQSMessage> records, Duration timeBudget) {
        Map<SQSMessage, Future<?>> running = new LinkedHashMap<>();
        // Jobs that can stop early (export) stop a little before the budget, to save their place.
        Instant jobDeadline = clock.instant().plus(timeBudget);
        // Worker threads log with the invocation's context (request id, function), as the handler thread does.
        Map<String, String> logContext = MDC.getCopyOfContextMap();
        for (SQSMessage record : records) {
            running.put(record, pool.submit(() -> {
                if (logContext != null) {
                    MDC.setContextMap(logContext);
                }
                try {
                    processOne(record, jobDeadline);
                } finally {
                    MDC.clear();
                }
            }));
        }
        long deadline = System.nanoTime() + timeBudget.toNanos();
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        running.forEach((record, future) -> {
            try {
                future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                LOG.warn("job message {} did not finish in time; it will be redelivered", record.getMessageId());
                failures.add(new SQSBatchResponse.BatchItemFailure(record.getMessageId()));
            } catch (ExecutionException | CancellationException e) {
                failures.add(new SQSBatchResponse.BatchItemFailure(record.getMessageId()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(new SQSBatchResponse.BatchItemFailure(record.getMessageId()));
            }
        });
        return new SQSBatchResponse(failures);
    }

    private void processOne(SQSMessage record, Instant deadline) {
        int attempt = receiveCount(record);
        JobRequest request;
        try {
            request = JobRequest.fromJson(record.getBody());
        } catch (IllegalArgumentException malformed) {
            // Retrying cannot fix a malformed message, but it goes the same way as any other
            // failure, so the DLQ keeps it for inspection.
            LOG.error("malformed job message {}: {}", record.getMessageId(), malformed.getMessage());
            Duration wait = waitAfter(attempt);
            metrics.failed(wait.isZero());
            hide(record, wait);
            throw malformed;
        }
        try {
            if (runner.run(request, attempt, deadline)) {
                metrics.succeeded();
            } else {
                metrics.skippedDuplicate();
            }
        } catch (RuntimeException | Error e) {
            Duration wait = waitAfter(attempt);
            metrics.failed(wait.isZero());
            LOG.warn("job {} ({}) failed on delivery {} of {}: {}", request.jobId(), request.type().wireName(),
                    attempt, maxReceiveCount, JobRunner.describe(e));
            try {
                runner.failed(request, e, wait.isZero() ? null : Instant.now(clock).plus(wait));
            } catch (RuntimeException recordFailure) {
                LOG.warn("could not record the failure of job {}: {}", request.jobId(),
                        recordFailure.getClass().getSimpleName());
            }
            hide(record, wait);
            throw e;
        }
    }

    /**
     * The backoff before the next delivery. After the last delivery there is none: the message is
     * made visible at once, so the next receive moves it to the DLQ without waiting out the
     * visibility timeout.
     */
    private Duration waitAfter(int attempt) {
        return attempt >= maxReceiveCount ? Duration.ZERO : backoff.after(attempt);
    }

    private void hide(SQSMessage record, Duration wait) {
        try {
            visibility.extend(record.getReceiptHandle(), wait);
        } catch (RuntimeException e) {
            // The queue's own visibility timeout still brings the message back.
            LOG.warn("could not set the visibility of message {}: {}", record.getMessageId(),
                    e.getClass().getSimpleName());
        }
    }

    static int receiveCount(SQSMessage record) {
        Map<String, String> attributes = record.getAttributes();
        String count = attributes == null ? null : attributes.get("ApproximateReceiveCount");
        try {
            return count == null ? 1 : Math.max(1, Integer.parseInt(count));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
