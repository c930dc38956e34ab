package dev.chathistory.jobs;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.chathistory.userbatch.UserBatchHandler;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One delivery of a job message to the batch function, in a JVM of its own, built from the
 * function's environment exactly as Lambda's runtime builds it: what {@link EraseCrashIT} kills
 * with SIGKILL at a random point. The message body is the first argument.
 */
public final class EraseDelivery {

    static final String STARTED = "erase-delivery: wired, delivering";

    private EraseDelivery() {
    }

    public static void main(String[] args) {
        SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
        record.setMessageId("crash-test-" + System.nanoTime());
        record.setReceiptHandle("not-from-the-queue");
        record.setBody(args[0]);
        record.setAttributes(Map.of("ApproximateReceiveCount", "1"));
        record.setEventSource("aws:sqs");
        UserBatchHandler.Wiring wiring = UserBatchHandler.Wiring.fromEnvironment(System.getenv());
        // The parent kills at a random point after this line, so the kill falls in the job's work
        // rather than in the JVM's start.
        System.out.println(STARTED);
        System.out.flush();
        long started = System.nanoTime();
        var response = wiring.processor().process(List.of(record), Duration.ofMinutes(4));
        System.out.println("erase-delivery: done in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        System.exit(response.getBatchItemFailures().isEmpty() ? 0 : 3);
    }
}
