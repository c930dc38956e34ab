package dev.chathistory.shared.testing;

import dev.chathistory.shared.archive.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** An honest fake of {@link ObjectStore}; download URLs name the key and the validity. */
public final class InMemoryObjectStore implements ObjectStore, HeldItems {

    private final TreeMap<String, byte[]> objects = new TreeMap<>();

    @Override
    public synchronized void put(String key, byte[] bytes, String contentType) {
        objects.put(key, bytes.clone());
    }

    @Override
    public void put(String key, Path file, String contentType) {
        try {
            put(key, Files.readAllBytes(file), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized Optional<byte[]> get(String key) {
        return Optional.ofNullable(objects.get(key)).map(byte[]::clone);
    }

    @Override
    public synchronized void delete(String key) {
        objects.remove(key);
    }

    @Override
    public synchronized List<String> list(String prefix) {
        return objects.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
    }

    @Override
    public String downloadUrl(String key, Duration validFor) {
        return "https://objects.test/" + key + "?expires=" + validFor.getSeconds();
    }

    /**
     * Every object, by key, naming no tenant: keys are the callers' business, so objects count as
     * shared here, as they did for the reflective ledger this replaced.
     */
    @Override
    public synchronized List<HeldItem> heldItems() {
        List<HeldItem> items = new ArrayList<>();
        objects.forEach((key, bytes) -> items.add(HeldItem.of("objects", key, "bytes#" + Arrays.hashCode(bytes))));
        return items;
    }
}
