package dev.chathistory.shared.service;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Changes for a new version. A null {@code text} keeps the current text; metadata is only
 * touched when {@code replaceMetadata} is set, and then a null value removes it.
 */
public record MessageEdit(String text, boolean replaceMetadata, JsonNode metadata) {

    public boolean isEmpty() {
        return text == null && !replaceMetadata;
    }
}
