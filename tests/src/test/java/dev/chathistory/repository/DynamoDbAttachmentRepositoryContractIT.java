package dev.chathistory.repository;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.shared.attachments.Attachment;
import dev.chathistory.shared.attachments.AttachmentRepository.ReadyOutcome;
import dev.chathistory.shared.attachments.Blob;
import dev.chathistory.shared.attachments.BlobId;
import dev.chathistory.shared.attachments.ImageType;
import dev.chathistory.shared.attachments.RejectionReason;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.repository.dynamodb.DynamoDbAttachmentRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbMessageRepository;
import dev.chathistory.shared.repository.dynamodb.MessagesTable;
import dev.chathistory.shared.testing.contract.AttachmentRepositoryContract;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The attachment repository's contract against DynamoDB on the emulator, on fresh tables for
 * every test (the sweep's index spans all tenants); plus what only the items show: a claim's
 * holder and lease leave with the decision.
 */
class DynamoDbAttachmentRepositoryContractIT extends AttachmentRepositoryContract {

    @RegisterExtension
    static final EmulatorTables tables = EmulatorTables.perTest();

    @Override
    protected Repositories newRepositories() {
        return new Repositories(new DynamoDbAttachmentRepository(tables.dynamoDb(), tables.messagesTable()),
                new DynamoDbMessageRepository(tables.dynamoDb(), tables.messagesTable()));
    }

    @Test
    void aDecision_shouldRemoveTheClaimsHolderAndLeaseFromTheItem() {
        ChatRef chat = new ChatRef("t1", "chat-items");
        Instant now = Instant.parse("2026-11-28T10:00:00.000Z");
        DynamoDbAttachmentRepository attachments = new DynamoDbAttachmentRepository(tables.dynamoDb(),
                tables.messagesTable());
        new DynamoDbMessageRepository(tables.dynamoDb(), tables.messagesTable())
                .insert(chat, Message.first(chat.chatId(), "m1", "u1", false, "hi", null, now));
        BlobId id = new BlobId("t1", "f".repeat(64));
        attachments.createBlob(Blob.unstored(id, ImageType.PNG, 100, 10, 10, "image/png", now));
        attachments.markBlobStored(id);
        Blob blob = attachments.findBlob(id).orElseThrow();
        Attachment toReady = Attachment.pending(chat.chatId(), "m1", "a1", ImageType.PNG, 100, null, now);
        Attachment toReject = Attachment.pending(chat.chatId(), "m1", "a2", ImageType.PNG, 100, null, now);
        for (Attachment a : new Attachment[] {toReady, toReject}) {
            attachments.createPending(chat, a, now.plusSeconds(86_400));
            attachments.claim(chat, a.messageId(), a.attachmentId(), "h", now, now.plusSeconds(125));
            assertThat(rawItem(chat, a)).containsKeys("claimHolder", "leaseUntil");
        }

        assertThat(attachments.markReady(chat, toReady.ready(blob, now))).isEqualTo(ReadyOutcome.READY);
        assertThat(attachments.markRejected(chat, toReject.rejected(RejectionReason.CORRUPT_IMAGE, now),
                now.plusSeconds(3600))).isTrue();

        for (Attachment a : new Attachment[] {toReady, toReject}) {
            assertThat(rawItem(chat, a)).doesNotContainKeys("claimHolder", "leaseUntil");
        }
    }

    private Map<String, AttributeValue> rawItem(ChatRef chat, Attachment attachment) {
        return tables.dynamoDb().getItem(b -> b.tableName(tables.messagesTable())
                .key(Map.of("pk", AttributeValue.fromS(MessagesTable.partitionKey(chat)),
                        "sk", AttributeValue.fromS("F#" + attachment.messageId() + "#" + attachment.attachmentId())))
                .consistentRead(true)).item();
    }
}
