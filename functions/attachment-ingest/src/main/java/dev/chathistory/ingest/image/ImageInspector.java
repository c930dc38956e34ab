package dev.chathistory.ingest.image;

import dev.chathistory.shared.attachments.RejectionReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Says what an uploaded file really is, from its bytes alone (the name and declared type are
 * never consulted), and refuses it before anything is decoded if its header declares more
 * pixels than we are willing to hold: a few kilobytes of PNG can claim 20000 x 20000 pixels,
 * 1.6 GB once decoded. Only the header is read, so this is fast and small whatever the file
 * claims.
 */
public final class ImageInspector {

    private record Size(int width, int height) {
    }

    private final long maxPixels;
    private final int maxSide;

    /**
     * @param maxPixels the most pixels (width x height) an image may declare
     * @param maxSide the longest width or height an image may declare
     */
    public ImageInspector(long maxPixels, int maxSide) {
        if (maxPixels < 1 || maxSide < 1) {
            throw new IllegalArgumentException("maxPixels and maxSide must be positive");
        }
        this.maxPixels = maxPixels;
        this.maxSide = maxSide;
    }

    /**
     * The real type and first-frame dimensions of an image file.
     *
     * @throws RejectedImageException {@code UNSUPPORTED_TYPE} if no allowed reader recognises the
     *     bytes, {@code CORRUPT_IMAGE} if the header cannot be read or declares an empty image,
     *     {@code TOO_MANY_PIXELS} if it declares more than the limits
     * @throws UncheckedIOException if the file cannot be opened at all
     */
    public ImageInfo inspect(Path file) throws RejectedImageException {
        try (ImageInputStream in = AllowedReaders.open(file)) {
            AllowedReaders.Match match = AllowedReaders.find(in)
                    .orElseThrow(() -> new RejectedImageException(RejectionReason.UNSUPPORTED_TYPE));
            ImageReader reader = match.reader();
            try {
                Size size = headerSize(reader, in);
                checkSize(size);
                return new ImageInfo(match.type(), size.width(), size.height());
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            // Only close() gets here; every read is handled in headerSize.
            throw new UncheckedIOException("could not close the image file", e);
        }
    }

    /** Reads width and height from the header; no pixel is decoded. */
    private static Size headerSize(ImageReader reader, ImageInputStream in) throws RejectedImageException {
        try {
            // ignoreMetadata: skip text and profile chunks, which a hostile file can make huge.
            reader.setInput(in, false, true);
            return new Size(reader.getWidth(0), reader.getHeight(0));
        } catch (IOException | RuntimeException e) {
            throw DecodeFailures.corrupt("header", e);
        }
    }

    private void checkSize(Size size) throws RejectedImageException {
        int width = size.width();
        int height = size.height();
        if (width < 1 || height < 1) {
            throw new RejectedImageException(RejectionReason.CORRUPT_IMAGE, "header declares an empty image");
        }
        if (width > maxSide || height > maxSide || (long) width * height > maxPixels) {
            throw new RejectedImageException(RejectionReason.TOO_MANY_PIXELS);
        }
    }
}
