package dev.chathistory.ingest;

import dev.chathistory.ingest.image.ImageEncoder;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;

/**
 * Image files for tests and the thumbnail benchmark, made in memory and deterministic: the same
 * arguments always give the same bytes. Pictures are smooth gradients and waves with seeded
 * per-pixel noise, so they compress about as well as photographs do (JPEG and PNG sizes are in
 * a realistic range) and different seeds give different files.
 */
public final class TestImages {

    /** JPEG quality of a typical phone camera. */
    private static final float CAMERA_JPEG_QUALITY = 0.9f;
    /** TwelveMonkeys' VP8L bit reader fills a 64-bit buffer from the stream: 8 bytes ahead. */
    private static final int WEBP_READ_AHEAD = 8;
    /** Noise amplitude (+/-) per channel: sensor-like grain. */
    private static final int NOISE = 3;

    private TestImages() {
    }

    public static byte[] jpeg(int width, int height, long seed) {
        return ImageEncoder.encode(picture(width, height, seed, false), "jpeg", CAMERA_JPEG_QUALITY);
    }

    public static byte[] png(int width, int height, long seed) {
        return ImageEncoder.encode(picture(width, height, seed, false), "png", null);
    }

    /** A sticker: a round picture, opaque in the middle, fading to fully transparent corners. */
    public static byte[] pngWithAlpha(int width, int height, long seed) {
        return ImageEncoder.encode(picture(width, height, seed, true), "png", null);
    }

    /** A GIF; the JDK's writer reduces the picture to a 256-colour palette. */
    public static byte[] gif(int width, int height, long seed) {
        return ImageEncoder.encode(picture(width, height, seed, false), "gif", null);
    }

    /** A Windows bitmap: a real image, of a type we refuse. */
    public static byte[] bmp(int width, int height, long seed) {
        return ImageEncoder.encode(picture(width, height, seed, false), "bmp", null);
    }

    /**
     * A lossless WebP of one colour, written by hand because ImageIO has no WebP writer.
     *
     * <p>The file is a RIFF container ({@code "RIFF"}, little-endian size of the rest,
     * {@code "WEBP"}) holding one {@code "VP8L"} chunk (RFC 9649). Its payload is a bit stream
     * read least-significant bit first:
     * <ul>
     *   <li>signature byte 0x2f; 14 bits width - 1; 14 bits height - 1; 1 bit "alpha is used";
     *       3 bits version 0;
     *   <li>0: no transform; 0: no colour cache; 0: no meta prefix codes, so one group of five
     *       prefix codes serves the whole image;
     *   <li>five "simple" prefix codes, for green (the G byte), red, blue, alpha and backward
     *       distance (0), each {@code 1} (simple), {@code 0} (one symbol), {@code 1} (8-bit
     *       symbol), then the 8-bit symbol.
     * </ul>
     * A prefix code with a single symbol takes zero bits to read, so every pixel is that one
     * green, red, blue and alpha value without any pixel data at all. The payload is padded to
     * whole bytes and then by {@link #WEBP_READ_AHEAD} zero bytes (decoders ignore what follows
     * the image data), and the chunk to an even length as RIFF requires.
     *
     * @param width 1 to 16384
     * @param height 1 to 16384
     */
    public static byte[] webp(int width, int height, int argb) {
        return webp(width, height, argb, WEBP_READ_AHEAD);
    }

    /**
     * {@link #webp} without the zero bytes after the codes: valid by the letter of the format,
     * but TwelveMonkeys' reader keeps trying (and failing) to read ahead for every pixel, a
     * tiny file that costs minutes of CPU unless something stops it.
     */
    public static byte[] webpEndingAtItsLastCode(int width, int height, int argb) {
        return webp(width, height, argb, 0);
    }

    private static byte[] webp(int width, int height, int argb, int slack) {
        if (width < 1 || height < 1 || width > 1 << 14 || height > 1 << 14) {
            throw new IllegalArgumentException("a VP8L image is 1 to 16384 pixels a side");
        }
        int alpha = argb >>> 24;
        LsbBitWriter bits = new LsbBitWriter();
        bits.write(0x2f, 8);
        bits.write(width - 1, 14);
        bits.write(height - 1, 14);
        bits.write(alpha == 0xff ? 0 : 1, 1);
        bits.write(0, 3);
        bits.write(0, 1);
        bits.write(0, 1);
        bits.write(0, 1);
        for (int symbol : new int[] {(argb >> 8) & 0xff, (argb >> 16) & 0xff, argb & 0xff, alpha, 0}) {
            bits.write(1, 1);
            bits.write(0, 1);
            bits.write(1, 1);
            bits.write(symbol, 8);
        }
        byte[] codes = bits.toByteArray();
        int payload = codes.length + slack;
        int padded = payload + (payload & 1);
        ByteBuffer file = ByteBuffer.allocate(20 + padded).order(ByteOrder.LITTLE_ENDIAN);
        file.put(ascii("RIFF")).putInt(12 + padded).put(ascii("WEBP"));
        file.put(ascii("VP8L")).putInt(payload).put(codes);
        return file.array();
    }

    /**
     * A PNG whose header claims {@code width x height} RGB pixels, with a valid signature, a
     * header chunk with a correct CRC, one tiny data chunk and the end chunk: the shape of a
     * decompression bomb, a few dozen bytes that would decode to {@code 3 x width x height}.
     */
    public static byte[] pngClaiming(int width, int height) {
        ByteBuffer header = ByteBuffer.allocate(13);
        header.putInt(width).putInt(height);
        header.put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        pngChunk(png, "IHDR", header.array());
        pngChunk(png, "IDAT", deflate(new byte[16]));
        pngChunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    /** The first {@code keepFraction} of a file, as an interrupted upload would leave it. */
    public static byte[] truncated(byte[] image, double keepFraction) {
        if (keepFraction <= 0 || keepFraction >= 1) {
            throw new IllegalArgumentException("keepFraction must be between 0 and 1");
        }
        return Arrays.copyOf(image, (int) (image.length * keepFraction));
    }

    /** Plain text, such as a README renamed to {@code photo.jpg}. */
    public static byte[] text() {
        return "# chat-history\n\nServerless chat history for bots: messages, attachments and exports.\n"
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Gradients in red and green, fine ripples in green, broad waves in blue and seeded noise in
     * every channel (StrictMath, so the pixels are the same on every JVM); with
     * {@code sticker}, an alpha channel that is opaque inside a circle and fades out beyond it.
     */
    private static BufferedImage picture(int width, int height, long seed, boolean sticker) {
        BufferedImage image = new BufferedImage(width, height,
                sticker ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        int[] waveX = wave(width, 7.0, 40);
        int[] waveY = wave(height, 5.0, 40);
        // Fine detail, like foliage or fabric: what makes real photographs cost JPEG bits.
        int[] ripplesX = wave(width, width / 9.0, 24);
        int[] ripplesY = wave(height, height / 13.0, 24);
        // Spread the seed's bits; xorshift must not start from zero.
        long state = seed * 0x9E3779B97F4A7C15L + 0x2545F4914F6CDD1DL;
        state = state == 0 ? 1 : state;
        double radius = Math.min(width, height) / 2.0;
        for (int y = 0; y < height; y++) {
            int green = 30 + (int) (180L * y / height);
            for (int x = 0; x < width; x++) {
                // xorshift64: cheap enough for 50-megapixel benchmark images, and seedable.
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                int r = 30 + (int) (180L * x / width) + noise(state);
                int g = green + ripplesX[x] * ripplesY[y] / 24 + noise(state >>> 16);
                int b = 100 + waveX[x] + waveY[y] + noise(state >>> 32);
                int a = sticker ? alpha(x, y, width, height, radius) : 0xff;
                pixels[y * width + x] = a << 24 | clamp(r) << 16 | clamp(g) << 8 | clamp(b);
            }
        }
        return image;
    }

    private static int[] wave(int length, double periods, int amplitude) {
        int[] wave = new int[length];
        for (int i = 0; i < length; i++) {
            wave[i] = (int) Math.round(amplitude * StrictMath.sin(2 * Math.PI * periods * i / length));
        }
        return wave;
    }

    private static int noise(long bits) {
        return (int) ((bits & 0xffff) % (2 * NOISE + 1)) - NOISE;
    }

    private static int alpha(int x, int y, int width, int height, double radius) {
        double distance = StrictMath.hypot(x + 0.5 - width / 2.0, y + 0.5 - height / 2.0);
        double fade = Math.max(1.0, radius * 0.1);
        return clamp((int) Math.round(255 * (radius - distance) / fade));
    }

    private static int clamp(int value) {
        return Math.max(0, Math.min(255, value));
    }

    /** Length, type, data, then the CRC-32 of type and data, as PNG chunks are laid out. */
    private static void pngChunk(ByteArrayOutputStream png, String type, byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(ascii(type));
        crc.update(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        png.writeBytes(ascii(type));
        png.writeBytes(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater();
        try {
            deflater.setInput(data);
            deflater.finish();
            byte[] out = new byte[64 + data.length];
            int length = deflater.deflate(out);
            return Arrays.copyOf(out, length);
        } finally {
            deflater.end();
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Packs values into bytes least-significant bit first, as VP8L is read. */
    private static final class LsbBitWriter {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private int current;
        private int used;

        void write(int value, int count) {
            for (int i = 0; i < count; i++) {
                current |= ((value >>> i) & 1) << used;
                if (++used == 8) {
                    bytes.write(current);
                    current = 0;
                    used = 0;
                }
            }
        }

        byte[] toByteArray() {
            if (used > 0) {
                bytes.write(current);
                current = 0;
                used = 0;
            }
            return bytes.toByteArray();
        }
    }
}
