package dev.chathistory.ingest.image;

import dev.chathistory.shared.attachments.RejectionReason;

/** Turns what a decoder threw into a rejection, unless it was our own failure. */
final class DecodeFailures {

    private DecodeFailures() {
    }

    /**
     * A {@code CORRUPT_IMAGE} rejection for a decoder's exception. Decoders throw all sorts on
     * damaged data (IIOException, EOFException, IndexOutOfBounds...), and every one of them
     * means the same to us. But the JDK's PNG reader also wraps any Throwable, OutOfMemoryError
     * included, in an IIOException: an Error anywhere in the chain is rethrown, so running out
     * of memory fails the invocation (which is retried) instead of rejecting a good image for
     * good.
     *
     * @param stage what was being read, for the message: never anything from the file
     */
    static RejectedImageException corrupt(String stage, Exception failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof Error error) {
                throw error;
            }
        }
        return new RejectedImageException(RejectionReason.CORRUPT_IMAGE,
                stage + " unreadable: " + failure.getClass().getSimpleName());
    }
}
