package dev.chathistory.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.shared.testing.RecordingPowertoolsMetrics;
import java.util.List;
import org.junit.jupiter.api.Test;

class PowertoolsMaintenanceMetricsTest {

    @Test
    void flush_shouldWriteEachMaintenanceFigureByItsDashboardName() {
        RecordingPowertoolsMetrics powertools = new RecordingPowertoolsMetrics();
        PowertoolsMaintenanceMetrics metrics = new PowertoolsMaintenanceMetrics(powertools.functionMetrics(1000));

        metrics.jobsEnqueued(4);
        metrics.staleJobsExpired(1);
        metrics.deadLetterQueue(3, 120);
        metrics.orphanedChunksDeleted(0);
        metrics.jobsRedriven(2);
        metrics.flush();

        assertThat(powertools.lastFlush()).containsEntry("JobsEnqueued", List.of(4.0))
                .containsEntry("StaleJobsExpired", List.of(1.0))
                .containsEntry("DeadLetterQueueDepth", List.of(3.0))
                .containsEntry("DeadLetterQueueOldestAgeSeconds", List.of(120.0))
                .containsEntry("OrphanedChunksDeleted", List.of(0.0))
                .containsEntry("JobsRedriven", List.of(2.0));
    }
}
