package dev.chathistory.userbatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A whole default batch (JobsBatchSize, 50) runs at once, and 50 exports still fit /tmp. */
class BatchConfigTest {

    @Test
    void defaults_shouldRunFiftyRecordsAtOnce_withPartsThatFitHalfOfTmp() {
        BatchConfig batch = BatchConfig.fromEnvironment(Map.of());

        assertThat(batch.concurrency()).isEqualTo(50);
        assertThat(batch.export().partBytes()).isEqualTo(5L * 1024 * 1024);
        assertThat(batch.export().partBytes() * batch.concurrency())
                .isLessThanOrEqualTo(BatchConfig.EPHEMERAL_STORAGE_BYTES / 2);
    }

    @Test
    void fiftyExportsOfEightMegabyteParts_shouldNotStart() {
        assertThatThrownBy(() -> BatchConfig.fromEnvironment(Map.of("EXPORT_PART_MB", "8")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("half of /tmp");
        assertThat(BatchConfig.fromEnvironment(Map.of("EXPORT_PART_MB", "8", "BATCH_CONCURRENCY", "32"))
                .concurrency()).isEqualTo(32);
    }

    @Test
    void concurrency_shouldFollowTheEnvironment() {
        assertThat(BatchConfig.fromEnvironment(Map.of("BATCH_CONCURRENCY", "10")).concurrency()).isEqualTo(10);
        assertThat(new BatchConfig(7, Duration.ofSeconds(1), Duration.ofSeconds(2), 5, Duration.ofSeconds(1))
                .concurrency()).isEqualTo(7);
    }
}
