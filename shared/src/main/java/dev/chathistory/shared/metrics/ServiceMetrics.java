package dev.chathistory.shared.metrics;

/**
 * The business metrics the service emits. Functions back it with CloudWatch EMF; tests count.
 */
public interface ServiceMetrics {

    void messageAppended();

    void idempotentReplay();

    /** An optimistic-locking loss: a stale {@code If-Match} on a message or settings write. */
    void versionConflict();

    void cacheHit(String cacheName);

    void cacheMiss(String cacheName);

    static ServiceMetrics noop() {
        return new ServiceMetrics() {
            @Override
            public void messageAppended() {
            }

            @Override
            public void idempotentReplay() {
            }

            @Override
            public void versionConflict() {
            }

            @Override
            public void cacheHit(String cacheName) {
            }

            @Override
            public void cacheMiss(String cacheName) {
            }
        };
    }
}
