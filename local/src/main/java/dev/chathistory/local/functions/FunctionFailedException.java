package dev.chathistory.local.functions;

/** A function invocation ended in an error, as Lambda reports it: error type and message. */
public final class FunctionFailedException extends RuntimeException {

    private final String errorType;

    public FunctionFailedException(String functionId, Throwable cause) {
        super(functionId + " failed: " + cause.getClass().getName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), cause);
        this.errorType = cause.getClass().getName();
    }

    private FunctionFailedException(String message, String errorType) {
        super(message);
        this.errorType = errorType;
    }

    /**
     * A failure Lambda reports itself, not the function's code: {@code Sandbox.Timedout},
     * {@code TooManyRequestsException}, a payload over a limit.
     */
    public static FunctionFailedException of(String functionId, String errorType, String message) {
        return new FunctionFailedException(functionId + " failed: " + errorType + ": " + message, errorType);
    }

    /** Whether Lambda throttled the invocation rather than running it. */
    public boolean throttled() {
        return errorType.equals("TooManyRequestsException");
    }

    public String errorType() {
        return errorType;
    }
}
