package dev.chathistory.maintenance;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** Objects with their write times, listed in key order like S3; writes are stamped by the clock. */
final class InMemoryArchiveObjects implements ArchiveObjects {

    private final TreeMap<String, Instant> objects = new TreeMap<>();
    private final Clock clock;
    private final List<String> deleted = new ArrayList<>();
    private Runnable afterListing = () -> { };

    InMemoryArchiveObjects(Clock clock) {
        this.clock = clock;
    }

    void put(String key) {
        objects.put(key, clock.instant());
    }

    /** Runs once after the next listing, to write between the sweep's listing and its decision. */
    void afterNextListing(Runnable hook) {
        this.afterListing = hook;
    }

    boolean contains(String key) {
        return objects.containsKey(key);
    }

    List<String> deleted() {
        return List.copyOf(deleted);
    }

    @Override
    public Page listAfter(String startAfter, int limit) {
        var tail = startAfter == null ? objects : objects.tailMap(startAfter, false);
        List<StoredObject> page = tail.entrySet().stream().limit(limit)
                .map(e -> new StoredObject(e.getKey(), e.getValue())).toList();
        Runnable hook = afterListing;
        afterListing = () -> { };
        hook.run();
        return new Page(page, tail.size() > limit);
    }

    @Override
    public Optional<Instant> lastModified(String key) {
        return Optional.ofNullable(objects.get(key));
    }

    @Override
    public void delete(String key) {
        if (objects.remove(key) != null) {
            deleted.add(key);
        }
    }
}
