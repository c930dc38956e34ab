package dev.chathistory.shared.archive;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The archive and export codec. gzip from the JDK was chosen over zstd by measurement (figures in
 * docs/architecture.md, "Archive"): on chunk-sized chat text zstd's gain did not pay for a native library in every
 * function artifact. The JDK writes a zero modification time, so equal input gives equal bytes,
 * which keeps chunk object keys (named by content hash) stable across retries.
 */
public final class Gzip {

    public static final String NAME = "gzip";

    /** Level 6 is zlib's default; the measurements show 9 buys almost nothing for far more time. */
    private static final int LEVEL = Deflater.DEFAULT_COMPRESSION;

    /** Bounds decompression so a corrupt or hostile object cannot exhaust memory. */
    private static final long MAX_INFLATED_BYTES = 256L * 1024 * 1024;

    private Gzip() {
    }

    public static byte[] compress(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, raw.length / 3));
        try (GZIPOutputStream gzip = new LevelledGzipOutputStream(out, LEVEL)) {
            gzip.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException("gzip into memory cannot fail", e);
        }
        return out.toByteArray();
    }

    public static byte[] decompress(byte[] stored) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(stored))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(stored.length * 4);
            byte[] buffer = new byte[16 * 1024];
            long total = 0;
            for (int read; (read = in.read(buffer)) != -1; ) {
                total += read;
                if (total > MAX_INFLATED_BYTES) {
                    throw new IllegalStateException("archived object inflates beyond " + MAX_INFLATED_BYTES + " bytes");
                }
                out.write(buffer, 0, read);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("archived object is not valid gzip", e);
        }
    }

    private static final class LevelledGzipOutputStream extends GZIPOutputStream {
        LevelledGzipOutputStream(ByteArrayOutputStream out, int level) throws IOException {
            super(out, 8192);
            def.setLevel(level);
        }
    }
}
