package dev.chathistory.shared.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.shared.config.ServiceConfig;
import dev.chathistory.shared.error.DomainException;
import dev.chathistory.shared.error.Problem;
import dev.chathistory.shared.json.Json;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Size and encoding rules for stored content, measured in UTF-8 bytes as DynamoDB counts them:
 * the API's services and the importer apply the same ones.
 */
public final class InputLimits {

    private final ServiceConfig.Limits limits;

    InputLimits(ServiceConfig.Limits limits) {
        this.limits = limits;
    }

    void checkText(String text) {
        checkText(text, limits.maxTextBytes());
    }

    /**
     * The text rule on its own, for callers that hold only the limit (the importer).
     *
     * @throws DomainException {@link Problem#TEXT_TOO_LONG}, or {@link Problem#VALIDATION_FAILED}
     *     for text that is not valid Unicode
     */
    public static void checkText(String text, int maxTextBytes) {
        int bytes = utf8Length("text", text);
        if (bytes > maxTextBytes) {
            throw new DomainException(Problem.TEXT_TOO_LONG,
                    "text is " + bytes + " bytes of UTF-8; the limit is " + maxTextBytes);
        }
    }

    void checkMetadata(JsonNode metadata) {
        if (metadata == null) {
            return;
        }
        if (!metadata.isObject()) {
            throw new DomainException(Problem.VALIDATION_FAILED, "metadata must be a JSON object");
        }
        int bytes = utf8Length("metadata", Json.write(metadata));
        if (bytes > limits.maxMetadataBytes()) {
            throw new DomainException(Problem.METADATA_TOO_LARGE,
                    "metadata is " + bytes + " bytes; the limit is " + limits.maxMetadataBytes());
        }
    }

    void checkSettings(JsonNode settings) {
        int bytes = utf8Length("settings", Json.write(settings));
        if (bytes > limits.maxSettingsBytes()) {
            throw new DomainException(Problem.SETTINGS_TOO_LARGE,
                    "settings are " + bytes + " bytes; the limit is " + limits.maxSettingsBytes());
        }
    }

    /**
     * Counts UTF-8 bytes and rejects unpaired surrogates, which JSON escapes can smuggle in and
     * which would otherwise be silently replaced when stored.
     */
    private static int utf8Length(String field, String value) {
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            ByteBuffer encoded = encoder.encode(CharBuffer.wrap(value));
            return encoded.remaining();
        } catch (CharacterCodingException e) {
            throw new DomainException(Problem.VALIDATION_FAILED, field + " is not valid Unicode");
        }
    }
}
