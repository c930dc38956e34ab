package dev.chathistory.maintenance;

import dev.chathistory.shared.config.Settings;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the orphaned-chunk sweep, read once per container.
 *
 * @param dataBucket  the bucket holding the archive chunks ({@code DATA_BUCKET})
 * @param gracePeriod an unnamed chunk younger than this is left alone ({@code ARCHIVE_GRACE_HOURS},
 *                    default 24). It must exceed the longest time from a chunk's upload to its
 *                    manifest commit, which is the job function's timeout (minutes), so an hour is
 *                    the least it may be.
 */
public record ArchiveSweepConfig(String dataBucket, Duration gracePeriod) {

    public ArchiveSweepConfig {
        Objects.requireNonNull(dataBucket, "dataBucket");
        Objects.requireNonNull(gracePeriod, "gracePeriod");
    }

    public static ArchiveSweepConfig fromEnvironment(Map<String, String> env) {
        return new ArchiveSweepConfig(Settings.required(env, "DATA_BUCKET"),
                // Same bounds as the template's ArchiveGraceHours parameter.
                Duration.ofHours(Settings.intValue(env, "ARCHIVE_GRACE_HOURS", 24, 1, 24 * 365)));
    }
}
