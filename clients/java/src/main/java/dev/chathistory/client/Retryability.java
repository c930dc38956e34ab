package dev.chathistory.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.util.Set;

/** Which failures a request may be sent again after, by whether a repeat could apply it twice. */
enum Retryability {

    /**
     * A repeat cannot apply twice: reads, settings PUTs, edits and deletes carrying
     * {@code If-Match} (a repeat gets 412), appends carrying an {@code Idempotency-Key}, and
     * PUTs of upload bytes. So every transient failure is retried, also a lost response.
     */
    IDEMPOTENT(Set.of(429, 502, 503, 504)) {
        @Override
        boolean retriesAfter(IOException failure) {
            return true;
        }
    },

    /**
     * A repeat could do the work twice (a second job, a second upload record): retried only
     * when the first attempt certainly did nothing. The service answers 429 and 503 before
     * doing any work, and a connection that was never opened carried no request; a 502, 504
     * or lost response may hide work that was done.
     */
    NOT_IDEMPOTENT(Set.of(429, 503)) {
        @Override
        boolean retriesAfter(IOException failure) {
            return failure instanceof ConnectException || failure instanceof HttpConnectTimeoutException;
        }
    };

    private final Set<Integer> retriedStatuses;

    Retryability(Set<Integer> retriedStatuses) {
        this.retriedStatuses = retriedStatuses;
    }

    boolean retries(int status) {
        return retriedStatuses.contains(status);
    }

    abstract boolean retriesAfter(IOException failure);
}
