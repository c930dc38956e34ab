package dev.chathistory.benchmarks;

import dev.chathistory.ingest.TestImages;
import dev.chathistory.ingest.image.ImageInfo;
import dev.chathistory.ingest.image.ImageInspector;
import dev.chathistory.ingest.image.RejectedImageException;
import dev.chathistory.ingest.image.Thumbnailer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What the attachment-ingest function's {@link ImageInspector} and {@link Thumbnailer} cost in
 * time and memory, from small photos to the pixel limit, to size the function's MemorySize.
 *
 * <p>Every case runs in fresh child JVMs started the way Lambda's Java 17+ runtimes start
 * theirs (serial GC, C1 only), one at a time so they never compete for a core:
 * <ul>
 *   <li>a timing run: warm-up, then the median of several inspect and thumbnail calls, and the
 *       process's peak resident set (VmHWM) with a heap of twice the minimum below;
 *   <li>a search for the smallest {@code -Xmx} at which one inspect and one thumbnail succeed:
 *       the heap the work really needs, garbage excluded, which a pool's "peak usage" is not.
 * </ul>
 * Usage: {@code benchmarks/run-thumbnail-benchmark}.
 */
public final class ThumbnailBenchmark {

    /** The defaults the function is configured with. */
    private static final int THUMBNAIL_SIDE = 320;
    private static final long MAX_PIXELS = 50_000_000L;
    private static final int MAX_SIDE = 16_384;
    private static final long MAX_UPLOAD_BYTES = 10L * 1024 * 1024;

    private static final long SEED = 20_260_310L;
    private static final long WARM_UP_NANOS = 1_000_000_000L;
    private static final long MEASURE_NANOS = 2_000_000_000L;
    private static final int MIN_WARM_UP_RUNS = 2;
    private static final int MIN_RUNS = 5;
    private static final int MAX_RUNS = 50;
    /** Lambda gives a function one full vCPU at this MemorySize, and a share in proportion below it. */
    private static final int ONE_VCPU_MB = 1769;
    /** What we accept for the slowest photo the default limits let through, on Lambda. */
    private static final long TARGET_WORST_THUMBNAIL_MS = 1_000;

    private static final int[][] PHOTO_SIZES = {
            {640, 480}, {1920, 1080}, {4032, 3024}, {6000, 4000}, {8000, 6000}, {10_000, 5_000}};

    private record Case(String format, int width, int height, Supplier<byte[]> bytes) {
        long pixels() {
            return (long) width * height;
        }
    }

    private record Timing(double inspectMs, double thumbnailMs, int runs, long peakRssKb) {
    }

    private record Result(Case image, long fileBytes, Timing timing, int minHeapMb) {
        boolean withinDefaultLimits() {
            return fileBytes <= MAX_UPLOAD_BYTES && image.pixels() <= MAX_PIXELS;
        }
    }

    private ThumbnailBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--time")) {
            time(Path.of(args[1]));
        } else if (args.length > 0 && args[0].equals("--once")) {
            once(Path.of(args[1]));
        } else {
            run();
        }
    }

    private static void run() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("thumbnail-benchmark");
        List<Result> results = new ArrayList<>();
        try {
            for (Case image : cases()) {
                Path file = Files.write(dir.resolve("image"), image.bytes().get());
                long size = Files.size(file);
                int minHeapMb = minimumHeapMb(file);
                Timing timing = timed(file, Math.max(64, 2 * minHeapMb));
                results.add(new Result(image, size, timing, minHeapMb));
                System.err.printf(Locale.ROOT, "measured %s %dx%d%n", image.format(), image.width(), image.height());
                Files.delete(file);
            }
        } finally {
            Files.deleteIfExists(dir.resolve("image"));
            Files.delete(dir);
        }
        print(results);
    }

    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (int[] size : PHOTO_SIZES) {
            cases.add(new Case("JPEG", size[0], size[1], () -> TestImages.jpeg(size[0], size[1], SEED)));
        }
        for (int[] size : PHOTO_SIZES) {
            cases.add(new Case("PNG", size[0], size[1], () -> TestImages.png(size[0], size[1], SEED)));
        }
        // ImageIO cannot write WebP, so these are TestImages' one-colour files: their decoding time
        // is not a photo's, but TwelveMonkeys decodes lossless WebP into a full-size raster
        // whatever the sub-sampling, so their memory is that of any lossless WebP of that size.
        int edgeHeight = (int) (MAX_PIXELS / MAX_SIDE);
        cases.add(new Case("WebP lossless*", 4032, 3024, () -> TestImages.webp(4032, 3024, 0xff3366cc)));
        cases.add(new Case("WebP lossless*", MAX_SIDE, edgeHeight,
                () -> TestImages.webp(MAX_SIDE, edgeHeight, 0xff3366cc)));
        return cases;
    }

    // --- parent: child JVMs ---

    /** The smallest heap, to 2%, with which a fresh JVM inspects and thumbnails the file. */
    private static int minimumHeapMb(Path file) throws IOException, InterruptedException {
        int failing = 0;
        int fitting = 16;
        while (!fits(file, fitting)) {
            failing = fitting;
            fitting *= 2;
            if (fitting > 8192) {
                throw new IllegalStateException("no heap up to 8 GB was enough for " + file);
            }
        }
        while (fitting - failing > Math.max(1, fitting / 50)) {
            int middle = (failing + fitting) / 2;
            if (fits(file, middle)) {
                fitting = middle;
            } else {
                failing = middle;
            }
        }
        return fitting;
    }

    private static boolean fits(Path file, int heapMb) throws IOException, InterruptedException {
        ChildOutput child = runChild(heapMb, "--once", file);
        return child.exitCode() == 0 && child.lines().contains("ok");
    }

    private static Timing timed(Path file, int heapMb) throws IOException, InterruptedException {
        ChildOutput child = runChild(heapMb, "--time", file);
        String line = child.lines().stream().filter(l -> l.startsWith("timing ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("timing run failed: " + child.lines()));
        String[] fields = line.split(" ");
        return new Timing(Double.parseDouble(fields[1]), Double.parseDouble(fields[2]),
                Integer.parseInt(fields[3]), Long.parseLong(fields[4]));
    }

    private record ChildOutput(int exitCode, List<String> lines) {
    }

    private static ChildOutput runChild(int heapMb, String mode, Path file) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heapMb + "m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"),
                ThumbnailBenchmark.class.getName(), mode, file.toString())
                .redirectErrorStream(true)
                .start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("a child JVM did not finish");
        }
        return new ChildOutput(process.exitValue(), new String(output, StandardCharsets.UTF_8).lines().toList());
    }

    // --- children ---

    private static void once(Path file) throws RejectedImageException {
        ImageInfo info = new ImageInspector(MAX_PIXELS, MAX_SIDE).inspect(file);
        new Thumbnailer(THUMBNAIL_SIDE).make(file, info);
        System.out.println("ok");
    }

    /** Warm-up for at least a second, then at least five timed runs over at least two seconds. */
    private static void time(Path file) throws RejectedImageException, IOException {
        ImageInspector inspector = new ImageInspector(MAX_PIXELS, MAX_SIDE);
        Thumbnailer thumbnailer = new Thumbnailer(THUMBNAIL_SIDE);
        long started = System.nanoTime();
        for (int i = 0; i < MIN_WARM_UP_RUNS || System.nanoTime() - started < WARM_UP_NANOS; i++) {
            thumbnailer.make(file, inspector.inspect(file));
        }
        List<Long> inspect = new ArrayList<>();
        List<Long> thumbnail = new ArrayList<>();
        started = System.nanoTime();
        while (inspect.size() < MIN_RUNS
                || (System.nanoTime() - started < MEASURE_NANOS && inspect.size() < MAX_RUNS)) {
            long t0 = System.nanoTime();
            ImageInfo info = inspector.inspect(file);
            long t1 = System.nanoTime();
            thumbnailer.make(file, info);
            long t2 = System.nanoTime();
            inspect.add(t1 - t0);
            thumbnail.add(t2 - t1);
        }
        System.out.printf(Locale.ROOT, "timing %.3f %.3f %d %d%n",
                medianMs(inspect), medianMs(thumbnail), inspect.size(), peakRssKb());
    }

    private static double medianMs(List<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        int mid = sorted.length / 2;
        double median = sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
        return median / 1e6;
    }

    /** The process's peak resident set from Linux's /proc, or -1 elsewhere. */
    private static long peakRssKb() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        return Files.readAllLines(status).stream().filter(line -> line.startsWith("VmHWM:"))
                .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
                .findFirst().orElse(-1L);
    }

    // --- report ---

    private static void print(List<Result> results) {
        System.out.printf(Locale.ROOT, "Thumbnails of at most %d px a side; limits %,d pixels, %d px a side,"
                + " %d MiB upload.%n%n", THUMBNAIL_SIDE, MAX_PIXELS, MAX_SIDE, MAX_UPLOAD_BYTES >> 20);
        System.out.println("| format | dimensions | megapixels | file size | inspect ms | thumbnail ms | runs"
                + " | min heap (-Xmx) MB | peak RSS MB |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "| %s | %d x %d | %.1f | %s%s | %.2f | %.1f | %d | %d | %s |%n",
                    r.image().format(), r.image().width(), r.image().height(), r.image().pixels() / 1e6,
                    size(r.fileBytes()), r.fileBytes() > MAX_UPLOAD_BYTES ? " (over limit)" : "",
                    r.timing().inspectMs(), r.timing().thumbnailMs(), r.timing().runs(), r.minHeapMb(),
                    r.timing().peakRssKb() < 0 ? "n/a" : String.valueOf(r.timing().peakRssKb() / 1024));
        }
        System.out.println();
        System.out.println("* Hand-written, one colour: a real lossless WebP takes longer to decode per pixel, but"
                + " needs the same memory, since TwelveMonkeys decodes lossless WebP into a full-size raster"
                + " whatever the sub-sampling.");
        System.out.println("inspect ms, thumbnail ms: medians after warm-up, each call reading the file from disk.");
        System.out.println("min heap: smallest -Xmx (found by bisection to 2%, a fresh JVM per try) with which a"
                + " fresh JVM inspects and thumbnails the file once; includes the JVM's own baseline.");
        System.out.println("peak RSS: the timing JVM's VmHWM, its heap capped at twice the min heap (64 MB at"
                + " least): heap actually touched plus metaspace, code cache and native decoder buffers.");
        System.out.printf(Locale.ROOT, "Child JVMs: -XX:+UseSerialGC -XX:TieredStopAtLevel=1 (as Lambda's Java"
                        + " 17+ runtimes default); JVM %s %s; %s %s; %d cores.%n%n",
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                System.getProperty("os.name"), System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors());
        recommend(results);
    }

    /**
     * Memory: the worst peak RSS among images the default limits let through, plus half again
     * for the handler's own share (SDK clients, buffers, a second request's garbage). CPU:
     * Lambda's CPU share is proportional to MemorySize up to one vCPU at 1769 MB, and the work
     * is single-threaded, so the slowest photo's thumbnail takes about
     * {@code ms x 1769 / MemorySize}; the one-colour WebPs are left out of that (their decoding
     * time is not a real image's) and reported on their own.
     */
    private static void recommend(List<Result> results) {
        List<Result> allowed = results.stream().filter(Result::withinDefaultLimits).toList();
        Result memoryWorst = allowed.stream()
                .max(Comparator.comparingLong(r -> r.timing().peakRssKb())).orElseThrow();
        Result photoWorst = allowed.stream().filter(r -> !r.image().format().endsWith("*"))
                .max(Comparator.comparingDouble(r -> r.timing().thumbnailMs())).orElseThrow();
        Result slowest = allowed.stream()
                .max(Comparator.comparingDouble(r -> r.timing().thumbnailMs())).orElseThrow();
        long memoryFloor = roundUp(memoryWorst.timing().peakRssKb() * 3 / 2 / 1024, 64);
        long cpuFloor = roundUp((long) Math.ceil(ONE_VCPU_MB * photoWorst.timing().thumbnailMs()
                / TARGET_WORST_THUMBNAIL_MS), 64);
        long recommended = Math.min(Math.max(memoryFloor, cpuFloor), ONE_VCPU_MB);

        System.out.printf(Locale.ROOT, "Memory floor: %d MB = 1.5 x the worst peak RSS within the default limits"
                        + " (%s, %d MB; min heap %d MB), rounded up to 64 MB.%n",
                memoryFloor, describe(memoryWorst), memoryWorst.timing().peakRssKb() / 1024,
                memoryWorst.minHeapMb());
        System.out.printf(Locale.ROOT, "CPU floor: %d MB, for the slowest photo within the limits (%s, %.0f ms"
                        + " here on one core) to take at most %d ms: Lambda's CPU share grows with MemorySize"
                        + " up to one vCPU at %d MB, and thumbnailing uses one thread.%n",
                cpuFloor, describe(photoWorst), photoWorst.timing().thumbnailMs(), TARGET_WORST_THUMBNAIL_MS,
                ONE_VCPU_MB);
        System.out.printf(Locale.ROOT, "Recommended MemorySize: %d MB (the larger floor; at most %d MB, since"
                + " one thread cannot use a second vCPU).%n", recommended, ONE_VCPU_MB);
        System.out.printf(Locale.ROOT, "At %d MB the slowest case within the limits (%s, %.0f ms here) takes"
                        + " about %.1f s: keep the function's Timeout well above it.%n",
                recommended, describe(slowest), slowest.timing().thumbnailMs(),
                onLambdaMs(slowest, recommended) / 1000);
        System.out.println("Below one vCPU, CPU-bound time shrinks as MemorySize grows, so a thumbnail costs"
                + " about the same GB-seconds at any size; only time spent waiting on S3 and DynamoDB is"
                + " cheaper with less memory.");
    }

    private static double onLambdaMs(Result result, long memoryMb) {
        return result.timing().thumbnailMs() * Math.max(1.0, (double) ONE_VCPU_MB / memoryMb);
    }

    private static String describe(Result result) {
        return result.image().format() + " " + result.image().width() + " x " + result.image().height();
    }

    private static long roundUp(long value, long step) {
        return (value + step - 1) / step * step;
    }

    private static String size(long bytes) {
        if (bytes >= 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
        }
        if (bytes >= 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return bytes + " B";
    }
}
