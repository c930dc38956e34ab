package dev.chathistory.shared.repository;

/** A conditional settings write lost against another writer. */
public final class StaleSettingsVersionException extends RuntimeException {

    private final long currentVersion;

    public StaleSettingsVersionException(long currentVersion) {
        super("settings version changed", null, false, false);
        this.currentVersion = currentVersion;
    }

    public long currentVersion() {
        return currentVersion;
    }
}
