package dev.chathistory.springai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.client.testing.FakeChatHistoryApi;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.AssistantMessage.ToolCall;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage.ToolResponse;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.content.Media;
import org.springframework.util.MimeType;

/**
 * Every message type Spring AI 1.1 has, in each form it takes, stored through the API and read
 * back: an equal message, and saving it again appends nothing.
 */
class MessageRoundTripTest {

    private final FakeChatHistoryApi api = ChatHistoryChatMemoryRepositoryTest.newApi();
    private final ChatHistoryChatMemoryRepository repository = ChatHistoryChatMemoryRepository.builder()
            .client(api.client()).build();

    @AfterEach
    void stop() {
        api.close();
    }

    /** Values as JSON gives them back (Integer, Double, String, Boolean, List, Map), so equals holds. */
    private static final Map<String, Object> METADATA = Map.of("finishReason", "STOP", "index", 0, "score", 0.5,
            "refusal", false, "annotations", List.of(Map.of("type", "url", "start", 3)), "usage",
            Map.of("promptTokens", 12, "nested", Map.of("b", 1, "a", 2)));

    private static final ToolCall WEATHER = new ToolCall("call-1", "function", "weather", "{\"city\":\"Oslo\"}");
    private static final ToolCall TIME = new ToolCall("call-2", "function", "time", "{}");

    private static Media url() {
        return Media.builder().mimeType(MimeType.valueOf("image/png")).data("https://example.com/cat.png")
                .id("img-1").name("cat").build();
    }

    private static Media bytes() {
        // No id, and the name Spring AI makes up for it: both must survive as they are.
        return Media.builder().mimeType(MimeType.valueOf("text/plain;charset=UTF-8"))
                .data("hello".getBytes(StandardCharsets.UTF_8)).build();
    }

    static Stream<Arguments> everyMessage() {
        return Stream.of(
                Arguments.of("user, text only", new UserMessage("What is the weather in Oslo?")),
                Arguments.of("user, empty text", new UserMessage("")),
                Arguments.of("user, metadata", UserMessage.builder().text("hi").metadata(METADATA).build()),
                Arguments.of("user, media by URL and bytes",
                        UserMessage.builder().text("look").media(url(), bytes()).build()),
                Arguments.of("assistant, text only", new AssistantMessage("Sunny, 21 degrees.")),
                Arguments.of("assistant, no text", AssistantMessage.builder().build()),
                Arguments.of("assistant, tool calls only",
                        AssistantMessage.builder().content("").toolCalls(List.of(WEATHER, TIME)).build()),
                Arguments.of("assistant, text, tool calls and metadata", AssistantMessage.builder()
                        .content("Let me check.").toolCalls(List.of(WEATHER)).properties(METADATA).build()),
                Arguments.of("assistant, media", AssistantMessage.builder().content("here").media(List.of(bytes()))
                        .build()),
                Arguments.of("system, text only", new SystemMessage("Be brief.")),
                Arguments.of("system, metadata", SystemMessage.builder().text("Be brief.").metadata(METADATA)
                        .build()),
                Arguments.of("tool, one response", ToolResponseMessage.builder()
                        .responses(List.of(new ToolResponse("call-1", "weather", "{\"temp\":21}"))).build()),
                Arguments.of("tool, responses and metadata", ToolResponseMessage.builder()
                        .responses(List.of(new ToolResponse("call-1", "weather", "{\"temp\":21}"),
                                new ToolResponse("call-2", "time", "12:00")))
                        .metadata(METADATA).build()),
                Arguments.of("tool, no responses", ToolResponseMessage.builder().responses(List.of()).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyMessage")
    void aMessage_shouldReadBackEqual_andNotBeAppendedAgain(String name, Message message) {
        repository.saveAll("c1", List.of(new UserMessage("before"), message, new AssistantMessage("after")));

        List<Message> read = repository.findByConversationId("c1");

        assertThat(read).hasSize(3);
        Message back = read.get(1);
        assertThat(back).isExactlyInstanceOf(message.getClass());
        // Media has no equals of its own (an AssistantMessage with media never equals a copy):
        // compare it field by field; the rest compares with the messages' own equals too.
        assertThat(back).usingRecursiveComparison().withEqualsForType(MimeType::equals, MimeType.class)
                .isEqualTo(message);
        if (!(message instanceof AssistantMessage assistant && !assistant.getMedia().isEmpty())) {
            assertThat(back).isEqualTo(message);
        }
        api.resetCounts();
        repository.saveAll("c1", read);
        assertThat(api.requests("POST") + api.requests("PATCH")).as("what was read is what is stored").isZero();
    }
}
