package dev.chathistory.importer;

/**
 * One row of the legacy messages table as read, before any conversion. {@code id} is null when
 * the row's id is missing or not an integer ({@code rawId} says what it was). {@code content}
 * holds the raw bytes (null for SQL NULL), so text that is not valid UTF-8 is noticed rather than
 * silently replaced by the driver.
 */
record SourceRow(Long id, String rawId, Object userId, Object chatId, Object timestamp, Object isBot,
                 byte[] content) {
}
