package dev.chathistory.maintenance;

import dev.chathistory.shared.attachments.AttachmentRepository;
import dev.chathistory.shared.attachments.BlobId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Deletes images no attachment has referred to for the grace period, each tenant's blobs on their
 * own (one tenant's reference never keeps another's copy). Each blob is first claimed
 * in DynamoDB (only if it still has no reference), which stops any ingestion from referring to
 * it; then its objects go; then its record. A run cut short leaves the claim, and the next run
 * finishes the job, since the blob stays in the index until its record is gone.
 */
public final class UnreferencedBlobSweep {

    /** Blobs looked at per run; the rest wait for the next one. */
    static final int MAX_PER_RUN = 1000;

    private final AttachmentRepository attachments;
    private final Consumer<String> deleteObject;
    private final Clock clock;
    private final Duration gracePeriod;

    public UnreferencedBlobSweep(AttachmentRepository attachments, Consumer<String> deleteObject, Clock clock,
                                 Duration gracePeriod) {
        this.attachments = attachments;
        this.deleteObject = deleteObject;
        this.clock = clock;
        this.gracePeriod = gracePeriod;
    }

    /** Lists the blobs unreferenced since before 1970 (there are none), for priming before a snapshot. */
    void prime() {
        attachments.listUnreferencedBlobs(Instant.EPOCH, 1);
    }

    /** Returns how many blobs were deleted. */
    public int run(TimeBudget budget) {
        Instant cutoff = clock.instant().minus(gracePeriod);
        int deleted = 0;
        for (BlobId blob : attachments.listUnreferencedBlobs(cutoff, MAX_PER_RUN)) {
            if (budget.exhausted()) {
                break;
            }
            // The index is eventually consistent: the claim re-checks the count on the item.
            if (attachments.beginBlobDeletion(blob, cutoff)) {
                deleteObject.accept(blob.thumbnailKey());
                deleteObject.accept(blob.objectKey());
                attachments.finishBlobDeletion(blob);
                deleted++;
            }
        }
        return deleted;
    }
}
