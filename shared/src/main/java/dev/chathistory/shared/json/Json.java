package dev.chathistory.shared.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.shared.error.DomainException;
import dev.chathistory.shared.error.Problem;
import java.io.IOException;

/**
 * JSON mapping for the whole service: one configured mapper, strict on input (duplicate keys,
 * trailing garbage and deep nesting are rejected) and deterministic on output.
 */
public final class Json {

    /** Client JSON never needs more; deep nesting is only ever an attack on the parser. */
    public static final int MAX_NESTING_DEPTH = 32;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING_DEPTH)
                            .maxStringLength(1_000_000)
                            .maxNumberLength(64)
                            .build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /** Sorted keys at every level, so equal documents hash equally (idempotency fingerprints). */
    private static final ObjectMapper CANONICAL = MAPPER.copy()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private Json() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Parses client input; any syntax problem is {@link Problem#INVALID_JSON}. */
    public static JsonNode parseRequest(byte[] body) {
        try (JsonParser parser = MAPPER.createParser(body)) {
            JsonNode node = MAPPER.readTree(parser);
            if (node == null || node.isMissingNode()) {
                throw new DomainException(Problem.INVALID_JSON, "request body must be a JSON document");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new DomainException(Problem.INVALID_JSON, "request body is not valid JSON: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            // The body is in memory, so no read can fail; Jackson reports bytes it cannot
            // decode as text (say, what its encoding detection took for UTF-32) this way.
            throw new DomainException(Problem.INVALID_JSON, "request body is not valid UTF-8 JSON");
        }
    }

    /** Parses JSON this service wrote itself (stored metadata, settings, cursors). */
    public static JsonNode parseTrusted(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is corrupt", e);
        }
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise JSON", e);
        }
    }

    public static byte[] writeBytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise JSON", e);
        }
    }

    /** Compact JSON with object keys sorted recursively. */
    public static String canonical(JsonNode node) {
        try {
            Object plain = MAPPER.treeToValue(node, Object.class);
            return CANONICAL.writeValueAsString(plain);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise JSON", e);
        }
    }
}
