package dev.chathistory.shared.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.shared.testing.RecordingPowertoolsMetrics;
import java.util.List;
import org.junit.jupiter.api.Test;

class PowertoolsServiceMetricsTest {

    @Test
    void flush_shouldWriteEachServiceMetricByItsDashboardName() {
        RecordingPowertoolsMetrics powertools = new RecordingPowertoolsMetrics();
        PowertoolsServiceMetrics metrics = new PowertoolsServiceMetrics(powertools.functionMetrics(1000));

        metrics.messageAppended();
        metrics.messageAppended();
        metrics.idempotentReplay();
        metrics.versionConflict();
        metrics.cacheHit("Settings");
        metrics.cacheMiss("Settings");
        metrics.flush();

        assertThat(powertools.lastFlush()).containsEntry("MessagesAppended", List.of(1.0, 1.0))
                .containsEntry("IdempotentReplays", List.of(1.0))
                .containsEntry("VersionConflicts", List.of(1.0))
                .containsEntry("SettingsCacheHits", List.of(1.0))
                .containsEntry("SettingsCacheMisses", List.of(1.0));
    }
}
