package dev.chathistory.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

class DeadLetterQueueTest {

    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

    private final FakeSqs sqs = new FakeSqs();
    private final DeadLetterQueue dlq = new DeadLetterQueue(sqs, "dlq");

    @Test
    void report_shouldGiveTheDepthAndTheAgeOfTheOldestPeekedMessage() {
        sqs.put("dlq", "{\"a\":1}", NOW.minusSeconds(90).toEpochMilli());
        sqs.put("dlq", "{\"a\":2}", NOW.minusSeconds(3_600).toEpochMilli());
        sqs.put("dlq", "{\"a\":3}", NOW.minusSeconds(5).toEpochMilli());

        DeadLetterQueue.Report report = dlq.report(NOW);

        assertThat(report).isEqualTo(new DeadLetterQueue.Report(3, 3_600));
    }

    @Test
    void report_shouldLeaveMessagesVisible_whenPeeking() {
        sqs.put("dlq", "{}", NOW.minusSeconds(10).toEpochMilli());

        dlq.report(NOW);

        assertThat(sqs.receives).singleElement().satisfies(r -> {
            assertThat(r.visibilityTimeout()).isZero();
            assertThat(r.maxNumberOfMessages()).isEqualTo(10);
            assertThat(r.messageSystemAttributeNames()).contains(MessageSystemAttributeName.SENT_TIMESTAMP);
        });
        assertThat(dlq.depth()).isEqualTo(1);
    }

    @Test
    void report_shouldBeZeroWithoutPeeking_whenTheQueueIsEmpty() {
        assertThat(dlq.report(NOW)).isEqualTo(new DeadLetterQueue.Report(0, 0));
        assertThat(sqs.receives).isEmpty();
    }
}
