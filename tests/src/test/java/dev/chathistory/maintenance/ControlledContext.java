package dev.chathistory.maintenance;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import dev.chathistory.shared.lambda.LocalLambdaContext;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

/**
 * A Lambda context whose remaining time the test scripts per read. The sweep reads it once to
 * size its lease, then once before each page.
 */
final class ControlledContext implements Context {

    private final Context base = new LocalLambdaContext("maintenance", 300, 1024);
    private final AtomicInteger reads = new AtomicInteger();
    private final IntUnaryOperator remainingAtRead;

    private ControlledContext(IntUnaryOperator remainingAtRead) {
        this.remainingAtRead = remainingAtRead;
    }

    /** Plenty of time for {@code pages} pages, then less than the margin. */
    static ControlledContext timeForPages(int pages) {
        return new ControlledContext(read -> read <= pages + 1 ? 300_000 : 1_000);
    }

    /**
     * Takes the lease, then stops before its first page: counts {@code paused} down and waits for
     * {@code resume} (bounded, so a broken test cannot hang the build).
     */
    static ControlledContext pausingAfterTheLease(CountDownLatch paused, CountDownLatch resume) {
        return new ControlledContext(read -> {
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

    @Override
    public int getRemainingTimeInMillis() {
        return remainingAtRead.applyAsInt(reads.incrementAndGet());
    }

    @Override
    public String getAwsRequestId() {
        return base.getAwsRequestId();
    }

    @Override
    public String getLogGroupName() {
        return base.getLogGroupName();
    }

    @Override
    public String getLogStreamName() {
        return base.getLogStreamName();
    }

    @Override
    public String getFunctionName() {
        return base.getFunctionName();
    }

    @Override
    public String getFunctionVersion() {
        return base.getFunctionVersion();
    }

    @Override
    public String getInvokedFunctionArn() {
        return base.getInvokedFunctionArn();
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getMemoryLimitInMB() {
        return base.getMemoryLimitInMB();
    }

    @Override
    public LambdaLogger getLogger() {
        return base.getLogger();
    }
}
