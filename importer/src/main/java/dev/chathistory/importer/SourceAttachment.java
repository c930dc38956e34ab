package dev.chathistory.importer;

/** One row of the legacy attachments table, as read. */
record SourceAttachment(long id, long messageId, String type, String hash, String path) {
}
