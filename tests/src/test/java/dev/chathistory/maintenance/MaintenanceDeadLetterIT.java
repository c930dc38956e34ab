package dev.chathistory.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobType;
import dev.chathistory.shared.lambda.LocalLambdaContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The DLQ report of the sweep and the {@code redrive-dlq} action against the emulator's SQS. */
class MaintenanceDeadLetterIT {

    private MaintenanceStack stack;

    @BeforeEach
    void start() {
        // The clock starts at the real time, since SQS stamps messages with it.
        stack = new MaintenanceStack(Instant.now(), 2, Duration.ofHours(1));
    }

    @AfterEach
    void close() {
        stack.close();
    }

    private List<String> deadLetters(int count) {
        List<String> bodies = IntStream.range(0, count)
                .mapToObj(i -> new JobRequest("job-" + i, JobType.RECOUNT, "tenant-0", "user-" + i, null).toJson())
                .toList();
        bodies.forEach(body -> stack.sqs.sendMessage(b -> b.queueUrl(stack.deadLetterUrl).messageBody(body)));
        return bodies;
    }

    private Map<String, Object> redrive(Map<String, Object> input) {
        return stack.handler.handleRequest(input, new LocalLambdaContext("maintenance", 300, 1024));
    }

    @Test
    void sweep_shouldReportZero_whenTheDeadLetterQueueIsEmpty() {
        assertThat(stack.sweep()).containsEntry("dlqDepth", 0L).containsEntry("dlqOldestAgeSeconds", 0L);
        assertThat(stack.metrics.value("DeadLetterQueueDepth")).isZero();
        assertThat(stack.metrics.value("DeadLetterQueueOldestAgeSeconds")).isZero();
    }

    @Test
    void sweep_shouldReportTheDepthAndTheOldestAge_leavingTheMessagesInPlace() {
        deadLetters(3);
        stack.clock.advance(Duration.ofHours(1));

        Map<String, Object> summary = stack.sweep();

        assertThat(summary).containsEntry("dlqDepth", 3L);
        assertThat((Long) summary.get("dlqOldestAgeSeconds")).isBetween(3_590L, 3_660L);
        assertThat(stack.metrics.value("DeadLetterQueueDepth")).isEqualTo(3L);
        assertThat(stack.metrics.value("DeadLetterQueueOldestAgeSeconds")).isBetween(3_590L, 3_660L);
        assertThat(stack.attribute(stack.deadLetterUrl, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .as("peeking leaves them visible").isEqualTo(3);
    }

    @Test
    void redriveDlq_shouldMoveEveryMessageBackExactlyOnce_andEmptyTheDlq() {
        List<String> bodies = deadLetters(25);

        Map<String, Object> result = redrive(Map.of("action", "redrive-dlq"));

        assertThat(result).isEqualTo(Map.of("moved", 25, "failed", 0));
        stack.assertEmpty(stack.deadLetterUrl);
        assertThat(stack.drain(stack.queueUrl)).extracting(Message::body)
                .containsExactlyInAnyOrderElementsOf(bodies);
        assertThat(stack.metrics.value("JobsRedriven")).isEqualTo(25L);
        assertThat(redrive(Map.of("action", "redrive-dlq"))).containsEntry("moved", 0);
    }

    @Test
    void redriveDlq_shouldStopAtMax() {
        deadLetters(15);

        assertThat(redrive(Map.of("action", "redrive-dlq", "max", 10))).containsEntry("moved", 10);

        assertThat(stack.drain(stack.queueUrl)).hasSize(10);
        assertThat(stack.attribute(stack.deadLetterUrl, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .isEqualTo(5);
    }
}
