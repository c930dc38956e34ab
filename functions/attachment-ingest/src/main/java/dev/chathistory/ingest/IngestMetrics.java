package dev.chathistory.ingest;

import dev.chathistory.shared.attachments.RejectionReason;

/** What ingestion counts; Powertools EMF in Lambda, a recorder in tests. */
public interface IngestMetrics {

    void ready();

    void rejected(RejectionReason reason);

    /** Bytes stored for the first time. */
    void newBlob();

    /** Bytes already stored: no new object, no thumbnail. */
    void duplicateBlob();

    /** An event for an upload another ingestion holds: acknowledged, nothing read. */
    void alreadyClaimed();

    void flush();
}
