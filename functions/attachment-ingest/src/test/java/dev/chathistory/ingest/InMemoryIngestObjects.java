package dev.chathistory.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The bucket in memory, with create-only puts like S3's {@code If-None-Match: *}, recording every write. */
final class InMemoryIngestObjects implements IngestObjects {

    private final Map<String, byte[]> objects = new TreeMap<>();
    private final List<String> writes = new ArrayList<>();
    private int downloads;
    private Runnable duringDownload = () -> { };

    synchronized void upload(String key, byte[] bytes) {
        objects.put(key, bytes);
    }

    synchronized Map<String, byte[]> objects() {
        return Map.copyOf(objects);
    }

    /** Keys that were written (created), in order; a put that found the key existing is not one. */
    synchronized List<String> writes() {
        return List.copyOf(writes);
    }

    /** Runs while an upload is read: a look at what ingestion holds at that moment. */
    synchronized void duringDownload(Runnable probe) {
        duringDownload = probe;
    }

    /** How many times an upload was read. */
    synchronized int downloads() {
        return downloads;
    }

    @Override
    public synchronized Optional<Download> download(String key, long maxBytes, Path directory)
            throws IOException, TooLargeException {
        downloads++;
        duringDownload.run();
        byte[] bytes = objects.get(key);
        if (bytes == null) {
            return Optional.empty();
        }
        if (bytes.length > maxBytes) {
            throw new TooLargeException(maxBytes);
        }
        Path file = Files.createTempFile(directory, "upload-", ".bin");
        Files.write(file, bytes);
        return Optional.of(new Download(file, bytes.length, sha256(bytes)));
    }

    @Override
    public void putImmutable(String key, Path file, String contentType) {
        try {
            putImmutable(key, Files.readAllBytes(file), contentType);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void putImmutable(String key, byte[] bytes, String contentType) {
        if (objects.putIfAbsent(key, bytes) == null) {
            writes.add(key);
        }
    }

    @Override
    public synchronized void delete(String key) {
        objects.remove(key);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
