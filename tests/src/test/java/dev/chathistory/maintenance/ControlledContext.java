package dev.chathistory.maintenance;

import com.amazonaws.services.lambda.runtime.Context;
import dev.chathistory.shared.lambda.LocalLambdaContext;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntUnaryOperator;

/**
 * Lambda contexts whose remaining time the test scripts per read. The sweep reads it once to
 * size its lease, then once before each page. The steps that run beside the sweep, on threads of
 * their own, read it too: they are not counted and always see plenty of time.
 */
final class ControlledContext {

    private ControlledContext() {
    }

    /** Plenty of time for {@code pages} pages, then less than the margin. */
    static Context timeForPages(int pages) {
        return scripted(read -> read <= pages + 1 ? 300_000 : 1_000);
    }

    /**
     * Takes the lease, then stops before its first page: counts {@code paused} down and waits for
     * {@code resume} (bounded, so a broken test cannot hang the build).
     */
    static Context pausingAfterTheLease(CountDownLatch paused, CountDownLatch resume) {
        return scripted(read -> {
            if (read == 2) {
                paused.countDown();
                try {
                    if (!resume.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("test never resumed the paused sweep");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return 300_000;
        });
    }

    private static Context scripted(IntUnaryOperator remainingAtRead) {
        AtomicInteger reads = new AtomicInteger();
        // The first read sizes the lease, before anything runs beside the sweep: its thread is the sweep's.
        AtomicReference<Thread> sweepThread = new AtomicReference<>();
        return LocalLambdaContext.withRemainingTime("maintenance", () -> {
            sweepThread.compareAndSet(null, Thread.currentThread());
            return sweepThread.get() == Thread.currentThread()
                    ? remainingAtRead.applyAsInt(reads.incrementAndGet())
                    : 300_000;
        });
    }
}
