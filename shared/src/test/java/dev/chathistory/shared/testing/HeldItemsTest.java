package dev.chathistory.shared.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.shared.attachments.Attachment;
import dev.chathistory.shared.attachments.Blob;
import dev.chathistory.shared.attachments.BlobId;
import dev.chathistory.shared.attachments.ImageType;
import dev.chathistory.shared.jobs.Job;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobType;
import dev.chathistory.shared.json.Json;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.IdempotencyRecord;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.testing.HeldItems.HeldItem;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Each fake's {@link HeldItems#heldItems} lists every kind of item it stores, under the tenant
 * the item belongs to: the tenant-isolation ledger of the property test sees only what is listed.
 */
class HeldItemsTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final ChatRef CHAT = new ChatRef("acme", "chat-1");
    private static final UserRef USER = new UserRef("acme", "u1");

    private static List<String> kindsNaming(HeldItems fake, String tenant) {
        return fake.heldItems().stream()
                .filter(item -> item.tenants().equals(Set.of(tenant)))
                .map(item -> item.description().substring(0, item.description().indexOf(':')))
                .distinct().sorted().toList();
    }

    @Test
    void messages_shouldListMessagesVersionsAndIdempotencyRecords_underTheChatsTenant() {
        InMemoryMessageRepository messages = new InMemoryMessageRepository();
        Message first = Message.first("chat-1", "m1", "u1", false, "hi", null, NOW);
        messages.insert(CHAT, first);
        messages.replace(CHAT, first.nextVersion("edited", null, false, NOW), 1, first.toVersion());
        messages.claimIdempotencyKey(CHAT, new IdempotencyRecord("k", "h", "m1", NOW, NOW.plusSeconds(60)), NOW);

        assertThat(kindsNaming(messages, "acme")).containsExactly("idempotency", "messages", "versions");
        assertThat(messages.heldItems()).allMatch(item -> item.tenants().equals(Set.of("acme")));
    }

    @Test
    void users_shouldListSettingsActivityImportMarksAndChats_underTheUsersTenant() {
        InMemoryUserRepository users = new InMemoryUserRepository();
        users.putSettings(USER, Json.object().put("a", 1), OptionalLong.empty(), NOW);
        users.recordActivity(USER, NOW, 1, "2026-12-01#00");
        users.rememberChat(USER, "chat-1", NOW);
        users.createImportedProfile(new UserRef("acme", "u2"), 3, NOW, "imp-1");

        assertThat(kindsNaming(users, "acme"))
                .containsExactly("activity", "activityWrites", "chats", "profileImports", "settings");
    }

    @Test
    void jobsAndQueue_shouldListRecordsCheckpointsAndSentRequests_underTheJobsTenant() {
        InMemoryJobRepository jobs = new InMemoryJobRepository();
        RecordingJobQueue queue = new RecordingJobQueue();
        JobRequest request = new JobRequest("job-1", JobType.EXPORT, "acme", "u1", null);
        jobs.create(Job.queued(request, NOW), NOW.plusSeconds(60));
        jobs.saveCheckpoint(request, "{}");
        queue.send(request);

        assertThat(kindsNaming(jobs, "acme")).containsExactly("checkpoints", "jobs");
        assertThat(kindsNaming(queue, "acme")).containsExactly("sent");
    }

    @Test
    void attachments_shouldListAttachmentsClaimsAndBlobs_underTheirTenant() {
        InMemoryMessageRepository messages = new InMemoryMessageRepository();
        InMemoryAttachmentRepository attachments = new InMemoryAttachmentRepository(messages);
        messages.insert(CHAT, Message.first("chat-1", "m1", "u1", false, "hi", null, NOW));
        attachments.createPending(CHAT, Attachment.pending("chat-1", "m1", "a1", ImageType.PNG, 1, null, NOW),
                NOW.plusSeconds(60));
        attachments.claim(CHAT, "m1", "a1", "h", NOW, NOW.plusSeconds(60));
        BlobId blob = new BlobId("acme", "a".repeat(64));
        attachments.createBlob(Blob.unstored(blob, ImageType.PNG, 1, 1, 1, "image/png", NOW));
        attachments.beginBlobDeletion(blob, NOW.plusSeconds(1));

        assertThat(kindsNaming(attachments, "acme"))
                .containsExactly("attachments", "blobs", "claims", "deleting", "orphanedSince");
    }

    @Test
    void objects_shouldBeListedWithoutATenant_andAListingShouldBeASnapshot() {
        InMemoryObjectStore objects = new InMemoryObjectStore();
        objects.put("exports/acme/x.gz", new byte[] {1}, "application/gzip");

        List<HeldItem> before = objects.heldItems();
        objects.put("exports/acme/y.gz", new byte[] {2}, "application/gzip");

        assertThat(before).singleElement().satisfies(item -> assertThat(item.tenants()).isEmpty());
        assertThat(objects.heldItems()).hasSize(2);
    }
}
