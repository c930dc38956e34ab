package dev.chathistory.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DeadLetterRedriveTest {

    private final FakeSqs sqs = new FakeSqs();
    private final DeadLetterRedrive redrive = new DeadLetterRedrive(sqs, "dlq", "jobs");

    private List<String> fillDeadLetters(int count) {
        List<String> bodies = IntStream.range(0, count).mapToObj(i -> "{\"jobId\":\"job-" + i + "\"}").toList();
        bodies.forEach(body -> sqs.put("dlq", body, 0));
        return bodies;
    }

    @Test
    void redrive_shouldMoveEveryMessageOnce_inBatchesOfTen() {
        List<String> bodies = fillDeadLetters(23);

        DeadLetterRedrive.Result result = redrive.redrive(1000, TimeBudget.unlimited());

        assertThat(result).isEqualTo(new DeadLetterRedrive.Result(23, 0));
        assertThat(sqs.bodies("jobs")).containsExactlyInAnyOrderElementsOf(bodies);
        assertThat(sqs.bodies("dlq")).isEmpty();
        assertThat(sqs.sendBatches).extracting(b -> b.entries().size()).containsExactly(10, 10, 3);
        assertThat(sqs.receives).allSatisfy(r -> assertThat(r.visibilityTimeout()).isEqualTo(60));
    }

    @Test
    void redrive_shouldStopAtMax() {
        fillDeadLetters(25);

        DeadLetterRedrive.Result result = redrive.redrive(12, TimeBudget.unlimited());

        assertThat(result.moved()).isEqualTo(12);
        assertThat(sqs.bodies("jobs")).hasSize(12);
        assertThat(sqs.bodies("dlq")).hasSize(13);
        assertThat(sqs.receives).extracting(r -> r.maxNumberOfMessages()).containsExactly(10, 2);
    }

    @Test
    void redrive_shouldDeleteOnlyWhatWasSent_whenTheJobQueueRefusesSome() {
        List<String> bodies = fillDeadLetters(10);
        String refused = bodies.get(4);
        sqs.refuseSendsOf(refused::equals);

        DeadLetterRedrive.Result result = redrive.redrive(1000, TimeBudget.unlimited());

        assertThat(result).isEqualTo(new DeadLetterRedrive.Result(9, 1));
        assertThat(sqs.bodies("dlq")).containsExactly(refused);
        assertThat(sqs.bodies("jobs")).hasSize(9).doesNotContain(refused);
    }

    @Test
    void redrive_shouldStop_whenTheJobQueueRefusesEverything() {
        fillDeadLetters(30);
        sqs.refuseSendsOf(body -> true);

        DeadLetterRedrive.Result result = redrive.redrive(1000, TimeBudget.unlimited());

        assertThat(result).isEqualTo(new DeadLetterRedrive.Result(0, 10));
        assertThat(sqs.receives).hasSize(1);
        assertThat(sqs.deleteBatches).isEmpty();
        assertThat(sqs.bodies("dlq")).hasSize(30);
    }

    @Test
    void redrive_shouldStop_whenTimeRunsLow() {
        fillDeadLetters(30);
        AtomicInteger checks = new AtomicInteger();
        TimeBudget twoBatches = new TimeBudget(() -> checks.incrementAndGet() <= 2 ? 60_000 : 1_000,
                Duration.ofSeconds(30));

        DeadLetterRedrive.Result result = redrive.redrive(1000, twoBatches);

        assertThat(result.moved()).isEqualTo(20);
        assertThat(sqs.bodies("dlq")).hasSize(10);
    }

    @Test
    void redrive_shouldMoveNothing_whenTheQueueIsEmpty() {
        assertThat(redrive.redrive(1000, TimeBudget.unlimited())).isEqualTo(new DeadLetterRedrive.Result(0, 0));
        assertThat(sqs.sendBatches).isEmpty();
    }
}
