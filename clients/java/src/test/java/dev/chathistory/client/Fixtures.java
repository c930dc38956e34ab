package dev.chathistory.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.random.RandomGenerator;

/** Response bodies as the service writes them, and a client wired for tests. */
final class Fixtures {

    static final String API_KEY = "chk_s3cretS3cretS3cretS3cretS3cretS3cretS3cr";

    private Fixtures() {
    }

    static String message(String messageId, long version) {
        return message(messageId, version, "hello");
    }

    static String message(String messageId, long version, String text) {
        return """
                {"chatId":"chat-1","messageId":"%s","userId":"alice","isBot":false,"text":"%s",
                 "metadata":null,"version":%d,"parentVersion":%s,"deleted":false,
                 "createdAt":"2024-05-01T12:00:00.000Z","editedAt":null}"""
                .formatted(messageId, text, version, version == 1 ? "null" : String.valueOf(version - 1));
    }

    static String page(String cursor, String... items) {
        return "{\"items\":[" + String.join(",", items) + "],\"nextCursor\":"
                + (cursor == null ? "null" : "\"" + cursor + "\"") + "}";
    }

    static String job(String status) {
        return """
                {"jobId":"job-1","type":"recount","userId":"alice","chatId":null,"status":"%s","attempts":0,
                 "counts":{},"error":null,"resultUrl":null,"resultUrlExpiresAt":null,
                 "createdAt":"2024-05-01T12:00:00.000Z","updatedAt":"2024-05-01T12:00:00.000Z",
                 "nextAttemptAt":null}""".formatted(status);
    }

    static String error(String code, String message) {
        return "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\",\"requestId\":\"req-1\"}}";
    }

    /** Records every wait instead of waiting. */
    static final class RecordingSleeper implements Sleeper {

        final List<Duration> delays = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void sleep(Duration duration) {
            delays.add(duration);
        }
    }

    /** Always the same "random" number, so jittered delays are predictable. */
    static RandomGenerator fixedRandom(double value) {
        return new RandomGenerator() {
            /** The same fixed value, as the 64 random bits the default nextDouble() would read it from. */
            @Override
            public long nextLong() {
                return (long) (value * 0x1.0p53) << 11;
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }

    static ChatHistoryClient.Builder clientFor(ScriptedServer server, Sleeper sleeper) {
        return ChatHistoryClient.builder()
                .baseUri(server.baseUri())
                .apiKey(API_KEY)
                .requestTimeout(Duration.ofSeconds(5))
                .sleeper(sleeper)
                .random(fixedRandom(0.5));
    }
}
