package dev.chathistory.maintenance;

import java.util.Optional;

final class InMemoryArchiveSweepPosition implements ArchiveSweepPosition {

    private String startAfter;

    @Override
    public Optional<String> read() {
        return Optional.ofNullable(startAfter);
    }

    @Override
    public void save(String startAfter) {
        this.startAfter = startAfter;
    }
}
