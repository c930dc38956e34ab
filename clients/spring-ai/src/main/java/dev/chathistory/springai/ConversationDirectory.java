package dev.chathistory.springai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.client.ChatHistoryClient;
import dev.chathistory.client.ChatHistoryException;
import dev.chathistory.client.ConflictException;
import dev.chathistory.client.Settings;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The conversation ids, kept where the API lets a client keep a list: in a user's settings
 * object, under {@value #KEY}, beside whatever else those settings hold. The API has no route
 * that lists chats, and the settings of one user are a small object (16 KiB by default), so
 * the directory is a chain of them: the user {@code directoryUserId}, then
 * {@code directoryUserId.2}, {@code .3}, ..., each taking ids until the service refuses it as
 * too large. Writes use the version read ({@code If-Match}) and read again on a conflict.
 *
 * <p>Ids known to be listed are remembered, so a conversation's turns after its first cost no
 * directory request in this process.
 */
final class ConversationDirectory {

    static final String KEY = "springAiConversations";
    private static final int MAX_ATTEMPTS = 5;
    private static final String TOO_LARGE = "settings_too_large";

    private final ChatHistoryClient client;
    private final String userId;
    private final Set<String> listed = ConcurrentHashMap.newKeySet();

    ConversationDirectory(ChatHistoryClient client, String userId) {
        this.client = client;
        this.userId = userId;
    }

    /** Every listed id, page by page, each page in the order its ids were added. */
    List<String> ids() {
        // A set: two processes that each found a page full may both have listed an id.
        Set<String> ids = new LinkedHashSet<>();
        for (Settings page : pages()) {
            page.value().path(KEY).forEach(id -> ids.add(id.asText()));
        }
        return List.copyOf(ids);
    }

    /** Lists {@code id} unless it is already: free once known here, else a read of each page. */
    void add(String id) {
        if (listed.contains(id)) {
            return;
        }
        List<Settings> pages = pages();
        if (pages.stream().noneMatch(page -> contains(page.value().path(KEY), id))) {
            // Only the last page can have room (or, when none is written yet, the first).
            int page = Math.max(1, pages.size() - 1);
            Settings settings = pages.get(page - 1);
            while (true) {
                try {
                    update(page, settings, ids -> contains(ids, id) ? ids : ids.add(id));
                    break;
                } catch (ChatHistoryException e) {
                    if (!TOO_LARGE.equals(e.code())) {
                        throw e;
                    }
                    page++; // Full: the id starts the next page.
                    settings = client.getSettings(pageUser(page));
                }
            }
        }
        listed.add(id);
    }

    /** Takes {@code id} off the list, wherever it is. */
    void remove(String id) {
        listed.remove(id);
        List<Settings> pages = pages();
        for (int i = 0; i < pages.size(); i++) {
            if (contains(pages.get(i).value().path(KEY), id)) {
                update(i + 1, pages.get(i), ids -> without(ids, id));
            }
        }
    }

    /** Every written page, then the first never written (version 0): at least one. */
    private List<Settings> pages() {
        List<Settings> pages = new ArrayList<>();
        for (int page = 1; ; page++) {
            Settings settings = client.getSettings(pageUser(page));
            pages.add(settings);
            if (settings.version() == 0) {
                return pages;
            }
        }
    }

    /**
     * Writes {@code change} of the page's list at the version read; on a conflict reads the page
     * again and applies the change to what is there now, a few times, then gives up.
     */
    private void update(int page, Settings read, UnaryOperator<ArrayNode> change) {
        Settings settings = read;
        for (int attempt = 1; ; attempt++) {
            // The API only stores objects; the other keys are someone else's and stay as they are.
            ObjectNode value = settings.value() instanceof ObjectNode object ? object
                    : JsonNodeFactory.instance.objectNode();
            ArrayNode ids = value.get(KEY) instanceof ArrayNode array ? array : value.putArray(KEY);
            value.set(KEY, change.apply(ids));
            try {
                client.putSettings(pageUser(page), value, settings.version());
                return;
            } catch (ConflictException e) {
                if (attempt == MAX_ATTEMPTS) {
                    throw e;
                }
                settings = client.getSettings(pageUser(page));
            }
        }
    }

    private String pageUser(int page) {
        return page == 1 ? userId : userId + "." + page;
    }

    private static boolean contains(JsonNode ids, String id) {
        for (JsonNode listed : ids) {
            if (id.equals(listed.asText())) {
                return true;
            }
        }
        return false;
    }

    private static ArrayNode without(ArrayNode ids, String id) {
        for (int i = ids.size() - 1; i >= 0; i--) {
            if (id.equals(ids.get(i).asText())) {
                ids.remove(i);
            }
        }
        return ids;
    }
}
