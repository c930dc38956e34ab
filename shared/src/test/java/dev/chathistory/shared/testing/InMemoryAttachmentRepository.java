package dev.chathistory.shared.testing;

import dev.chathistory.shared.attachments.Attachment;
import dev.chathistory.shared.attachments.AttachmentRef;
import dev.chathistory.shared.attachments.AttachmentRepository;
import dev.chathistory.shared.attachments.AttachmentStatus;
import dev.chathistory.shared.attachments.Blob;
import dev.chathistory.shared.attachments.BlobId;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.repository.MessageRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An honest fake of {@link AttachmentRepository}: the same conditions and the same
 * all-or-nothing joins of attachment, blob and message, under one lock. Its contract with the
 * DynamoDB repository is {@code AttachmentRepositoryContract}.
 */
public final class InMemoryAttachmentRepository implements AttachmentRepository, HeldItems {

    private record Key(ChatRef chat, String messageId) {
    }

    private record Claim(String holder, Instant leaseUntil) {
    }

    private record ClaimKey(ChatRef chat, String messageId, String attachmentId) {
    }

    private final MessageRepository messages;
    private final Map<Key, TreeMap<String, Attachment>> attachments = new HashMap<>();
    private final Map<BlobId, Blob> blobs = new HashMap<>();
    private final Map<BlobId, Instant> orphanedSince = new HashMap<>();
    /** Attachments due for the retention sweep; a dropped attachment's entry no longer counts. */
    private final Map<AttachmentRef, Instant> dueAt = new HashMap<>();
    private final Set<BlobId> deleting = new HashSet<>();
    private final Map<ClaimKey, Claim> claims = new HashMap<>();

    public InMemoryAttachmentRepository(MessageRepository messages) {
        this.messages = messages;
    }

    @Override
    public synchronized CreateOutcome createPending(ChatRef chat, Attachment pending, Instant expiresAt,
                                                    Instant retainUntil) {
        if (!live(chat, pending.messageId())) {
            return CreateOutcome.MESSAGE_GONE;
        }
        if (of(chat, pending.messageId()).putIfAbsent(pending.attachmentId(), pending) == null
                && retainUntil != null) {
            dueAt.put(new AttachmentRef(chat, pending.messageId(), pending.attachmentId()), retainUntil);
        }
        return CreateOutcome.CREATED;
    }

    @Override
    public synchronized boolean setRetainUntil(AttachmentRef ref, Instant retainUntil) {
        if (!of(ref.chat(), ref.messageId()).containsKey(ref.attachmentId())) {
            return false;
        }
        if (retainUntil == null) {
            dueAt.remove(ref);
        } else {
            dueAt.put(ref, retainUntil);
        }
        return true;
    }

    @Override
    public synchronized List<AttachmentRef> listDueAttachments(Instant before, int limit) {
        return dueAt.entrySet().stream()
                .filter(e -> e.getValue().isBefore(before)
                        && of(e.getKey().chat(), e.getKey().messageId()).containsKey(e.getKey().attachmentId()))
                .sorted(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey)
                .limit(limit)
                .toList();
    }

    /** When the attachment is due for the retention sweep, if it is. */
    public synchronized Optional<Instant> retainUntil(AttachmentRef ref) {
        return Optional.ofNullable(dueAt.get(ref));
    }

    @Override
    public synchronized Optional<Attachment> find(ChatRef chat, String messageId, String attachmentId) {
        return Optional.ofNullable(of(chat, messageId).get(attachmentId));
    }

    @Override
    public synchronized List<Attachment> list(ChatRef chat, String messageId) {
        return new ArrayList<>(of(chat, messageId).values());
    }

    @Override
    public synchronized List<Attachment> listInChat(ChatRef chat) {
        List<Attachment> all = new ArrayList<>();
        attachments.entrySet().stream()
                .filter(e -> e.getKey().chat().equals(chat))
                .sorted(java.util.Map.Entry.comparingByKey(java.util.Comparator.comparing(Key::messageId)))
                .forEach(e -> all.addAll(e.getValue().values()));
        return all;
    }

    @Override
    public synchronized boolean claim(ChatRef chat, String messageId, String attachmentId, String holder,
                                      Instant now, Instant leaseUntil) {
        Attachment current = of(chat, messageId).get(attachmentId);
        if (current == null || current.status().isDecided()) {
            return false;
        }
        Claim claim = claims.get(claimKey(chat, messageId, attachmentId));
        if (current.status() == AttachmentStatus.PROCESSING && !claim.leaseUntil().isBefore(now)) {
            return false;
        }
        claims.put(claimKey(chat, messageId, attachmentId), new Claim(holder, leaseUntil));
        of(chat, messageId).put(attachmentId, current.processing());
        return true;
    }

    @Override
    public synchronized void releaseClaim(ChatRef chat, String messageId, String attachmentId, String holder) {
        Attachment current = of(chat, messageId).get(attachmentId);
        Claim claim = claims.get(claimKey(chat, messageId, attachmentId));
        if (current != null && current.status() == AttachmentStatus.PROCESSING && claim.holder().equals(holder)) {
            claims.remove(claimKey(chat, messageId, attachmentId));
            of(chat, messageId).put(attachmentId, Attachment.pending(current.chatId(), messageId, attachmentId,
                    current.declaredType(), current.declaredSize(), current.filename(), current.createdAt()));
        }
    }

    /** Until when the claim on an attachment lasts, if there is one: for assertions. */
    public synchronized Optional<Instant> leaseUntil(ChatRef chat, String messageId, String attachmentId) {
        return Optional.ofNullable(claims.get(claimKey(chat, messageId, attachmentId))).map(Claim::leaseUntil);
    }

    /** Who holds the claim on an attachment, if anyone: for assertions. */
    public synchronized Optional<String> claimHolder(ChatRef chat, String messageId, String attachmentId) {
        return Optional.ofNullable(claims.get(claimKey(chat, messageId, attachmentId))).map(Claim::holder);
    }

    @Override
    public synchronized ReadyOutcome markReady(ChatRef chat, Attachment ready) {
        Attachment current = of(chat, ready.messageId()).get(ready.attachmentId());
        if (current == null || current.status().isDecided()) {
            return ReadyOutcome.NOT_PENDING;
        }
        if (!live(chat, ready.messageId())) {
            return ReadyOutcome.MESSAGE_GONE;
        }
        Blob blob = blobs.get(new BlobId(chat.tenantId(), ready.sha256()));
        if (blob == null || !blob.stored() || deleting.contains(blob.id())) {
            return ReadyOutcome.BLOB_UNAVAILABLE;
        }
        blobs.put(blob.id(), withReferences(blob, blob.references() + 1));
        orphanedSince.remove(blob.id());
        claims.remove(claimKey(chat, ready.messageId(), ready.attachmentId()));
        of(chat, ready.messageId()).put(ready.attachmentId(), ready);
        return ReadyOutcome.READY;
    }

    @Override
    public synchronized boolean markRejected(ChatRef chat, Attachment rejected, Instant expiresAt) {
        Attachment current = of(chat, rejected.messageId()).get(rejected.attachmentId());
        if (current == null || current.status().isDecided()) {
            return false;
        }
        claims.remove(claimKey(chat, rejected.messageId(), rejected.attachmentId()));
        of(chat, rejected.messageId()).put(rejected.attachmentId(), rejected);
        return true;
    }

    @Override
    public synchronized void drop(ChatRef chat, Attachment attachment, Instant now) {
        claims.remove(claimKey(chat, attachment.messageId(), attachment.attachmentId()));
        dueAt.remove(new AttachmentRef(chat, attachment.messageId(), attachment.attachmentId()));
        Attachment removed = of(chat, attachment.messageId()).remove(attachment.attachmentId());
        if (removed == null || !removed.isReady()) {
            return;
        }
        Blob blob = blobs.get(new BlobId(chat.tenantId(), removed.sha256()));
        if (blob != null) {
            long remaining = Math.max(0, blob.references() - 1);
            blobs.put(blob.id(), withReferences(blob, remaining));
            if (remaining == 0) {
                orphanedSince.put(blob.id(), now);
            }
        }
    }

    @Override
    public synchronized Optional<Blob> findBlob(BlobId blob) {
        return Optional.ofNullable(blobs.get(blob));
    }

    @Override
    public synchronized boolean createBlob(Blob blob) {
        if (blobs.containsKey(blob.id())) {
            // Like DynamoDB: a retried put that finds exactly its own item (unreferenced since
            // birth, not stored, not being deleted) created it.
            return blobs.get(blob.id()).equals(blob) && blob.createdAt().equals(orphanedSince.get(blob.id()))
                    && !deleting.contains(blob.id());
        }
        blobs.put(blob.id(), blob);
        orphanedSince.put(blob.id(), blob.createdAt());
        return true;
    }

    @Override
    public synchronized void markBlobStored(BlobId id) {
        Blob blob = blobs.get(id);
        if (blob != null) {
            blobs.put(id, new Blob(blob.id(), blob.type(), blob.size(), blob.width(), blob.height(),
                    blob.thumbnailContentType(), blob.createdAt(), blob.references(), true));
        }
    }

    @Override
    public synchronized List<BlobId> listUnreferencedBlobs(Instant before, int limit) {
        // Like DynamoDB's UnreferencedBlobs index: shards by the hash's first hex digit, read in
        // order, each sorted by when its blobs lost their last reference.
        return orphanedSince.entrySet().stream()
                .filter(e -> e.getValue().isBefore(before))
                .sorted(Comparator.comparing((Map.Entry<BlobId, Instant> e) -> e.getKey().sha256().charAt(0))
                        .thenComparing(Map.Entry::getValue)
                        .thenComparing(e -> e.getKey().tenantId())
                        .thenComparing(e -> e.getKey().sha256()))
                .map(Map.Entry::getKey)
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized boolean beginBlobDeletion(BlobId id, Instant before) {
        Blob blob = blobs.get(id);
        Instant since = orphanedSince.get(id);
        if (blob == null || blob.references() != 0 || since == null || !since.isBefore(before)) {
            return false;
        }
        deleting.add(id);
        return true;
    }

    @Override
    public synchronized void finishBlobDeletion(BlobId id) {
        if (deleting.remove(id)) {
            blobs.remove(id);
            orphanedSince.remove(id);
        }
    }

    /** Every attachment held, for assertions. */
    public synchronized List<Attachment> all() {
        return attachments.values().stream().flatMap(m -> m.values().stream()).toList();
    }

    private static ClaimKey claimKey(ChatRef chat, String messageId, String attachmentId) {
        return new ClaimKey(chat, messageId, attachmentId);
    }

    private boolean live(ChatRef chat, String messageId) {
        return messages.find(chat, messageId).map(m -> !m.deleted()).orElse(false);
    }

    private TreeMap<String, Attachment> of(ChatRef chat, String messageId) {
        return attachments.computeIfAbsent(new Key(chat, messageId), k -> new TreeMap<>());
    }

    private static Blob withReferences(Blob blob, long references) {
        return new Blob(blob.id(), blob.type(), blob.size(), blob.width(), blob.height(),
                blob.thumbnailContentType(), blob.createdAt(), references, blob.stored());
    }

    /**
     * Attachments and claims (under their chat's tenant), blobs and their sweep state (under the
     * blob's tenant).
     */
    @Override
    public synchronized List<HeldItem> heldItems() {
        List<HeldItem> items = new ArrayList<>();
        attachments.forEach((key, byId) -> byId.forEach((id, attachment) -> items.add(HeldItem.of("attachments",
                key.chat() + "/" + key.messageId() + "/" + id, attachment, key.chat().tenantId()))));
        claims.forEach((key, claim) -> items.add(HeldItem.of("claims", key, claim, key.chat().tenantId())));
        blobs.forEach((id, blob) -> items.add(HeldItem.of("blobs", id, blob, id.tenantId(), blob.id().tenantId())));
        orphanedSince.forEach((id, since) -> items.add(HeldItem.of("orphanedSince", id, since, id.tenantId())));
        deleting.forEach(id -> items.add(HeldItem.of("deleting", id, true, id.tenantId())));
        return items;
    }
}
