package dev.chathistory.userbatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.chathistory.shared.config.JobsConfig;
import dev.chathistory.shared.jobs.JobRepository;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobStatus;
import dev.chathistory.shared.jobs.JobType;
import dev.chathistory.shared.testing.InMemoryArchiveIndex;
import dev.chathistory.shared.testing.InMemoryAttachmentRepository;
import dev.chathistory.shared.testing.InMemoryErasures;
import dev.chathistory.shared.testing.InMemoryJobRepository;
import dev.chathistory.shared.testing.InMemoryLeases;
import dev.chathistory.shared.testing.InMemoryMessageRepository;
import dev.chathistory.shared.testing.InMemoryMultipartUploads;
import dev.chathistory.shared.testing.InMemoryObjectStore;
import dev.chathistory.shared.testing.InMemoryRetentionRepository;
import dev.chathistory.shared.testing.InMemoryUserRepository;
import dev.chathistory.shared.testing.MutableClock;
import dev.chathistory.shared.testing.RecordingJobQueue;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The production wiring, on in-memory stores. */
class WiringTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

    @Test
    void defaults_shouldHaveAWholeBatchOfFiftyInFlightAtOnce() {
        InMemoryJobRepository records = new InMemoryJobRepository();
        // Every job's start waits until all 50 have started: with fewer workers this times out.
        CyclicBarrier allStarted = new CyclicBarrier(50);
        JobRepository waiting = (JobRepository) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {JobRepository.class}, (proxy, method, args) -> {
                    if (method.getName().equals("start")) {
                        allStarted.await(10, TimeUnit.SECONDS);
                    }
                    try {
                        return method.invoke(records, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        InMemoryMessageRepository messages = new InMemoryMessageRepository();
        InMemoryObjectStore objects = new InMemoryObjectStore();
        var stores = new UserBatchHandler.Stores(messages, new InMemoryUserRepository(),
                new InMemoryArchiveIndex(messages), new InMemoryAttachmentRepository(messages), waiting,
                new InMemoryLeases(), new InMemoryErasures(), objects, new InMemoryMultipartUploads(objects),
                new RecordingJobQueue(), (receipt, timeout) -> { }, new InMemoryRetentionRepository());
        var wiring = UserBatchHandler.Wiring.create(JobsConfig.of("queue", "bucket"),
                BatchConfig.fromEnvironment(Map.of()), 4, stores, new MutableClock(NOW), JobMetrics.noop());

        List<SQSEvent.SQSMessage> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
            record.setMessageId("m" + i);
            record.setReceiptHandle("r" + i);
            record.setBody(new JobRequest("job-" + i, JobType.RECOUNT, "t1", "u" + i, null).toJson());
            batch.add(record);
        }
        var response = wiring.processor().process(batch, Duration.ofSeconds(30));

        assertThat(response.getBatchItemFailures()).isEmpty();
        for (int i = 0; i < 50; i++) {
            assertThat(records.find("t1", "job-" + i, NOW).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
        }
    }

    @Test
    void fromEnvironment_shouldKeepAConnectionAliveForEveryWorker() {
        String saved = System.getProperty("http.maxConnections");
        System.clearProperty("http.maxConnections");
        try {
            UserBatchHandler.Wiring.fromEnvironment(Map.of("AWS_REGION", "us-east-1", "MESSAGES_TABLE", "m",
                    "USERS_TABLE", "u", "JOBS_QUEUE_URL", "http://localhost:1/q", "DATA_BUCKET", "b"));

            assertThat(System.getProperty("http.maxConnections")).isEqualTo("51");
        } finally {
            if (saved == null) {
                System.clearProperty("http.maxConnections");
            } else {
                System.setProperty("http.maxConnections", saved);
            }
        }
    }
}
