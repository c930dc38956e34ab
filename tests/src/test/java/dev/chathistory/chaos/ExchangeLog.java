package dev.chathistory.chaos;

import dev.chathistory.local.sources.ExchangeObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps the status and {@code Retry-After} of every exchange the local HTTP API of a watched
 * port answered (registered through META-INF/services, like the contract check), so a test
 * sees every answer, the ones its client retried included.
 */
public final class ExchangeLog implements ExchangeObserver {

    /** What came back. */
    public record Answer(String method, String rawPath, int status, String retryAfter) {
    }

    private static final Map<String, List<Answer>> WATCHED = new ConcurrentHashMap<>();

    /** Starts keeping the answers of the API on {@code port}; the list fills as they come. */
    public static List<Answer> watch(int port) {
        List<Answer> answers = new CopyOnWriteArrayList<>();
        WATCHED.put(Integer.toString(port), answers);
        return answers;
    }

    public static void stopWatching(int port) {
        WATCHED.remove(Integer.toString(port));
    }

    @Override
    public void observe(Exchange exchange) {
        String host = exchange.requestHeaders().getOrDefault("host", "");
        List<Answer> answers = WATCHED.get(host.substring(host.lastIndexOf(':') + 1));
        if (answers != null) {
            answers.add(new Answer(exchange.method(), exchange.rawPath(), exchange.status(),
                    exchange.responseHeaders().get("retry-after")));
        }
    }
}
