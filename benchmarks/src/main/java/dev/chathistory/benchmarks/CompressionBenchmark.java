package dev.chathistory.benchmarks;

import com.github.luben.zstd.Zstd;
import dev.chathistory.shared.archive.ChunkFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.jar.JarFile;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * gzip (the JDK's zlib) against zstd (zstd-jni) on archive chunks: JSON Lines written by the
 * archiver's own {@link ChunkFormat} from {@link ChatTextGenerator} chats. The decision is about
 * 99-message chunks (one DynamoDB transaction); 500 and 2000 show what larger chunks would change.
 *
 * <p>Every chunk is compressed and decompressed on its own with the one-shot APIs, one thread,
 * as an archiving Lambda would. Speeds are of raw (uncompressed) bytes in both directions.
 * Usage: {@code benchmarks/run-compression-benchmark}.
 */
public final class CompressionBenchmark {

    /** Chunk sizes and how many chats each: fewer large chunks keep each size near 10-20 MB raw. */
    private static final int[][] SIZES = {{99, 200}, {500, 40}, {2000, 10}};
    private static final long WARM_UP_NANOS = 300_000_000L;
    private static final long MEASURE_NANOS = 1_000_000_000L;
    private static final long SEED = 20_260_301L;

    private record Codec(String name, int level, UnaryOperator<byte[]> compress, UnaryOperator<byte[]> decompress) {
    }

    private record Result(int messages, int chunks, Codec codec, long rawBytes, long compressedBytes, double medianRaw,
                          double medianCompressed, double compressMBps, double decompressMBps) {
    }

    public static void main(String[] args) throws IOException {
        List<byte[]> probe = chunks(new ChatTextGenerator(SEED - 1), 99, 1);
        // First, before anything warms either codec up: what the first chunk of a cold start pays.
        long gzipFirstCall = firstCall(() -> gzip(probe.get(0), 6));
        long zstdFirstCall = firstCall(() -> Zstd.compress(probe.get(0), 3));

        List<Codec> codecs = List.of(
                gzipCodec(1), gzipCodec(6), gzipCodec(9),
                zstdCodec(1), zstdCodec(3), zstdCodec(9), zstdCodec(19));

        ChatTextGenerator generator = new ChatTextGenerator(SEED);
        List<Result> results = new ArrayList<>();
        for (int[] size : SIZES) {
            List<byte[]> chunks = chunks(generator, size[0], size[1]);
            if (results.isEmpty()) {
                warmUp(codecs, chunks);
            }
            for (Codec codec : codecs) {
                results.add(measure(codec, size[0], chunks));
            }
        }

        print(results, gzipFirstCall, zstdFirstCall);
    }

    private static Codec gzipCodec(int level) {
        return new Codec("gzip", level, raw -> gzip(raw, level), CompressionBenchmark::gunzip);
    }

    private static Codec zstdCodec(int level) {
        // The frame header carries the content size (Zstd.compress writes it), so the output is sized exactly.
        return new Codec("zstd", level, raw -> Zstd.compress(raw, level),
                stored -> Zstd.decompress(stored, Math.toIntExact(Zstd.getFrameContentSize(stored))));
    }

    /** As the archive codec writes gzip: a GZIPOutputStream whose Deflater is set to the level. */
    private static byte[] gzip(byte[] raw, int level) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 3);
        try (GZIPOutputStream gzip = new LevelledGzipOutputStream(out, level)) {
            gzip.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] gunzip(byte[] stored) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(stored), 16 * 1024)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<byte[]> chunks(ChatTextGenerator generator, int messages, int count) {
        List<byte[]> chunks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            chunks.add(ChunkFormat.encode(generator.chat(messages)));
        }
        return chunks;
    }

    private static long firstCall(Runnable call) {
        long started = System.nanoTime();
        call.run();
        return System.nanoTime() - started;
    }

    /**
     * Timed passes over all chunks, each way, until MEASURE_NANOS have gone by (at least two).
     * Speeds come from the fastest pass: other load on the machine can only slow a pass down.
     */
    private static Result measure(Codec codec, int messages, List<byte[]> chunks) {
        long raw = chunks.stream().mapToLong(chunk -> chunk.length).sum();
        double fastestCompress = Double.MAX_VALUE;
        double fastestDecompress = Double.MAX_VALUE;
        List<byte[]> stored = List.of();
        long started = System.nanoTime();
        for (int pass = 0; pass < 2 || System.nanoTime() - started < MEASURE_NANOS; pass++) {
            long t0 = System.nanoTime();
            stored = chunks.stream().map(codec.compress).toList();
            long t1 = System.nanoTime();
            List<byte[]> restored = stored.stream().map(codec.decompress).toList();
            long t2 = System.nanoTime();
            fastestCompress = Math.min(fastestCompress, (t1 - t0) / 1e9);
            fastestDecompress = Math.min(fastestDecompress, (t2 - t1) / 1e9);
            for (int i = 0; i < chunks.size(); i++) {
                if (!Arrays.equals(chunks.get(i), restored.get(i))) {
                    throw new IllegalStateException(codec.name + " " + codec.level + " did not round-trip");
                }
            }
        }
        return new Result(messages, chunks.size(), codec, raw, stored.stream().mapToLong(b -> b.length).sum(),
                median(chunks), median(stored), raw / fastestCompress / 1e6, raw / fastestDecompress / 1e6);
    }

    /** Brings the JIT to steady state on every codec's Java side before anything is measured. */
    private static void warmUp(List<Codec> codecs, List<byte[]> chunks) {
        for (Codec codec : codecs) {
            long started = System.nanoTime();
            for (int i = 0; System.nanoTime() - started < WARM_UP_NANOS; i++) {
                codec.decompress.apply(codec.compress.apply(chunks.get(i % chunks.size())));
            }
        }
    }

    private static double median(List<byte[]> chunks) {
        int[] sorted = chunks.stream().mapToInt(chunk -> chunk.length).sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }

    private static void print(List<Result> results, long gzipFirstCall, long zstdFirstCall) throws IOException {
        System.out.println("| messages/chunk | chunks | codec | level | ratio | median chunk raw -> compressed"
                + " | total size vs gzip 6 | compress MB/s | decompress MB/s |");
        System.out.println("|---:|---:|---|---:|---:|---:|---:|---:|---:|");
        for (Result r : results) {
            long gzip6 = results.stream()
                    .filter(o -> o.messages == r.messages && o.codec.name.equals("gzip") && o.codec.level == 6)
                    .findFirst().orElseThrow().compressedBytes;
            System.out.printf(Locale.ROOT,
                    "| %d | %d | %s | %d | %.2f | %.1f kB -> %.1f kB | %+.1f%% | %.1f | %.1f |%n",
                    r.messages, r.chunks, r.codec.name, r.codec.level,
                    (double) r.rawBytes / r.compressedBytes, r.medianRaw / 1e3, r.medianCompressed / 1e3,
                    100.0 * (r.compressedBytes - gzip6) / gzip6, r.compressMBps, r.decompressMBps);
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "JVM: %s %s (%s); OS: %s %s %s; %d cores%n",
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                System.getProperty("java.vm.vendor"), System.getProperty("os.name"),
                System.getProperty("os.version"), System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "First call in a fresh JVM (class loading; for zstd also native library"
                + " extraction and loading): gzip %.1f ms, zstd %.1f ms%n", gzipFirstCall / 1e6, zstdFirstCall / 1e6);
        printZstdJar();
    }

    /** The jar every Lambda artifact would gain, and its Linux natives (what a per-platform jar keeps). */
    private static void printZstdJar() throws IOException {
        Path jar;
        try {
            jar = Path.of(Zstd.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        System.out.printf(Locale.ROOT, "zstd-jni jar: %s, %.2f MB%n", jar.getFileName(), Files.size(jar) / 1e6);
        try (JarFile file = new JarFile(jar.toFile())) {
            file.stream()
                    .filter(e -> e.getName().startsWith("linux/amd64/") || e.getName().startsWith("linux/aarch64/"))
                    .filter(e -> !e.isDirectory())
                    .forEach(e -> System.out.printf(Locale.ROOT, "  %s: %.2f MB (%.2f MB zipped)%n",
                            e.getName(), e.getSize() / 1e6, e.getCompressedSize() / 1e6));
        }
    }

    /** GZIPOutputStream only exposes the level through its protected Deflater. */
    private static final class LevelledGzipOutputStream extends GZIPOutputStream {
        LevelledGzipOutputStream(ByteArrayOutputStream out, int level) throws IOException {
            super(out, 8192);
            def.setLevel(level);
        }
    }
}
