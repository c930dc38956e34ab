package dev.chathistory.ingest.image;

import dev.chathistory.shared.attachments.RejectionReason;
import java.awt.AlphaComposite;
import java.awt.Dimension;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Makes the thumbnail of an inspected image: its first frame, fitted within
 * {@code maxSide x maxSide}, as PNG when the source has an alpha channel (stickers keep their
 * transparency) and as JPEG otherwise. Decoding the whole image is also the only full check of
 * its data, so any decoder error or warning rejects the upload as corrupt.
 *
 * <p>Memory stays bounded by the thumbnail size, not the image: the decoder is asked to keep
 * only every n-th pixel of every n-th row, n chosen so the decoded raster is at most twice the
 * thumbnail's side, and the rest is scaled with bilinear filtering in steps of at most 2x.
 * Sub-sampling keeps single pixels, not averages, so fine patterns may alias a little; averaging
 * down from up to twice the final size keeps that small. The JDK's JPEG, PNG and GIF readers
 * honour sub-sampling as they decode. TwelveMonkeys' WebP readers (3.14.0) do less: the lossy
 * one keeps about a byte of state per pixel, and the lossless one decodes the full image
 * before sub-sampling it, 3 to 4 bytes per pixel, so only the pixel limit bounds those.
 *
 * <p>The same bytes always give the same thumbnail on the same JVM: nothing here depends on
 * time, threads or the environment. Only {@link BufferedImage} and ImageIO are used, never the
 * AWT toolkit or fonts, so it runs headless.
 */
public final class Thumbnailer {

    private static final float JPEG_QUALITY = 0.85f;

    private final int maxSide;

    public Thumbnailer(int maxSide) {
        if (maxSide < 1) {
            throw new IllegalArgumentException("maxSide must be positive");
        }
        this.maxSide = maxSide;
    }

    /**
     * @param info what {@link ImageInspector#inspect} said of this same file; its dimensions
     *     were checked against the pixel limits, and size the sub-sampling
     * @throws RejectedImageException {@code CORRUPT_IMAGE} if the image data cannot be decoded
     *     cleanly (truncated, damaged, or the decoder warned)
     * @throws IllegalArgumentException if the file is not of {@code info}'s type
     */
    public Thumbnail make(Path file, ImageInfo info) throws RejectedImageException {
        BufferedImage decoded = decodeFirstFrame(file, info);
        boolean alpha = decoded.getColorModel().hasAlpha();
        Dimension size = fit(info.width(), info.height(), maxSide);
        BufferedImage scaled = scale(decoded, size.width, size.height, alpha);
        return alpha
                ? new Thumbnail(ImageEncoder.encode(scaled, "png", null), "image/png", size.width, size.height)
                : new Thumbnail(ImageEncoder.encode(scaled, "jpeg", JPEG_QUALITY), "image/jpeg", size.width, size.height);
    }

    /**
     * The largest size within {@code maxSide x maxSide} with the image's aspect ratio, never
     * larger than the image and never below one pixel a side.
     */
    static Dimension fit(int width, int height, int maxSide) {
        int longest = Math.max(width, height);
        if (longest <= maxSide) {
            return new Dimension(width, height);
        }
        double scale = (double) maxSide / longest;
        return new Dimension(
                Math.max(1, (int) Math.round(width * scale)),
                Math.max(1, (int) Math.round(height * scale)));
    }

    /**
     * The sub-sampling step that decodes at most {@code 2 x maxSide} pixels on the longest side.
     * Rounding the step up keeps the decoded side at least {@code maxSide}, so nothing is ever
     * scaled up afterwards.
     */
    static int subsampling(int width, int height, int maxSide) {
        int longest = Math.max(width, height);
        long target = 2L * maxSide;
        return (int) Math.max(1, (longest + target - 1) / target);
    }

    private BufferedImage decodeFirstFrame(Path file, ImageInfo info) throws RejectedImageException {
        try (ImageInputStream in = AllowedReaders.open(file)) {
            AllowedReaders.Match match = AllowedReaders.find(in)
                    .filter(m -> m.type() == info.type())
                    .orElseThrow(() -> new IllegalArgumentException("the file is not the inspected " + info.type()));
            ImageReader reader = match.reader();
            try {
                return decode(reader, in, subsampling(info.width(), info.height(), maxSide));
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            // Only close() gets here; every read is handled in decode.
            throw new UncheckedIOException("could not close the image file", e);
        }
    }

    private static BufferedImage decode(ImageReader reader, ImageInputStream in, int step)
            throws RejectedImageException {
        // The JDK's JPEG reader only warns about a truncated file and fills the rest with grey;
        // warnings are collected, since throwing from a listener would unwind through native code.
        boolean[] warned = {false};
        reader.addIIOReadWarningListener((source, warning) -> warned[0] = true);
        BufferedImage image;
        try {
            // ignoreMetadata: skip text and profile chunks, which a hostile file can make huge.
            reader.setInput(in, false, true);
            ImageReadParam param = reader.getDefaultReadParam();
            param.setSourceSubsampling(step, step, 0, 0);
            image = reader.read(0, param);
        } catch (IOException | RuntimeException e) {
            throw DecodeFailures.corrupt("image data", e);
        }
        if (warned[0]) {
            throw new RejectedImageException(RejectionReason.CORRUPT_IMAGE, "decoder warned");
        }
        return image;
    }

    /**
     * Scales down in steps of at most 2x with bilinear filtering (each step then reads every
     * source pixel, which one large bilinear step would skip), ending at exactly
     * {@code width x height} in a plain RGB or ARGB image the encoders take as is.
     */
    private static BufferedImage scale(BufferedImage source, int width, int height, boolean alpha) {
        int type = alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
        BufferedImage current = source;
        while (current.getWidth() / 2 >= width && current.getHeight() / 2 >= height) {
            current = draw(current, current.getWidth() / 2, current.getHeight() / 2, type);
        }
        return draw(current, width, height, type);
    }

    private static BufferedImage draw(BufferedImage source, int width, int height, int type) {
        BufferedImage target = new BufferedImage(width, height, type);
        Graphics2D g = target.createGraphics();
        try {
            // Src copies alpha as it is instead of blending it over the (transparent) target.
            g.setComposite(AlphaComposite.Src);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(source, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return target;
    }
}
