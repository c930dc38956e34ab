package dev.chathistory.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.net.URI;
import java.time.Instant;
import java.util.Map;

/**
 * A presigned link to upload an attachment's bytes straight to storage. Send exactly the
 * declared length with exactly these {@code headers}: both are part of the signature.
 * {@link ChatHistoryClient#uploadAttachment} does all of that.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UploadLink(String method, URI url, Map<String, String> headers, Instant expiresAt) {

    public UploadLink {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** Without the URL's query: it holds the signature, which is as good as a password until it expires. */
    @Override
    public String toString() {
        return "UploadLink[method=" + method + ", url=" + url.getScheme() + "://" + url.getRawAuthority()
                + url.getRawPath() + "?..., headers=" + headers + ", expiresAt=" + expiresAt + "]";
    }
}
