package dev.chathistory.client;

import static dev.chathistory.client.Fixtures.message;
import static dev.chathistory.client.Fixtures.page;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class PagingTest extends ScriptedServerTest {

    @Test
    void history_shouldFetchNothingUntilIterated_thenEachPageOnlyWhenNeeded_untilTheCursorIsNull() {
        server.thenJson(200, page("c1", message("m5", 1), message("m4", 1)))
                .thenJson(200, page("c2"))                       // empty, yet more follow
                .thenJson(200, page("c3", message("m3", 1)))     // short, yet more follow
                .thenJson(200, page(null, message("m2", 1), message("m1", 1)));

        Iterable<Message> history = client.history("chat-1", 2, true);
        Iterator<Message> messages = history.iterator();
        assertThat(server.received()).as("nothing fetched before iteration").isEmpty();

        assertThat(messages.next().messageId()).isEqualTo("m5");
        assertThat(messages.next().messageId()).isEqualTo("m4");
        assertThat(server.received()).as("the second page is not fetched while the first lasts").hasSize(1);

        List<String> rest = new ArrayList<>();
        messages.forEachRemaining(m -> rest.add(m.messageId()));
        assertThat(rest).containsExactly("m3", "m2", "m1");
        assertThat(messages.hasNext()).isFalse();
        Assertions.assertThatThrownBy(messages::next).isInstanceOf(NoSuchElementException.class);
        assertThat(server.received()).as("stopped at the null cursor").hasSize(4);

        assertThat(server.received()).extracting(ScriptedServer.Received::rawQuery).containsExactly(
                "limit=2&includeDeleted=true",
                "limit=2&cursor=c1&includeDeleted=true",
                "limit=2&cursor=c2&includeDeleted=true",
                "limit=2&cursor=c3&includeDeleted=true");
        assertThat(server.received()).extracting(ScriptedServer.Received::rawPath)
                .containsOnly("/v1/chats/chat-1/messages");
    }

    @Test
    void aSecondIteration_shouldStartAgainFromTheNewestPage() {
        server.thenJson(200, page(null, message("m1", 1))).thenJson(200, page(null, message("m2", 1)));
        Iterable<Message> history = client.history("chat-1");

        assertThat(history).extracting(Message::messageId).containsExactly("m1");
        assertThat(history).extracting(Message::messageId).containsExactly("m2");
        assertThat(server.received()).extracting(ScriptedServer.Received::rawQuery).containsExactly(null, null);
    }

    @Test
    void versionsOf_shouldPageThroughEveryVersion() {
        String v3 = "{\"messageId\":\"m1\",\"version\":3,\"parentVersion\":2,\"userId\":\"alice\",\"isBot\":true,"
                + "\"text\":\"three\",\"metadata\":{\"k\":1},\"deleted\":true,\"versionCreatedAt\":\"2024-05-01T12:00:03.000Z\"}";
        String v2 = v3.replace("\"version\":3,\"parentVersion\":2", "\"version\":2,\"parentVersion\":1");
        String v1 = v3.replace("\"version\":3,\"parentVersion\":2", "\"version\":1,\"parentVersion\":null");
        server.thenJson(200, page("opaque/+=", v3, v2)).thenJson(200, page(null, v1));

        List<MessageVersion> versions = new ArrayList<>();
        client.versionsOf("chat-1", "m1", 2).forEach(versions::add);

        assertThat(versions).extracting(MessageVersion::version).containsExactly(3L, 2L, 1L);
        assertThat(versions.get(2).parentVersion()).isNull();
        assertThat(versions.get(0).isBot()).isTrue();
        assertThat(versions.get(0).deleted()).isTrue();
        assertThat(versions.get(0).metadata().path("k").asInt()).isEqualTo(1);
        assertThat(server.received().get(0).rawPath()).isEqualTo("/v1/chats/chat-1/messages/m1/versions");
        assertThat(server.received().get(1).rawQuery()).as("the cursor percent-encoded")
                .isEqualTo("limit=2&cursor=opaque%2F%2B%3D");
    }

    @Test
    void aFailingPage_shouldSurfaceFromTheIterator() {
        server.thenJson(200, page("c1", message("m2", 1)))
                .thenJson(400, Fixtures.error("invalid_cursor", "cursor does not belong here"));
        Iterator<Message> messages = client.history("chat-1").iterator();

        messages.next();

        Assertions.assertThatThrownBy(messages::hasNext).isInstanceOfSatisfying(ChatHistoryException.class,
                e -> assertThat(e.code()).isEqualTo("invalid_cursor"));
    }
}
