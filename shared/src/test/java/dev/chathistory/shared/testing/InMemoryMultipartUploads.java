package dev.chathistory.shared.testing;

import dev.chathistory.shared.archive.MultipartUploads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * An honest fake of {@link MultipartUploads} completing into an {@link InMemoryObjectStore}: it
 * refuses a part below the minimum that is not the last, and an unknown or ended upload.
 */
public final class InMemoryMultipartUploads implements MultipartUploads {

    private record Upload(String key, TreeMap<Integer, byte[]> parts) {
    }

    private final InMemoryObjectStore objects;
    private final Map<String, Upload> open = new HashMap<>();

    public InMemoryMultipartUploads(InMemoryObjectStore objects) {
        this.objects = objects;
    }

    @Override
    public synchronized String start(String key, String contentType) {
        String id = UUID.randomUUID().toString();
        open.put(id, new Upload(key, new TreeMap<>()));
        return id;
    }

    @Override
    public synchronized String uploadPart(String key, String uploadId, int partNumber, Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            upload(key, uploadId).parts().put(partNumber, bytes);
            return "etag-" + partNumber + "-" + bytes.length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void complete(String key, String uploadId, List<String> partETags) {
        Upload upload = upload(key, uploadId);
        if (upload.parts().size() != partETags.size()) {
            throw new IllegalStateException("parts uploaded and parts named differ");
        }
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        int last = upload.parts().lastKey();
        upload.parts().forEach((number, bytes) -> {
            if (number != last && bytes.length < MIN_PART_BYTES) {
                throw new IllegalStateException("part " + number + " is smaller than the minimum");
            }
            whole.writeBytes(bytes);
        });
        objects.put(key, whole.toByteArray(), "application/octet-stream");
        open.remove(uploadId);
    }

    @Override
    public synchronized int abortAll(String prefix) {
        List<String> ids = open.entrySet().stream()
                .filter(e -> e.getValue().key().startsWith(prefix)).map(Map.Entry::getKey).toList();
        ids.forEach(open::remove);
        return ids.size();
    }

    /** Uploads started and not yet completed or aborted. */
    public synchronized int openUploads() {
        return open.size();
    }

    private Upload upload(String key, String uploadId) {
        Upload upload = open.get(uploadId);
        if (upload == null || !upload.key().equals(key)) {
            throw new IllegalStateException("no such upload");
        }
        return upload;
    }
}
