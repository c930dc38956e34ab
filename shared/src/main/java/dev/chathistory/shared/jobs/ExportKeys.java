package dev.chathistory.shared.jobs;

import dev.chathistory.shared.model.UserRef;
import java.util.Optional;

/**
 * Where exports live in the data bucket: {@code exports/{tenant}/{user}/{jobId}.jsonl.gz} (and,
 * while one is written, its carries beside it). The export job writes there, an erase and the
 * retention sweep delete there.
 */
public final class ExportKeys {

    public static final String PREFIX = "exports/";

    private ExportKeys() {
    }

    /** Every export object of the user starts with this. */
    public static String prefix(UserRef user) {
        return PREFIX + user.tenantId() + "/" + user.userId() + "/";
    }

    /** Whose export the object is; empty for a key not shaped like one. */
    public static Optional<UserRef> ownerOf(String key) {
        if (!key.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = key.substring(PREFIX.length()).split("/", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new UserRef(parts[0], parts[1]));
    }
}
