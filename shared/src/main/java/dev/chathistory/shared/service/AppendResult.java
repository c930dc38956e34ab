package dev.chathistory.shared.service;

import dev.chathistory.shared.model.Message;

/** The appended message, and whether it was an idempotent replay of an earlier request. */
public record AppendResult(Message message, boolean replayed) {
}
