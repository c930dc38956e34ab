package dev.chathistory.userbatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import dev.chathistory.shared.jobs.Job;
import dev.chathistory.shared.jobs.JobOutcome;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobStatus;
import dev.chathistory.shared.jobs.JobType;
import dev.chathistory.shared.testing.InMemoryJobRepository;
import dev.chathistory.shared.testing.RecordingJobQueue;
import dev.chathistory.shared.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class BatchProcessorTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

    private final InMemoryJobRepository jobs = new InMemoryJobRepository();
    private final MutableClock clock = new MutableClock(NOW);
    private final Map<String, Duration> visibility = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(3);
    private final RecordingJobMetrics metrics = new RecordingJobMetrics();
    private Function<JobRequest, JobOutcome> recount = request -> {
        runs.computeIfAbsent(request.userId(), u -> new AtomicInteger()).incrementAndGet();
        if (request.userId().startsWith("poison")) {
            throw new IllegalStateException("cannot recount " + request.userId());
        }
        return new JobOutcome.Counts().add("messageCount", 1).outcome();
    };

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private BatchProcessor processor(int maxReceiveCount) {
        JobRunner runner = new JobRunner(jobs, new RecordingJobQueue(),
                Map.of(JobType.RECOUNT, run -> recount.apply(run.request())), clock, Duration.ofDays(14));
        return new BatchProcessor(runner, pool, new RetryBackoff(Duration.ofSeconds(30), Duration.ofSeconds(900),
                () -> 0.999999), visibility::put, maxReceiveCount, clock, metrics);
    }

    private static SQSMessage record(String user, int receiveCount) {
        return raw("m-" + user, new JobRequest("job-" + user, JobType.RECOUNT, "t1", user, null).toJson(), receiveCount);
    }

    private static SQSMessage raw(String id, String body, int receiveCount) {
        SQSMessage message = new SQSMessage();
        message.setMessageId(id);
        message.setReceiptHandle("receipt-" + id);
        message.setBody(body);
        message.setAttributes(Map.of("ApproximateReceiveCount", Integer.toString(receiveCount)));
        return message;
    }

    private static List<String> failedIds(SQSBatchResponse response) {
        List<String> ids = new ArrayList<>();
        response.getBatchItemFailures().forEach(f -> ids.add(f.getItemIdentifier()));
        return ids;
    }

    @Test
    void process_shouldReportOnlyThePoisonRecord_andFinishEveryOther() {
        SQSBatchResponse response = processor(5).process(List.of(
                record("u1", 1), record("poison-1", 1), record("u2", 1), record("u3", 1)), Duration.ofSeconds(10));

        assertThat(failedIds(response)).containsExactly("m-poison-1");
        metrics.flush();
        assertThat(metrics.flushed()).containsExactly("succeeded=3 skipped=0 retried=1 failed=0");
        for (String user : List.of("u1", "u2", "u3")) {
            Job job = jobs.find("t1", "job-" + user, NOW).orElseThrow();
            assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(job.counts()).containsEntry("messageCount", 1L);
        }
    }

    @Test
    void process_shouldBackOffExponentially_andRecordWhenTheNextTryIs() {
        BatchProcessor processor = processor(5);

        processor.process(List.of(record("poison-1", 1)), Duration.ofSeconds(10));
        assertThat(visibility).containsEntry("receipt-m-poison-1", Duration.ofSeconds(30));
        Job afterFirst = jobs.find("t1", "job-poison-1", NOW).orElseThrow();
        assertThat(afterFirst.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(afterFirst.nextAttemptAt()).isEqualTo(NOW.plusSeconds(30));
        assertThat(afterFirst.error()).isEqualTo("IllegalStateException: cannot recount poison-1");

        processor.process(List.of(record("poison-1", 3)), Duration.ofSeconds(10));
        assertThat(visibility).containsEntry("receipt-m-poison-1", Duration.ofSeconds(120));
        assertThat(jobs.find("t1", "job-poison-1", NOW).orElseThrow().attempts()).isEqualTo(3);
    }

    @Test
    void process_shouldFailTheJobForGood_andReleaseTheMessageAtOnce_onTheLastDelivery() {
        SQSBatchResponse response = processor(3).process(List.of(record("poison-1", 3)), Duration.ofSeconds(10));

        assertThat(failedIds(response)).containsExactly("m-poison-1");
        assertThat(visibility).containsEntry("receipt-m-poison-1", Duration.ZERO);
        Job job = jobs.find("t1", "job-poison-1", NOW).orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.nextAttemptAt()).isNull();
        metrics.flush();
        assertThat(metrics.flushed()).containsExactly("succeeded=0 skipped=0 retried=0 failed=1");
    }

    @Test
    void process_shouldSkipAJobThatAlreadySucceeded_whenItIsDeliveredAgain() {
        BatchProcessor processor = processor(5);
        processor.process(List.of(record("u1", 1)), Duration.ofSeconds(10));

        SQSBatchResponse again = processor.process(List.of(record("u1", 2)), Duration.ofSeconds(10));

        assertThat(failedIds(again)).isEmpty();
        assertThat(runs.get("u1").get()).isEqualTo(1);
        metrics.flush();
        assertThat(metrics.flushed()).containsExactly("succeeded=1 skipped=1 retried=0 failed=0");
    }

    @Test
    void process_shouldReportAMalformedMessage_withoutTouchingTheOthers() {
        SQSBatchResponse response = processor(5).process(List.of(
                raw("bad", "{not json", 1), raw("unknown", "{\"type\":\"frobnicate\"}", 1), record("u1", 1)),
                Duration.ofSeconds(10));

        assertThat(failedIds(response)).containsExactlyInAnyOrder("bad", "unknown");
        assertThat(visibility).containsKeys("receipt-bad", "receipt-unknown");
        assertThat(jobs.find("t1", "job-u1", NOW).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
    }

    @Test
    void process_shouldRunNoMoreRecordsAtOnceThanThePoolAllows() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        recount = request -> {
            int now = running.incrementAndGet();
            peak.accumulateAndGet(now, Math::max);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            return new JobOutcome.Counts().outcome();
        };
        List<SQSMessage> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            records.add(record("u" + i, 1));
        }

        SQSBatchResponse response = processor(5).process(records, Duration.ofSeconds(10));

        assertThat(failedIds(response)).isEmpty();
        assertThat(peak.get()).isEqualTo(3);
    }

    @Test
    void process_shouldLogOnWorkerThreadsWithTheInvocationsContext() {
        Map<String, String> seen = new ConcurrentHashMap<>();
        recount = request -> {
            seen.put(request.userId(), String.valueOf(MDC.get("correlation_id")));
            return new JobOutcome.Counts().outcome();
        };
        MDC.put("correlation_id", "request-42");
        try {
            processor(5).process(List.of(record("u1", 1), record("u2", 1)), Duration.ofSeconds(10));
        } finally {
            MDC.clear();
        }

        assertThat(seen).containsEntry("u1", "request-42").containsEntry("u2", "request-42");
    }

    @Test
    void process_shouldReportARecordStillRunningWhenTimeRunsOut() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        recount = request -> {
            if (request.userId().equals("slow")) {
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new JobOutcome.Counts().outcome();
        };

        SQSBatchResponse response = processor(5).process(List.of(record("slow", 1), record("u1", 1)),
                Duration.ofMillis(200));
        release.countDown();

        assertThat(failedIds(response)).containsExactly("m-slow");
        assertThat(visibility).doesNotContainKey("receipt-m-slow");
    }
}
