package dev.chathistory.userbatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.chathistory.shared.jobs.JobOutcome;
import dev.chathistory.shared.jobs.JobStatus;
import dev.chathistory.shared.jobs.JobType;
import dev.chathistory.shared.lambda.LocalLambdaContext;
import dev.chathistory.shared.testing.InMemoryJobRepository;
import dev.chathistory.shared.testing.RecordingJobQueue;
import dev.chathistory.shared.testing.MutableClock;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The handler on the sample SQS event (events/job-batch.json), deserialised as the runtime does. */
class UserBatchHandlerTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

    private final InMemoryJobRepository jobs = new InMemoryJobRepository();
    private final MutableClock clock = new MutableClock(NOW);
    private final Map<String, Duration> hidden = new HashMap<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final RecordingJobMetrics metrics = new RecordingJobMetrics();

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void sampleBatch_shouldRunTheRecount_andReportTheFailingArchiveOnly() throws Exception {
        JobRunner runner = new JobRunner(jobs, new RecordingJobQueue(), Map.of(
                JobType.RECOUNT, request -> new JobOutcome.Counts().add("messageCount", 2).outcome(),
                JobType.ARCHIVE, request -> {
                    throw new IllegalStateException("archive unavailable");
                }), clock, Duration.ofDays(14));
        BatchProcessor processor = new BatchProcessor(runner, pool,
                new RetryBackoff(Duration.ofSeconds(30), Duration.ofSeconds(900), () -> 0.999999),
                hidden::put, 5, clock, metrics);
        UserBatchHandler handler = new UserBatchHandler(processor, Duration.ofSeconds(5), metrics::flush);

        SQSBatchResponse response = handler.handleRequest(sampleEvent(),
                new LocalLambdaContext("user-batch", 300, 1024));

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("5b2e9c1d-7a3f-4e8b-a0c6-1d2e3f4a5b6c");
        assertThat(jobs.find("default", "01JDZ3Q6X8V1K2M3N4P5R6S7T8", NOW).orElseThrow().status())
                .isEqualTo(JobStatus.SUCCEEDED);
        // The archive record was on its second delivery: 30 s doubled.
        assertThat(hidden).containsEntry("AQEBzWwaftRI0KuVm4tP-example-2", Duration.ofSeconds(60));
        assertThat(jobs.find("default", "01JDZ3Q6X8V1K2M3N4P5R6S7T9", NOW).orElseThrow().nextAttemptAt())
                .isEqualTo(NOW.plusSeconds(60));
        assertThat(metrics.flushed()).containsExactly("succeeded=1 skipped=0 retried=1 failed=0");
    }

    private static SQSEvent sampleEvent() throws Exception {
        try (InputStream in = Files.newInputStream(Path.of("../../events/job-batch.json"))) {
            return LambdaEventSerializers.serializerFor(SQSEvent.class, UserBatchHandlerTest.class.getClassLoader())
                    .fromJson(in);
        }
    }
}
