package dev.chathistory.local.sources;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Sees every exchange the local HTTP API answers (not the {@code /_local} admin ones), after
 * the response is complete and before the client receives it. Implementations are found with
 * {@link ServiceLoader}, so a test classpath can check every request any test makes against
 * the API contract without each test wiring anything; {@code ./run-local} ships none.
 */
public interface ExchangeObserver {

    /**
     * One request and its response. Header names are lower case; a repeated header's values
     * are joined with commas, as API Gateway joins them.
     */
    record Exchange(String method, String rawPath, String rawQuery, Map<String, String> requestHeaders,
                    byte[] requestBody, int status, Map<String, String> responseHeaders, byte[] responseBody) {
    }

    /** Must not throw: it runs on the gateway's request thread. */
    void observe(Exchange exchange);

    /** The observers on the class path, loaded once. */
    static List<ExchangeObserver> installed() {
        return Installed.OBSERVERS;
    }

    /** Holder, so the service lookup runs on first use rather than on interface load. */
    final class Installed {
        private static final List<ExchangeObserver> OBSERVERS = ServiceLoader.load(ExchangeObserver.class)
                .stream().map(ServiceLoader.Provider::get).toList();

        private Installed() {
        }
    }
}
