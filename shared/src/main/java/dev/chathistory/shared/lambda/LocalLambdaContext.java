package dev.chathistory.shared.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.IntSupplier;

/**
 * A Lambda context for invocations outside the Lambda runtime: the local runner and tests call
 * handlers in-process with it.
 */
public final class LocalLambdaContext implements Context {

    private final String requestId = UUID.randomUUID().toString();
    private final String functionName;
    private final IntSupplier remainingMillis;
    private final int memoryMb;

    public LocalLambdaContext() {
        this("local", 10, 1024);
    }

    /** A context whose time runs out {@code timeoutSeconds} from now, as Lambda's does. */
    public LocalLambdaContext(String functionName, int timeoutSeconds, int memoryMb) {
        this(functionName, memoryMb, deadline(System.currentTimeMillis() + timeoutSeconds * 1000L));
    }

    private LocalLambdaContext(String functionName, int memoryMb, IntSupplier remainingMillis) {
        this.functionName = functionName;
        this.remainingMillis = remainingMillis;
        this.memoryMb = memoryMb;
    }

    /**
     * A context whose remaining time the caller decides on each read: tests of code that stops
     * when time runs low.
     */
    public static LocalLambdaContext withRemainingTime(String functionName, IntSupplier remainingMillis) {
        return new LocalLambdaContext(functionName, 1024, remainingMillis);
    }

    private static IntSupplier deadline(long deadlineMillis) {
        return () -> (int) Math.max(0, deadlineMillis - System.currentTimeMillis());
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "test";
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:us-east-1:000000000000:function:" + functionName;
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
    public int getRemainingTimeInMillis() {
        return remainingMillis.getAsInt();
    }

    @Override
    public int getMemoryLimitInMB() {
        return memoryMb;
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                System.out.print(message);
            }

            @Override
            public void log(byte[] message) {
                System.out.print(new String(message, StandardCharsets.UTF_8));
            }
        };
    }
}
