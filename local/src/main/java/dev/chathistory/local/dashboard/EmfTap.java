package dev.chathistory.local.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.cloudwatchlogs.emf.config.EnvironmentConfigurationProvider;
import software.amazon.cloudwatchlogs.emf.environment.Environments;

/**
 * Reads the CloudWatch embedded-metric-format documents the functions print, as CloudWatch
 * does from their log lines, and records each value in the attached {@link MetricStore}s.
 *
 * <p>The functions run in this JVM, so their stdout is this process's: the tap wraps
 * {@code System.out} once, passes every byte on unchanged, and looks at each complete line. The
 * EMF library is told it runs locally, so it prints its documents there (as in Lambda) instead
 * of looking for a CloudWatch agent.
 */
public final class EmfTap {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<MetricStore> STORES = new CopyOnWriteArrayList<>();
    private static boolean installed;

    private EmfTap() {
    }

    /** Feeds {@code store} from now on; the returned action stops that. */
    public static synchronized Runnable attach(MetricStore store) {
        if (!installed) {
            EnvironmentConfigurationProvider.getConfig().setEnvironmentOverride(Environments.Local);
            System.setOut(new PrintStream(new LineTee(System.out), true, StandardCharsets.UTF_8));
            installed = true;
        }
        STORES.add(store);
        return () -> STORES.remove(store);
    }

    /** Records the metrics of one output line, if it is an EMF document. */
    static void accept(String line, List<MetricStore> stores) {
        if (stores.isEmpty() || !line.startsWith("{") || !line.contains("\"_aws\"")) {
            return;
        }
        JsonNode document;
        try {
            document = JSON.readTree(line);
        } catch (IOException notJson) {
            return;
        }
        JsonNode aws = document.path("_aws");
        long at = aws.path("Timestamp").asLong(System.currentTimeMillis());
        for (JsonNode directive : aws.path("CloudWatchMetrics")) {
            for (JsonNode metric : directive.path("Metrics")) {
                String name = metric.path("Name").asText();
                JsonNode values = document.path(name);
                if (values.isArray()) {
                    values.forEach(v -> stores.forEach(s -> s.record(name, at, v.asDouble())));
                } else if (values.isNumber()) {
                    stores.forEach(s -> s.record(name, at, values.asDouble()));
                }
            }
        }
    }

    /** Passes output on and hands each complete line to {@link #accept}. */
    private static final class LineTee extends OutputStream {
        private final OutputStream out;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineTee(OutputStream out) {
            this.out = out;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            out.write(b);
            take(b);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            for (int i = offset; i < offset + length; i++) {
                take(bytes[i]);
            }
        }

        @Override
        public synchronized void flush() throws IOException {
            out.flush();
        }

        private void take(int b) {
            if (b == '\n') {
                String complete = line.toString(StandardCharsets.UTF_8);
                line.reset();
                try {
                    accept(complete, STORES);
                } catch (RuntimeException e) {
                    // A figure lost to an odd line must never break the process's output.
                }
            } else if (line.size() < 1_000_000) {
                line.write(b);
            }
        }
    }
}
