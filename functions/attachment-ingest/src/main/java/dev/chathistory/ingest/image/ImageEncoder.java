package dev.chathistory.ingest.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Encodes an image with the JDK's writers, in memory. Thumbnails use it, and so do the test images. */
public final class ImageEncoder {

    private ImageEncoder() {
    }

    /**
     * @param format an ImageIO writer format name ({@code "jpeg"}, {@code "png"}, {@code "gif"})
     * @param quality the compression quality, or null to keep the writer's default
     */
    public static byte[] encode(BufferedImage image, String format, Float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (quality != null) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode the image", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
