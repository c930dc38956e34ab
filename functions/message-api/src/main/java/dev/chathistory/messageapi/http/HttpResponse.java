package dev.chathistory.messageapi.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** A response body (JSON text, possibly empty) with status and headers. */
public record HttpResponse(int status, Map<String, String> headers, String body) {

    public HttpResponse {
        headers = Map.copyOf(headers);
    }

    public static Builder status(int status) {
        return new Builder(status);
    }

    /** Collects headers in order; the JSON content type is always set for a body. */
    public static final class Builder {
        private final int status;
        private final Map<String, String> headers = new LinkedHashMap<>();

        private Builder(int status) {
            this.status = status;
        }

        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Builder etag(long version) {
            return header("ETag", "\"" + version + "\"");
        }

        public HttpResponse json(String body) {
            headers.put("Content-Type", "application/json; charset=utf-8");
            // Chat history is private: no shared cache may keep it.
            headers.putIfAbsent("Cache-Control", "no-store");
            return new HttpResponse(status, headers, body);
        }
    }
}
