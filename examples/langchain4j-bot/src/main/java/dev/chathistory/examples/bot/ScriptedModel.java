package dev.chathistory.examples.bot;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.List;

/**
 * A model that needs no network: it answers from what it is shown, so the answer says what the
 * memory gave it (how many earlier turns, and the first thing the user said).
 */
final class ScriptedModel implements ChatModel {

    @Override
    public ChatResponse doChat(ChatRequest request) {
        List<ChatMessage> shown = request.messages();
        List<UserMessage> questions = shown.stream().filter(UserMessage.class::isInstance)
                .map(UserMessage.class::cast).toList();
        String first = questions.get(0).singleText();
        String last = questions.get(questions.size() - 1).singleText();
        String answer = "You said \"" + last + "\"; I remember " + (questions.size() - 1)
                + " earlier message(s), the first being \"" + first + "\".";
        return ChatResponse.builder().aiMessage(AiMessage.from(answer)).build();
    }
}
