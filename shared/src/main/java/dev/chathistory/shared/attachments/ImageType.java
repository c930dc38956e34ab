package dev.chathistory.shared.attachments;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The image formats bots may attach. Anything else is refused at upload and at ingestion. */
public enum ImageType {
    JPEG("image/jpeg", "jpeg"),
    PNG("image/png", "png"),
    GIF("image/gif", "gif"),
    WEBP("image/webp", "webp");

    private final String contentType;
    private final String imageIoFormat;

    ImageType(String contentType, String imageIoFormat) {
        this.contentType = contentType;
        this.imageIoFormat = imageIoFormat;
    }

    public String contentType() {
        return contentType;
    }

    /** The ImageIO format name ({@code ImageReader.getFormatName()}, lower-cased) of this type. */
    public String imageIoFormat() {
        return imageIoFormat;
    }

    /** The type a declared {@code Content-Type} names, ignoring case and parameters. */
    public static Optional<ImageType> fromContentType(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String bare = value.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(t -> t.contentType.equals(bare)).findFirst();
    }

    /** The type of an ImageIO format name such as {@code "JPEG"} or {@code "webp"}. */
    public static Optional<ImageType> fromImageIoFormat(String formatName) {
        if (formatName == null) {
            return Optional.empty();
        }
        String lower = formatName.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(t -> t.imageIoFormat.equals(lower)).findFirst();
    }

    public static List<String> contentTypes() {
        return Arrays.stream(values()).map(ImageType::contentType).toList();
    }
}
