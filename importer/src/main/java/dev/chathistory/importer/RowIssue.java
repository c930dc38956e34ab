package dev.chathistory.importer;

/**
 * Something about one source row (or one of its attachment rows) that the report lists: what it
 * was and what the import did about it. {@code detail} never holds message text.
 */
record RowIssue(String sourceId, String userId, Kind kind, String detail) {

    /** What the import does with a row of this kind. */
    enum Action {
        IMPORTED, CONVERTED, SKIPPED, KEPT_AS_REFERENCE;

        String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    enum Kind {
        MISSING_ID(Action.SKIPPED),
        INVALID_ID(Action.SKIPPED),
        INVALID_USER_ID(Action.SKIPPED),
        INVALID_CHAT_ID(Action.SKIPPED),
        INVALID_TIMESTAMP(Action.SKIPPED),
        TEXT_TOO_LONG(Action.SKIPPED),
        DUPLICATE_ROW(Action.SKIPPED),
        TOO_MANY_DUPLICATES(Action.SKIPPED),
        BELOW_ARCHIVE_BOUNDARY(Action.SKIPPED),
        ERASED_USER(Action.SKIPPED),
        EMPTY_CONTENT(Action.IMPORTED),
        UNKNOWN_USER(Action.IMPORTED),
        DUPLICATE_ID(Action.IMPORTED),
        INVALID_UTF8(Action.CONVERTED),
        INVALID_IS_BOT(Action.CONVERTED),
        ATTACHMENT_FILE_MISSING(Action.KEPT_AS_REFERENCE),
        ATTACHMENT_NOT_AN_IMAGE(Action.KEPT_AS_REFERENCE),
        ATTACHMENT_TOO_LARGE(Action.KEPT_AS_REFERENCE),
        ATTACHMENTS_NOT_CONFIGURED(Action.KEPT_AS_REFERENCE),
        ATTACHMENT_OF_SKIPPED_ROW(Action.SKIPPED);

        final Action action;

        Kind(Action action) {
            this.action = action;
        }

        String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** Whether the row's message is stored despite this. */
        boolean rowImported() {
            return action != Action.SKIPPED;
        }
    }
}
