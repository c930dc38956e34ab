package dev.chathistory.shared.ids;

import dev.chathistory.shared.error.DomainException;
import dev.chathistory.shared.error.Problem;
import java.util.regex.Pattern;

/**
 * The one rule for every client-supplied identifier (chat, user, message ids, idempotency keys).
 * The allowed alphabet excludes {@code #}, which our DynamoDB keys use as a separator, so an id
 * can never forge another key segment. Ids become path segments of API routes and of S3 keys in
 * signed URLs, so the dot segments {@code .} and {@code ..} are refused too: clients that
 * normalise paths (RFC 3986, section 5.2.4) would drop or climb them and break the signature.
 */
public final class Identifiers {

    public static final int MAX_LENGTH = 128;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");

    private Identifiers() {
    }

    public static boolean isValid(String candidate) {
        return candidate != null && VALID.matcher(candidate).matches() && !isDotSegment(candidate);
    }

    /** Returns the id unchanged, or refuses it ({@link Problem#INVALID_ID}) naming the field. */
    public static String require(String field, String candidate) {
        return require(field, candidate, Problem.INVALID_ID);
    }

    public static String require(String field, String candidate, Problem code) {
        if (!isValid(candidate)) {
            throw new DomainException(code,
                    field + " must be 1-" + MAX_LENGTH + " characters of [A-Za-z0-9._:-], and not . or ..");
        }
        return candidate;
    }

    private static boolean isDotSegment(String candidate) {
        return candidate.equals(".") || candidate.equals("..");
    }
}
