package dev.chathistory.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.shared.attachments.AttachmentRepository;
import dev.chathistory.shared.config.AttachmentsConfig;
import dev.chathistory.shared.retry.ConflictRetry;
import dev.chathistory.shared.testing.CallRecorder;
import dev.chathistory.shared.testing.InMemoryAttachmentRepository;
import dev.chathistory.shared.testing.InMemoryMessageRepository;
import dev.chathistory.shared.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SnapStart priming reads the record and the upload of an attachment that exists nowhere, runs
 * the image code on its own image, and leaves no record, object, metric or file behind.
 */
class IngestPrimingTest {

    @TempDir
    Path work;

    private final CallRecorder recorder = new CallRecorder();
    private final RecordingIngestMetrics metrics = new RecordingIngestMetrics();

    private AttachmentIngestHandler handler(IngestObjects objects) {
        Ingestion ingestion = new Ingestion(
                recorder.wrap(AttachmentRepository.class, new InMemoryAttachmentRepository(new InMemoryMessageRepository())),
                recorder.wrap(IngestObjects.class, objects), AttachmentsConfig.defaults(),
                new MutableClock(Instant.parse("2026-11-28T10:00:00Z")), work, ConflictRetry.defaults(), metrics);
        return new AttachmentIngestHandler(ingestion, "attachments", () -> { });
    }

    @Test
    void priming_shouldOnlyRead_andCleanUpItsImage() throws IOException {
        handler(new InMemoryIngestObjects()).beforeCheckpoint(null);

        assertThat(recorder.calls()).containsExactly("AttachmentRepository.find", "IngestObjects.download");
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left).as("temporary files").isEmpty();
        }
    }

    @Test
    void priming_shouldNeverStopTheCheckpoint() {
        IngestObjects offline = (IngestObjects) java.lang.reflect.Proxy.newProxyInstance(
                IngestObjects.class.getClassLoader(), new Class<?>[] {IngestObjects.class}, (proxy, method, args) -> {
                    throw new IllegalStateException("no network before the snapshot");
                });

        handler(offline).beforeCheckpoint(null);

        assertThat(recorder.calls()).containsExactly("AttachmentRepository.find", "IngestObjects.download");
    }
}
