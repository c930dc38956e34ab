package dev.chathistory.shared.attachments;

import dev.chathistory.shared.model.ChatRef;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Attachment records (one per message and attachment, in the chat's partition) and the blob
 * records they refer to (one per tenant and content hash: a ready attachment refers to its own
 * tenant's blob, never another's). Every write that joins
 * the two is one transaction, so a blob's reference count always equals the number of ready
 * attachments that point at it.
 */
public interface AttachmentRepository {

    /** What became of a request to record a pending upload. */
    enum CreateOutcome { CREATED, MESSAGE_GONE }

    /** What became of a request to mark an upload ready. */
    enum ReadyOutcome {
        READY,
        /** Already ready or rejected (a repeated event), or its record expired: nothing changed. */
        NOT_PENDING,
        /** The blob record is missing, not yet stored, or being swept: store it (again) and retry. */
        BLOB_UNAVAILABLE,
        /** The message was deleted or is no longer a hot message: nothing changed. */
        MESSAGE_GONE
    }

    /**
     * Records a pending upload if its message exists and is not deleted, in one transaction.
     * {@code expiresAt} lets an upload that never arrives disappear by itself.
     */
    default CreateOutcome createPending(ChatRef chat, Attachment pending, Instant expiresAt) {
        return createPending(chat, pending, expiresAt, null);
    }

    /**
     * As above, due for the retention sweep at {@code retainUntil}, when its message expires
     * (null: kept). DynamoDB's TTL cannot remove a ready attachment, whose blob reference must be
     * given back; the sweep finds it through this due time instead.
     */
    CreateOutcome createPending(ChatRef chat, Attachment pending, Instant expiresAt, Instant retainUntil);

    /** Moves an attachment's due time for the retention sweep (null: never due); false if it is gone. */
    boolean setRetainUntil(AttachmentRef attachment, Instant retainUntil);

    /** Attachments (of any tenant) due for the retention sweep before {@code before}, up to {@code limit}. */
    List<AttachmentRef> listDueAttachments(Instant before, int limit);

    Optional<Attachment> find(ChatRef chat, String messageId, String attachmentId);

    /** Every attachment of a message, oldest first. */
    List<Attachment> list(ChatRef chat, String messageId);

    /** Every attachment in the chat, by message then oldest first: one read for bulk work. */
    List<Attachment> listInChat(ChatRef chat);

    /**
     * Claims a pending upload for one ingestion ({@code holder}) until {@code leaseUntil}: one
     * conditional write from pending, or from processing whose lease ran out before {@code now}
     * (an ingestion that died). False if another holds a live lease, or it is decided or gone.
     */
    boolean claim(ChatRef chat, String messageId, String attachmentId, String holder, Instant now,
                  Instant leaseUntil);

    /** Gives a claim back (processing to pending), only if {@code holder} still holds it. */
    void releaseClaim(ChatRef chat, String messageId, String attachmentId, String holder);

    /**
     * Marks a pending or claimed upload ready, adds a reference to its blob and checks its message
     * is still there, all in one transaction.
     */
    ReadyOutcome markReady(ChatRef chat, Attachment ready);

    /** Marks a pending or claimed upload rejected, kept until {@code expiresAt}; false if already decided. */
    boolean markRejected(ChatRef chat, Attachment rejected, Instant expiresAt);

    /**
     * Removes an attachment record; a ready one gives its blob reference back in the same
     * transaction, and a blob left with none becomes eligible for the sweep from {@code now}.
     * Repeating it is harmless.
     */
    void drop(ChatRef chat, Attachment attachment, Instant now);

    Optional<Blob> findBlob(BlobId blob);

    /** Records a new, unreferenced, not yet stored blob; false if the tenant has one with this hash. */
    boolean createBlob(Blob blob);

    /** Notes that a blob's objects are in the bucket, so attachments may refer to it. */
    void markBlobStored(BlobId blob);

    /** Blobs (of any tenant) that have had no reference since before {@code before}, up to {@code limit}. */
    List<BlobId> listUnreferencedBlobs(Instant before, int limit);

    /**
     * Claims an unreferenced blob for deletion if it still has no reference and has had none
     * since before {@code before}. From then on no attachment can refer to it.
     */
    boolean beginBlobDeletion(BlobId blob, Instant before);

    /** Removes the record of a blob claimed for deletion, after its objects are gone. */
    void finishBlobDeletion(BlobId blob);
}
