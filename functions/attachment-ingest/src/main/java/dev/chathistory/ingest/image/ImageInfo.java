package dev.chathistory.ingest.image;

import dev.chathistory.shared.attachments.ImageType;
import java.util.Objects;

/** What an image's bytes say it is: its real type and the dimensions of its first frame. */
public record ImageInfo(ImageType type, int width, int height) {

    public ImageInfo {
        Objects.requireNonNull(type, "type");
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("width and height must be positive");
        }
    }
}
