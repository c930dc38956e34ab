package dev.chathistory.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A user's settings: a JSON object the bot defines, and its version (the {@code ETag}).
 * Version {@code 0} means the settings were never written; pass the version you read to
 * {@link ChatHistoryClient#putSettings} so a concurrent change is not overwritten.
 *
 * @param value a copy of the settings object on every call, so the record stays immutable
 */
public record Settings(JsonNode value, long version) {

    public Settings {
        value = Objects.requireNonNull(value, "value").deepCopy();
    }

    @Override
    public JsonNode value() {
        return value.deepCopy();
    }
}
