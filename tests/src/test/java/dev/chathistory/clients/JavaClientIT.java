package dev.chathistory.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.client.Appended;
import dev.chathistory.client.Attachment;
import dev.chathistory.client.ChatHistoryClient;
import dev.chathistory.client.ChatHistoryException;
import dev.chathistory.client.ChatRetention;
import dev.chathistory.client.ConflictException;
import dev.chathistory.client.Job;
import dev.chathistory.client.Message;
import dev.chathistory.client.MessageEdit;
import dev.chathistory.client.MessageVersion;
import dev.chathistory.client.NewMessage;
import dev.chathistory.client.Page;
import dev.chathistory.client.Settings;
import dev.chathistory.local.LocalDeployment;
import dev.chathistory.tests.TestAws;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.function.Predicate;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java client against the real template on the local stack, through the authorizer with a
 * real API key: every client method once for real, the way a bot would call it.
 */
class JavaClientIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalDeployment deployment;
    private static ChatHistoryClient client;

    @BeforeAll
    static void deploy() throws Exception {
        deployment = TestAws.deployTemplate("jcl");
        client = ChatHistoryClient.builder()
                .baseUri(deployment.baseUrl())
                .apiKey(deployment.issueKey("client-tenant", "JavaClientIT").key())
                .build();
    }

    @AfterAll
    static void stop() {
        if (deployment != null) {
            deployment.close();
        }
    }

    private static String newChat() {
        return "chat-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void anAppendRepeatedWithTheSameKey_shouldBeReplayed_andStoredOnce() {
        String chat = newChat();
        NewMessage hello = new NewMessage("alice", false, "hello once",
                JSON.createObjectNode().put("platformUpdateId", 4711));

        Appended first = client.append(chat, hello, "update-4711");
        Appended again = client.append(chat, hello, "update-4711");

        assertThat(first.replayed()).isFalse();
        assertThat(again.replayed()).isTrue();
        assertThat(again.message().messageId()).isEqualTo(first.message().messageId());
        assertThat(first.message().version()).isEqualTo(1);
        assertThat(first.message().metadata().path("platformUpdateId").asInt()).isEqualTo(4711);
        assertThat(client.history(chat)).extracting(Message::messageId).containsExactly(first.message().messageId());

        Appended generated = client.append(chat, NewMessage.of("alice", false, "a second one"));
        assertThat(generated.idempotencyKey()).isNotBlank();
        assertThat(generated.replayed()).isFalse();
    }

    @Test
    void history_shouldPageThroughTheWholeChat_newestFirst() {
        String chat = newChat();
        List<String> appended = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            appended.add(client.append(chat, NewMessage.of("alice", i % 2 == 0, "message " + i))
                    .message().messageId());
        }
        Message gone = client.getMessage(chat, appended.get(3));
        client.delete(chat, gone.messageId(), gone.version());

        Page<Message> firstPage = client.listMessages(chat, 3, null, false);
        List<String> visible = new ArrayList<>();
        client.history(chat, 3, false).forEach(m -> visible.add(m.messageId()));
        List<String> all = new ArrayList<>();
        client.history(chat, 2, true).forEach(m -> all.add(m.messageId()));

        assertThat(firstPage.items()).hasSize(3);
        assertThat(firstPage.nextCursor()).as("more than one page").isNotNull();
        List<String> newestFirst = new ArrayList<>(appended);
        Collections.reverse(newestFirst);
        assertThat(all).containsExactlyElementsOf(newestFirst);
        assertThat(visible).containsExactlyElementsOf(newestFirst.stream()
                .filter(id -> !id.equals(gone.messageId())).toList());
        assertThat(client.listMessages(chat).items()).hasSize(6);
    }

    @Test
    void aMessage_shouldBeReadEditedConflictedDeletedAndItsVersionsListed() {
        String chat = newChat();
        String id = client.append(chat, NewMessage.of("bot-1", true, "first")).message().messageId();

        Message read = client.getMessage(chat, id);
        Message edited = client.editText(chat, id, read.version(), "second");
        ConflictException stale = catchThrowableOfType(
                () -> client.editText(chat, id, read.version(), "lost update"), ConflictException.class);
        Message withMetadata = client.edit(chat, id, stale.currentVersion().getAsLong(),
                MessageEdit.metadata(JSON.createObjectNode().put("reviewed", true)));
        Message deleted = client.delete(chat, id, withMetadata.version());
        ChatHistoryException notFound = catchThrowableOfType(() -> client.getMessage(chat, id),
                ChatHistoryException.class);
        Message stillReadable = client.getMessage(chat, id, true);
        List<MessageVersion> versions = new ArrayList<>();
        client.versionsOf(chat, id, 2).forEach(versions::add);

        assertThat(read.version()).isEqualTo(1);
        assertThat(read.isBot()).isTrue();
        assertThat(edited.version()).isEqualTo(2);
        assertThat(edited.parentVersion()).isEqualTo(1);
        assertThat(edited.text()).isEqualTo("second");
        assertThat(edited.editedAt()).isNotNull();
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.code()).isEqualTo("precondition_failed");
        assertThat(stale.currentVersion()).hasValue(2);
        assertThat(withMetadata.text()).as("an edit of the metadata keeps the text").isEqualTo("second");
        assertThat(withMetadata.metadata().path("reviewed").asBoolean()).isTrue();
        assertThat(deleted.deleted()).isTrue();
        assertThat(deleted.version()).isEqualTo(4);
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.code()).isEqualTo("message_not_found");
        assertThat(notFound.requestId()).isNotBlank();
        assertThat(stillReadable.deleted()).isTrue();
        assertThat(versions).extracting(MessageVersion::version).containsExactly(4L, 3L, 2L, 1L);
        assertThat(versions).extracting(MessageVersion::text).containsExactly("second", "second", "second", "first");
        assertThat(versions.get(0).deleted()).isTrue();
    }

    @Test
    void settings_shouldBeCreatedReadReplacedAndGuarded() {
        String user = "user-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode german = JSON.createObjectNode().put("language", "de");

        Settings never = client.getSettings(user);
        Settings created = client.putSettings(user, german, 0);
        ConflictException createdTwice = catchThrowableOfType(
                () -> client.putSettings(user, JSON.createObjectNode().put("language", "fr"), 0),
                ConflictException.class);
        Settings reread = client.getSettings(user);
        Settings overwritten = client.overwriteSettings(user, JSON.createObjectNode().put("language", "fr"));

        assertThat(never.version()).isZero();
        assertThat(never.value().isEmpty()).isTrue();
        assertThat(created.version()).isEqualTo(1);
        assertThat(createdTwice.currentVersion()).hasValue(1);
        assertThat(reread).isEqualTo(created);
        assertThat(reread.value()).isEqualTo(german);
        assertThat(overwritten.version()).isEqualTo(2);
        assertThat(overwritten.value().path("language").asText()).isEqualTo("fr");
    }

    @Test
    void aRecountJob_shouldBeSubmitted_andPolledUntilItSucceeds() throws Exception {
        String user = "counted-" + UUID.randomUUID().toString().substring(0, 8);
        String chat = newChat();
        for (int i = 0; i < 3; i++) {
            client.append(chat, NewMessage.of(user, false, "count me " + i));
        }

        Job submitted = client.submitJob(user, Job.RECOUNT);
        Job done = await(() -> client.getJob(submitted.jobId()), Job::isFinished, "job " + submitted.jobId());

        assertThat(submitted.type()).isEqualTo(Job.RECOUNT);
        assertThat(submitted.userId()).isEqualTo(user);
        assertThat(done.status()).as(String.valueOf(done.error())).isEqualTo("succeeded");
        assertThat(done.counts()).containsEntry("messageCount", 3L);
        assertThat(done.updatedAt()).isNotNull();
    }

    @Test
    void retentionAndLegalHolds_shouldBeSetAndRead_andAnEraseOfAHeldUserRefused() {
        String chat = newChat();
        String user = "held-" + UUID.randomUUID().toString().substring(0, 8);
        client.append(chat, NewMessage.of(user, false, "keep this"));

        ChatRetention none = client.getRetention(chat);
        ChatRetention set = client.putRetention(chat, 30, true);
        boolean held = client.setLegalHold(user, true);
        ChatHistoryException refused = catchThrowableOfType(() -> client.submitJob(user, Job.ERASE),
                ChatHistoryException.class);
        boolean lifted = client.setLegalHold(user, false);

        assertThat(none).isEqualTo(new ChatRetention(null, false, null, null));
        assertThat(set).isEqualTo(new ChatRetention(30, true, null, 30));
        assertThat(client.getRetention(chat)).isEqualTo(set);
        assertThat(held).isTrue();
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("legal_hold");
        assertThat(lifted).isFalse();
        assertThat(client.isOnLegalHold(user)).isFalse();
    }

    @Test
    void aRealPng_shouldBeUploadedThroughTheLink_andBecomeReady() throws Exception {
        String chat = newChat();
        String id = client.append(chat, NewMessage.of("alice", false, "look at this")).message().messageId();
        byte[] png = png(4, 3);

        Attachment pending = client.uploadAttachment(chat, id, "image/png", png, "dot.png");
        Attachment decided = await(() -> client.getAttachment(chat, id, pending.attachmentId()),
                a -> !a.isPending(), "attachment " + pending.attachmentId());
        List<Attachment> listed = client.listAttachments(chat, id);

        assertThat(pending.isPending()).isTrue();
        assertThat(pending.upload()).isNotNull();
        assertThat(pending.declaredSize()).isEqualTo(png.length);
        assertThat(decided.status()).as(String.valueOf(decided.rejection())).isEqualTo(Attachment.READY);
        assertThat(decided.contentType()).isEqualTo("image/png");
        assertThat(decided.width()).isEqualTo(4);
        assertThat(decided.height()).isEqualTo(3);
        assertThat(decided.size()).isEqualTo(png.length);
        assertThat(decided.url()).isNotBlank();
        assertThat(decided.thumbnailUrl()).isNotBlank();
        assertThat(decided.upload()).as("only the creation carries the link").isNull();
        assertThat(listed).extracting(Attachment::attachmentId).containsExactly(pending.attachmentId());
        assertThat(listed.get(0).filename()).isEqualTo("dot.png");
    }

    @Test
    void aWrongApiKey_shouldBeTheGateways403_unauthorized_thatDoesNotQuoteTheKey() {
        String wrongKey = "chk_" + "Q".repeat(43);
        ChatHistoryClient stranger = ChatHistoryClient.builder()
                .baseUri(deployment.baseUrl()).apiKey(wrongKey).build();

        ChatHistoryException e = catchThrowableOfType(() -> stranger.getSettings("alice"),
                ChatHistoryException.class);

        assertThat(e.status()).as("the authorizer denied it").isEqualTo(403);
        assertThat(e.code()).isEqualTo("unauthorized");
        assertThat(e.toString()).doesNotContain(wrongKey);
    }

    /** Polls as a bot would: every 200 ms until {@code done}, at most {@link #PATIENCE}. */
    private static <T> T await(Supplier<T> read, Predicate<T> done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            T value = read.get();
            if (done.test(value)) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " not done after " + PATIENCE + ": " + value);
            }
            Thread.sleep(200);
        }
    }

    private static byte[] png(int width, int height) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                image.setRGB(x, y, new Color(60 * x, 80 * y, 200).getRGB());
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, "png", bytes)).isTrue();
        return bytes.toByteArray();
    }
}
