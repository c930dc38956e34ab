package dev.chathistory.tests;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * What each test JVM saw, kept where a verdict over the whole run can read it. Failsafe runs the
 * integration tests in several forks (tests/pom.xml), so an in-memory log only holds its own
 * fork's share. Each fork rewrites its own file of a kind under {@code target/it-records}; the
 * build empties that directory before the integration tests start, so every file there is from
 * this run.
 */
public final class ForkRecords {

    private static final Path DIRECTORY = Path.of("target", "it-records");
    private static final String THIS_FORK = ProcessHandle.current().pid() + "-"
            + UUID.randomUUID().toString().substring(0, 8);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ForkRecords() {
    }

    /** Replaces this fork's record of {@code kind} with {@code value}. */
    public static void save(String kind, Object value) {
        try {
            Files.createDirectories(DIRECTORY);
            Path target = DIRECTORY.resolve(kind + "-" + THIS_FORK + ".json");
            Path partial = DIRECTORY.resolve(kind + "-" + THIS_FORK + ".partial");
            JSON.writeValue(partial.toFile(), value);
            // A reader in another fork sees the old record or the new one, never half of one.
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every fork's record of {@code kind}, in no particular order. */
    public static <T> List<T> readAll(String kind, TypeReference<T> type) {
        if (!Files.isDirectory(DIRECTORY)) {
            return List.of();
        }
        List<T> records = new ArrayList<>();
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(kind + "-")
                    && f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                records.add(JSON.readValue(file.toFile(), type));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return records;
    }

    /** Runs {@code action} while no other fork runs one under the same {@code name}. */
    public static <T> T exclusively(String name, Callable<T> action) throws Exception {
        Files.createDirectories(DIRECTORY);
        try (FileChannel channel = FileChannel.open(DIRECTORY.resolve(name + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            return action.call();
        }
    }
}
