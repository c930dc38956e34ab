package dev.chathistory.userbatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.shared.testing.RecordingPowertoolsMetrics;
import java.util.List;
import org.junit.jupiter.api.Test;

class PowertoolsJobMetricsTest {

    @Test
    void flush_shouldWriteTheBatchsJobOutcomesByTheirDashboardNames_andLeaveOutZeros() {
        RecordingPowertoolsMetrics powertools = new RecordingPowertoolsMetrics();
        PowertoolsJobMetrics metrics = new PowertoolsJobMetrics(powertools.functionMetrics(1000));

        metrics.succeeded();
        metrics.succeeded();
        metrics.failed(false);
        metrics.failed(true);
        metrics.flush();

        assertThat(powertools.lastFlush()).containsEntry("JobsSucceeded", List.of(2.0))
                .containsEntry("JobAttemptsFailed", List.of(1.0))
                .containsEntry("JobsFailed", List.of(1.0))
                .doesNotContainKey("DuplicateJobDeliveries");

        metrics.skippedDuplicate();
        metrics.flush();

        assertThat(powertools.lastFlush()).as("counters start over after a flush")
                .containsOnlyKeys("DuplicateJobDeliveries");
    }
}
