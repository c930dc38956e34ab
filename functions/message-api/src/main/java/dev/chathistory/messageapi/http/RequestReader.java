package dev.chathistory.messageapi.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.shared.json.Json;
import dev.chathistory.shared.model.ReadConsistency;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the HTTP-level parts of a request: JSON bodies, preconditions and query parameters. */
public final class RequestReader {

    private static final Pattern VERSION_TAG = Pattern.compile("(?:W/)?\"?([0-9]{1,18})\"?");

    private final int maxBodyBytes;

    public RequestReader(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The parsed JSON body; requires a JSON content type and a body within the size limit. */
    public JsonNode jsonBody(HttpRequest request) {
        String contentType = request.header("content-type").orElse("");
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json") && !mediaType.endsWith("+json")) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "send the body as application/json");
        }
        if (request.body().length == 0) {
            throw new ApiException(ErrorCode.INVALID_JSON, "request body is required");
        }
        return Json.parseRequest(request.body());
    }

    /** Bodies are checked before anything else is read, so an oversized one costs nothing more. */
    public void checkBodySize(HttpRequest request) {
        if (request.body().length > maxBodyBytes) {
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "request body is over the " + maxBodyBytes + "-byte limit");
        }
    }

    /**
     * The version named by {@code If-Match}: {@code "3"}, {@code W/"3"} or {@code 3}. With
     * {@code allowAny}, {@code *} is accepted and returned as empty.
     */
    public OptionalLong ifMatch(HttpRequest request, boolean allowAny) {
        String value = request.header("if-match")
                .orElseThrow(() -> new ApiException(ErrorCode.PRECONDITION_REQUIRED,
                        "send If-Match with the version you last read (its ETag)"))
                .trim();
        if (allowAny && value.equals("*")) {
            return OptionalLong.empty();
        }
        Matcher matcher = VERSION_TAG.matcher(value);
        if (!matcher.matches()) {
            throw new ApiException(ErrorCode.INVALID_IF_MATCH,
                    "If-Match must be one version ETag such as \"3\"" + (allowAny ? " or *" : ""));
        }
        return OptionalLong.of(Long.parseLong(matcher.group(1)));
    }

    public int intParameter(HttpRequest request, String name, int defaultValue) {
        String raw = request.queryParameter(name).orElse(null);
        if (raw == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw new ApiException(ErrorCode.INVALID_PARAMETER, name + " must be an integer");
        }
    }

    public boolean booleanParameter(HttpRequest request, String name) {
        String raw = request.queryParameter(name).orElse("false");
        return switch (raw) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ApiException(ErrorCode.INVALID_PARAMETER, name + " must be true or false");
        };
    }

    /** {@code consistency}: {@code strong} (the default: reads every acknowledged write) or {@code eventual}. */
    public ReadConsistency consistencyParameter(HttpRequest request) {
        String raw = request.queryParameter("consistency").orElse("strong");
        return switch (raw) {
            case "strong" -> ReadConsistency.STRONG;
            case "eventual" -> ReadConsistency.EVENTUAL;
            default -> throw new ApiException(ErrorCode.INVALID_PARAMETER, "consistency must be strong or eventual");
        };
    }
}
