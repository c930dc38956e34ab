package dev.chathistory.ingest;

import dev.chathistory.shared.attachments.RejectionReason;
import java.util.ArrayList;
import java.util.List;

/** Remembers what ingestion counted. */
final class RecordingIngestMetrics implements IngestMetrics {

    final List<String> events = new ArrayList<>();
    int flushes;

    @Override
    public synchronized void ready() {
        events.add("ready");
    }

    @Override
    public synchronized void rejected(RejectionReason reason) {
        events.add("rejected:" + reason.code());
    }

    @Override
    public synchronized void newBlob() {
        events.add("newBlob");
    }

    @Override
    public synchronized void duplicateBlob() {
        events.add("duplicateBlob");
    }

    @Override
    public synchronized void alreadyClaimed() {
        events.add("alreadyClaimed");
    }

    @Override
    public synchronized void flush() {
        flushes++;
    }
}
