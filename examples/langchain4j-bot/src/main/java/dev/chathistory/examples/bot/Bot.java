package dev.chathistory.examples.bot;

import dev.chathistory.client.ChatHistoryClient;
import dev.chathistory.langchain4j.ChatHistoryChatMemoryStore;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.UserMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A LangChain4j bot whose memory lives in the chat-history service: each line on standard input
 * is a user's message in chat {@code CHAT_ID} (default {@code example-chat}), each answer one
 * line on standard output. Run it twice and the second run remembers the first.
 *
 * <pre>
 * export CHAT_HISTORY_URL=http://localhost:3000 CHAT_HISTORY_KEY=...   # what ./run-local printed
 * printf 'hello\nwhat did I say?\n' | ./mvnw -q exec:java -pl examples/langchain4j-bot
 * </pre>
 */
public final class Bot {

    /** What the bot can be asked; LangChain4j implements it around the model and the memory. */
    interface Assistant {
        @SystemMessage("You are a helpful bot. Answer in one sentence.")
        String chat(@MemoryId String chatId, @UserMessage String message);
    }

    private final Assistant assistant;

    public Bot(ChatHistoryClient client, ChatModel model, String userId) {
        ChatHistoryChatMemoryStore store = ChatHistoryChatMemoryStore.builder().client(client).userId(userId)
                .botId("example-bot").build();
        this.assistant = AiServices.builder(Assistant.class)
                .chatModel(model)
                .chatMemoryProvider(chatId -> MessageWindowChatMemory.builder().id(chatId).maxMessages(10)
                        .chatMemoryStore(store).build())
                .build();
    }

    /** The bot on the scripted model: what the example and its test run. */
    public static Bot scripted(ChatHistoryClient client, String userId) {
        return new Bot(client, new ScriptedModel(), userId);
    }

    public String answer(String chatId, String message) {
        return assistant.chat(chatId, message);
    }

    public static void main(String[] args) throws IOException {
        String url = required("CHAT_HISTORY_URL");
        ChatHistoryClient client = ChatHistoryClient.builder().baseUri(url).apiKey(required("CHAT_HISTORY_KEY")).build();
        String chatId = System.getenv().getOrDefault("CHAT_ID", "example-chat");
        Bot bot = scripted(client, "example-user");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (!line.isBlank()) {
                System.out.println(bot.answer(chatId, line.strip()));
            }
        }
    }

    private static String required(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            System.err.println("set " + name + " (./run-local prints the URL and a key)");
            System.exit(2);
        }
        return value;
    }
}
