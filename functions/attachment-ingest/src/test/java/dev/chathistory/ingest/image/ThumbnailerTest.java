package dev.chathistory.ingest.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.chathistory.ingest.TestImages;
import dev.chathistory.shared.attachments.ImageType;
import dev.chathistory.shared.attachments.RejectionReason;
import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ThumbnailerTest {

    private static final int MAX_SIDE = 320;

    @TempDir
    Path dir;

    private final ImageInspector inspector = new ImageInspector(50_000_000, 16_384);
    private final Thumbnailer thumbnailer = new Thumbnailer(MAX_SIDE);

    @Test
    void make_shouldFitLandscapeWithinMaxSide_keepingAspectRatio() throws Exception {
        Thumbnail thumbnail = thumbnail(TestImages.jpeg(1600, 900, 1));

        assertThat(dimensions(thumbnail)).isEqualTo(new Dimension(320, 180));
    }

    @Test
    void make_shouldFitPortraitWithinMaxSide_keepingAspectRatio() throws Exception {
        Thumbnail thumbnail = thumbnail(TestImages.png(900, 1600, 2));

        assertThat(dimensions(thumbnail)).isEqualTo(new Dimension(180, 320));
    }

    @Test
    void make_shouldKeepTheSize_whenImageIsSmallerThanMaxSide() throws Exception {
        Thumbnail thumbnail = thumbnail(TestImages.jpeg(200, 100, 3));

        assertThat(dimensions(thumbnail)).isEqualTo(new Dimension(200, 100));
    }

    @Test
    void make_shouldKeepAtLeastOnePixel_whenImageIsVeryThin() throws Exception {
        Thumbnail thumbnail = thumbnail(TestImages.png(4000, 3, 4));

        assertThat(dimensions(thumbnail)).isEqualTo(new Dimension(320, 1));
    }

    @Test
    void make_shouldWritePngKeepingTransparency_whenSourceHasAlpha() throws Exception {
        Thumbnail thumbnail = thumbnail(TestImages.pngWithAlpha(800, 800, 5));

        assertThat(thumbnail.contentType()).isEqualTo("image/png");
        BufferedImage image = decode(thumbnail);
        assertThat(image.getColorModel().hasAlpha()).isTrue();
        assertThat(image.getRGB(0, 0) >>> 24).as("corner alpha").isZero();
        assertThat(image.getRGB(160, 160) >>> 24).as("centre alpha").isEqualTo(0xff);
    }

    @Test
    void make_shouldWriteJpeg_whenSourceIsOpaque() throws Exception {
        Thumbnail thumbnail = thumbnail(TestImages.png(800, 600, 6));

        assertThat(thumbnail.contentType()).isEqualTo("image/jpeg");
        assertThat(inspector.inspect(Files.write(dir.resolve("thumbnail"), thumbnail.bytes())).type())
                .isEqualTo(ImageType.JPEG);
    }

    @Test
    void make_shouldGiveByteIdenticalThumbnails_forTheSameBytes() throws Exception {
        byte[] photo = TestImages.jpeg(2000, 1500, 7);
        byte[] sticker = TestImages.pngWithAlpha(700, 700, 7);

        Thumbnail first = thumbnail(photo);
        Path copy = write("copy.jpg", photo);
        Thumbnail fromAnotherThumbnailer = new Thumbnailer(MAX_SIDE).make(copy, inspector.inspect(copy));

        assertThat(fromAnotherThumbnailer.bytes()).isEqualTo(first.bytes());
        assertThat(thumbnail(sticker).bytes()).isEqualTo(thumbnail(sticker).bytes());
        assertThat(thumbnail(photo).bytes()).isNotEqualTo(thumbnail(TestImages.jpeg(2000, 1500, 8)).bytes());
    }

    @Test
    void make_shouldThumbnailWebP_inItsColour() throws Exception {
        Thumbnail thumbnail = thumbnail(TestImages.webp(1000, 500, 0xff3366cc));

        assertThat(thumbnail.contentType()).isEqualTo("image/jpeg");
        BufferedImage image = decode(thumbnail);
        assertThat(dimensions(thumbnail)).isEqualTo(new Dimension(320, 160));
        assertColourNear(image.getRGB(0, 0), 0x3366cc);
        assertColourNear(image.getRGB(319, 159), 0x3366cc);
    }

    @Test
    void make_shouldThumbnailTranslucentWebP_asPng() throws Exception {
        Thumbnail thumbnail = thumbnail(TestImages.webp(64, 48, 0x80336699));

        assertThat(thumbnail.contentType()).isEqualTo("image/png");
        assertThat(decode(thumbnail).getRGB(10, 10)).isEqualTo(0x80336699);
    }

    @Test
    void make_shouldThumbnailGif() throws Exception {
        Thumbnail thumbnail = thumbnail(TestImages.gif(640, 480, 9));

        assertThat(dimensions(thumbnail)).isEqualTo(new Dimension(320, 240));
    }

    @Test
    void make_shouldRejectCorruptImage_whenPngIsTruncated() throws Exception {
        assertCorruptAfterHeader(TestImages.truncated(TestImages.png(800, 600, 10), 0.5));
    }

    @Test
    void make_shouldRejectCorruptImage_whenJpegIsTruncated() throws Exception {
        // The JDK's JPEG reader does not fail here: it warns and fills the missing rows with grey.
        assertCorruptAfterHeader(TestImages.truncated(TestImages.jpeg(800, 600, 11), 0.5));
    }

    @Test
    void make_shouldRejectCorruptImage_whenGifIsTruncated() throws Exception {
        assertCorruptAfterHeader(TestImages.truncated(TestImages.gif(400, 300, 12), 0.5));
    }

    @Test
    void make_shouldRejectCorruptImage_soonAfterTheDecoderRunsOutOfData() throws Exception {
        // Unguarded, TwelveMonkeys' reader spends an exception per pixel here: over a minute.
        Path file = write("starved.webp", TestImages.webpEndingAtItsLastCode(2000, 1500, 0xff3366cc));
        ImageInfo info = inspector.inspect(file);

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> thumbnailer.make(file, info))
                .isInstanceOfSatisfying(RejectedImageException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectionReason.CORRUPT_IMAGE)));
    }

    @Test
    void make_shouldRefuseAFile_thatIsNotOfTheInspectedType() throws IOException {
        Path file = write("photo.jpg", TestImages.jpeg(50, 50, 13));

        assertThatThrownBy(() -> thumbnailer.make(file, new ImageInfo(ImageType.PNG, 50, 50)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void make_shouldAllocateFarLessThanTheDecodedImage_whenImageIsLarge() throws Exception {
        byte[] photo = TestImages.jpeg(4000, 3000, 14);
        thumbnail(TestImages.jpeg(800, 600, 15));
        Path file = write("large.jpg", photo);
        ImageInfo info = inspector.inspect(file);
        long before = allocatedBytes();

        thumbnailer.make(file, info);

        // Decoded whole, the image alone would be 4000 x 3000 x 3 bytes = 36 MB.
        assertThat(allocatedBytes() - before).isLessThan(8L * 1024 * 1024);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 319, 320, 321, 639, 640, 641, 1279, 1280, 1281, 4032, 9999, 16_384})
    void subsampling_shouldDecodeBetweenOneAndTwoThumbnailSides(int longest) {
        int step = Thumbnailer.subsampling(longest, 1, MAX_SIDE);
        int decoded = (longest + step - 1) / step;

        assertThat(decoded).isBetween(Math.min(longest, MAX_SIDE), 2 * MAX_SIDE);
        assertThat(Thumbnailer.subsampling(1, longest, MAX_SIDE)).isEqualTo(step);
    }

    private Thumbnail thumbnail(byte[] bytes) throws Exception {
        Path file = write("upload", bytes);
        return thumbnailer.make(file, inspector.inspect(file));
    }

    /** The header is fine, so the inspector accepts the file; only decoding shows the damage. */
    private void assertCorruptAfterHeader(byte[] bytes) throws Exception {
        Path file = write("damaged", bytes);
        ImageInfo info = inspector.inspect(file);

        assertThatThrownBy(() -> thumbnailer.make(file, info))
                .isInstanceOfSatisfying(RejectedImageException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectionReason.CORRUPT_IMAGE));
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    /** The size the encoded thumbnail really has, checked against what the record says. */
    private static Dimension dimensions(Thumbnail thumbnail) throws IOException {
        BufferedImage image = decode(thumbnail);
        Dimension decoded = new Dimension(image.getWidth(), image.getHeight());
        assertThat(decoded).isEqualTo(new Dimension(thumbnail.width(), thumbnail.height()));
        return decoded;
    }

    private static BufferedImage decode(Thumbnail thumbnail) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(thumbnail.bytes()));
    }

    private static void assertColourNear(int argb, int rgb) {
        for (int shift = 0; shift <= 16; shift += 8) {
            assertThat((argb >> shift) & 0xff).isCloseTo((rgb >> shift) & 0xff,
                    org.assertj.core.data.Offset.offset(4));
        }
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
