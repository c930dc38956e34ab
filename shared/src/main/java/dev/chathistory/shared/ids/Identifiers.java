package dev.chathistory.shared.ids;

import dev.chathistory.shared.error.ApiException;
import dev.chathistory.shared.error.ErrorCode;
import java.util.regex.Pattern;

/**
 * The one rule for every client-supplied identifier (chat, user, message ids, idempotency keys).
 * The allowed alphabet excludes {@code #}, which our DynamoDB keys use as a separator, so an id
 * can never forge another key segment.
 */
public final class Identifiers {

    public static final int MAX_LENGTH = 128;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");

    private Identifiers() {
    }

    public static boolean isValid(String candidate) {
        return candidate != null && VALID.matcher(candidate).matches();
    }

    /** Returns the id unchanged, or throws a 400 naming the field. */
    public static String require(String field, String candidate) {
        return require(field, candidate, ErrorCode.INVALID_ID);
    }

    public static String require(String field, String candidate, ErrorCode code) {
        if (!isValid(candidate)) {
            throw new ApiException(code,
                    field + " must be 1-" + MAX_LENGTH + " characters of [A-Za-z0-9._:-]");
        }
        return candidate;
    }
}
