package dev.chathistory.shared.lambda;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every function's SnapStart priming (its {@code beforeCheckpoint}) shares: the reserved
 * tenant it reads in, and the rule that priming never stops the checkpoint.
 *
 * <p>Priming runs once per published version, before Lambda takes the snapshot: one call through
 * every layer (handler, service, repository, SDK marshalling and HTTP client) so that restored
 * containers start with those classes loaded and initialised. It only reads, and only in
 * {@link #TENANT}, which no key can be issued for ({@code ./admin} refuses tenant ids starting
 * with {@code sys.}), so it never sees or changes a bot's data, never enqueues a job and never
 * writes an item.
 */
public final class Priming {

    /** A tenant id no key is ever issued for: the admin command refuses names starting with "sys.". */
    public static final String TENANT = "sys.snapstart-priming";

    private static final Logger LOG = LoggerFactory.getLogger(Priming.class);

    private Priming() {
    }

    /** Runs {@code priming}; a failure (no network, a denied call) is logged and never thrown. */
    public static void run(Runnable priming) {
        try {
            priming.run();
        } catch (RuntimeException e) {
            LOG.warn("priming before checkpoint failed: {}", e.getClass().getSimpleName());
        }
    }
}
