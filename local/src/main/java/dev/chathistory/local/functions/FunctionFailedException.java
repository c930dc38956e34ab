package dev.chathistory.local.functions;

/** A function invocation ended in an error, as Lambda reports it: error type and message. */
public final class FunctionFailedException extends RuntimeException {

    private final String errorType;

    public FunctionFailedException(String functionId, Throwable cause) {
        super(functionId + " failed: " + cause.getClass().getName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), cause);
        this.errorType = cause.getClass().getName();
    }

    public String errorType() {
        return errorType;
    }
}
