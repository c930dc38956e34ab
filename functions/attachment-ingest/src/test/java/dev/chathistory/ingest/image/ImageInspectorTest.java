package dev.chathistory.ingest.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.chathistory.ingest.TestImages;
import dev.chathistory.shared.attachments.ImageType;
import dev.chathistory.shared.attachments.RejectionReason;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ImageInspectorTest {

    private static final long MAX_PIXELS = 50_000_000;
    private static final int MAX_SIDE = 16_384;

    @TempDir
    Path dir;

    private final ImageInspector inspector = new ImageInspector(MAX_PIXELS, MAX_SIDE);

    static Stream<Arguments> allowedImages() {
        return Stream.of(
                arguments(ImageType.JPEG, TestImages.jpeg(640, 480, 1), 640, 480),
                arguments(ImageType.PNG, TestImages.png(300, 200, 2), 300, 200),
                arguments(ImageType.GIF, TestImages.gif(120, 90, 3), 120, 90),
                arguments(ImageType.WEBP, TestImages.webp(1000, 750, 0xff2050a0), 1000, 750));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allowedImages")
    void inspect_shouldDetectTypeAndHeaderDimensions_fromTheBytesAlone(ImageType type, byte[] bytes, int width,
                                                                       int height) throws Exception {
        ImageInfo info = inspector.inspect(write("upload", bytes));

        assertThat(info).isEqualTo(new ImageInfo(type, width, height));
    }

    @Test
    void inspect_shouldIgnoreTheFileName_whenItNamesAnotherType() throws Exception {
        ImageInfo info = inspector.inspect(write("sticker.png", TestImages.jpeg(64, 48, 4)));

        assertThat(info.type()).isEqualTo(ImageType.JPEG);
    }

    @Test
    void inspect_shouldRejectUnsupportedType_whenTextIsRenamedToJpg() throws IOException {
        assertRejected(write("photo.jpg", TestImages.text()), RejectionReason.UNSUPPORTED_TYPE);
    }

    @Test
    void inspect_shouldRejectUnsupportedType_whenImageIsBmp() throws IOException {
        // The JDK has a BMP reader, and it does recognise the file: recognised is not allowed.
        assertRejected(write("photo.png", TestImages.bmp(40, 30, 5)), RejectionReason.UNSUPPORTED_TYPE);
    }

    @Test
    void inspect_shouldRejectUnsupportedType_whenFileIsEmpty() throws IOException {
        assertRejected(write("empty.gif", new byte[0]), RejectionReason.UNSUPPORTED_TYPE);
    }

    @Test
    void inspect_shouldRejectTooManyPixels_whenHeaderClaims20000x20000() throws Exception {
        Path bomb = write("bomb.png", TestImages.pngClaiming(20_000, 20_000));
        inspector.inspect(write("warm-up.png", TestImages.png(16, 16, 6)));
        long allocatedBefore = allocatedBytes();

        assertRejected(bomb, RejectionReason.TOO_MANY_PIXELS);

        // Decoding would need 1.2 GB; reading the header needs next to nothing.
        assertThat(allocatedBytes() - allocatedBefore).isLessThan(2L * 1024 * 1024);
    }

    @Test
    void inspect_shouldRejectTooManyPixels_whenOneSideIsLongerThanMaxSide() throws IOException {
        assertRejected(write("strip.png", TestImages.pngClaiming(MAX_SIDE + 1, 2)), RejectionReason.TOO_MANY_PIXELS);
    }

    @Test
    void inspect_shouldAccept_whenImageIsExactlyAtTheLimits() throws Exception {
        ImageInspector small = new ImageInspector(600, 30);

        assertThat(small.inspect(write("edge.png", TestImages.pngClaiming(30, 20))))
                .isEqualTo(new ImageInfo(ImageType.PNG, 30, 20));
        assertRejected(small, write("over.png", TestImages.pngClaiming(30, 21)), RejectionReason.TOO_MANY_PIXELS);
        assertRejected(small, write("long.png", TestImages.pngClaiming(31, 2)), RejectionReason.TOO_MANY_PIXELS);
    }

    @Test
    void inspect_shouldRejectCorruptImage_whenHeaderIsCutShort() throws IOException {
        // The signature is there, so the PNG reader takes it; the header chunk is not.
        assertRejected(write("cut.png", TestImages.truncated(TestImages.pngClaiming(100, 100), 0.25)),
                RejectionReason.CORRUPT_IMAGE);
    }

    @Test
    void inspect_shouldRejectCorruptImage_whenPngHeaderDeclaresZeroWidth() throws IOException {
        assertRejected(write("zero.png", TestImages.pngClaiming(0, 10)), RejectionReason.CORRUPT_IMAGE);
    }

    @Test
    void inspect_shouldRejectCorruptImage_whenGifFrameDeclaresZeroWidth() throws IOException {
        // The GIF reader reports a zero width without complaint; the inspector must not.
        assertRejected(write("zero.gif", withZeroFrameWidth(TestImages.gif(20, 10, 7))), RejectionReason.CORRUPT_IMAGE);
    }

    @Test
    void rejection_shouldNotQuoteTheFile_inItsMessage() throws IOException {
        byte[] secret = "PRIVATE chat log: the password is hunter2".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        assertThatThrownBy(() -> inspector.inspect(write("secret.webp", secret)))
                .isInstanceOf(RejectedImageException.class)
                .hasMessageNotContaining("hunter2")
                .hasNoCause();
    }

    private void assertRejected(Path file, RejectionReason reason) {
        assertRejected(inspector, file, reason);
    }

    private static void assertRejected(ImageInspector inspector, Path file, RejectionReason reason) {
        assertThatThrownBy(() -> inspector.inspect(file))
                .isInstanceOfSatisfying(RejectedImageException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /**
     * The GIF with its first image descriptor's width set to 0: past the 13-byte header, the
     * global colour table and any extension blocks (label, then sub-blocks up to an empty one).
     */
    private static byte[] withZeroFrameWidth(byte[] gif) {
        byte[] patched = gif.clone();
        int position = 13;
        if ((gif[10] & 0x80) != 0) {
            position += 3 * (2 << (gif[10] & 0x07));
        }
        while (gif[position] == 0x21) {
            position += 2;
            while (gif[position] != 0) {
                position += (gif[position] & 0xff) + 1;
            }
            position++;
        }
        assertThat(gif[position]).as("image descriptor").isEqualTo((byte) 0x2c);
        patched[position + 5] = 0;
        patched[position + 6] = 0;
        return patched;
    }
}
