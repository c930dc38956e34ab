package dev.chathistory.ingest.image;

import java.util.Objects;

/**
 * An encoded thumbnail, ready to store. A record over an array compares arrays by identity;
 * compare {@code bytes()} with {@code Arrays.equals} when the content matters.
 */
public record Thumbnail(byte[] bytes, String contentType, int width, int height) {

    public Thumbnail {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(contentType, "contentType");
    }
}
