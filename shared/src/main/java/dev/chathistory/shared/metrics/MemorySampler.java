package dev.chathistory.shared.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The container's memory after an invocation, every {@code every}-th invocation and the first:
 * {@code HeapUsed} (the JVM heap in use) and {@code ResidentMemory} (the process's resident set,
 * what Lambda's memory limit is measured against). Sampling keeps the figures cheap; a container
 * serves one invocation at a time, so a sample every few is enough to see growth.
 */
public final class MemorySampler {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final double MIB = 1024.0 * 1024.0;

    private final int every;
    private final LongSupplier heapUsedBytes;
    private final ResidentSet residentSet;
    private long invocations;

    /** How the resident set is read; empty where the platform does not say (not Linux). */
    @FunctionalInterface
    public interface ResidentSet {
        OptionalLong bytes();
    }

    public MemorySampler(int every, LongSupplier heapUsedBytes, ResidentSet residentSet) {
        if (every < 1) {
            throw new IllegalArgumentException("every must be at least 1");
        }
        this.every = every;
        this.heapUsedBytes = heapUsedBytes;
        this.residentSet = residentSet;
    }

    /** This JVM's heap and, on Linux, its resident set from {@code /proc/self/status}. */
    public static MemorySampler ofThisProcess(int every) {
        Runtime runtime = Runtime.getRuntime();
        return new MemorySampler(every, () -> runtime.totalMemory() - runtime.freeMemory(),
                MemorySampler::residentSetFromProc);
    }

    /**
     * Counts an invocation and adds the sample when it is due.
     *
     * @return whether a sample was added
     */
    public synchronized boolean sampleInto(MetricSink sink) {
        boolean due = invocations++ % every == 0;
        if (!due) {
            return false;
        }
        sink.add("HeapUsed", heapUsedBytes.getAsLong() / MIB, MetricUnit.MEGABYTES);
        residentSet.bytes().ifPresent(bytes -> sink.add("ResidentMemory", bytes / MIB, MetricUnit.MEGABYTES));
        return true;
    }

    static OptionalLong residentSetFromProc() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    // "VmRSS:     123456 kB"
                    String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // Not Linux, or a sandbox hiding /proc: the heap figure still goes out.
        }
        return OptionalLong.empty();
    }
}
