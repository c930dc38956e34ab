package dev.chathistory.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.shared.attachments.RejectionReason;
import dev.chathistory.shared.testing.RecordingPowertoolsMetrics;
import java.util.List;
import org.junit.jupiter.api.Test;

class PowertoolsIngestMetricsTest {

    @Test
    void flush_shouldWriteEachIngestOutcomeByItsDashboardName() {
        RecordingPowertoolsMetrics powertools = new RecordingPowertoolsMetrics();
        PowertoolsIngestMetrics metrics = new PowertoolsIngestMetrics(powertools.functionMetrics(1000));

        metrics.ready();
        metrics.ready();
        metrics.rejected(RejectionReason.UNSUPPORTED_TYPE);
        metrics.newBlob();
        metrics.duplicateBlob();
        metrics.alreadyClaimed();
        metrics.flush();

        assertThat(powertools.lastFlush()).containsEntry("AttachmentsReady", List.of(2.0))
                .containsEntry("AttachmentsRejected", List.of(1.0))
                .containsEntry("BlobsStored", List.of(1.0))
                .containsEntry("DuplicateUploads", List.of(1.0))
                .containsEntry("UploadsAlreadyClaimed", List.of(1.0));
    }
}
