package dev.chathistory.shared.service;

import com.fasterxml.jackson.databind.JsonNode;

/** A message to append. {@code metadata} is a JSON object or null. */
public record NewMessage(String userId, boolean bot, String text, JsonNode metadata) {
}
