package dev.chathistory.ingest.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.ingest.TestImages;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WebP reader is a plugin, registered from its jar's service file. In this test JVM the
 * jars are on the system class path and ImageIO always sees them, so the Lambda case, where
 * they are not, is played in a fresh JVM by {@link LambdaClassLoaderProbe}.
 */
class PluginRegistrationTest {

    @TempDir
    Path dir;

    @Test
    void inspect_shouldFindTheWebPReader_whenImageIoWasFirstUsedWithoutTheFunctionsClassLoader() throws Exception {
        Path webp = Files.write(dir.resolve("upload"), TestImages.webp(30, 20, 0xff102030));

        List<String> output = runProbe(webp);

        assertThat(output).containsExactly(
                "webp reader before loading the function: false",
                "inspected: ImageInfo[type=WEBP, width=30, height=20]");
    }

    private static List<String> runProbe(Path webp) throws IOException, InterruptedException, URISyntaxException {
        String probeClasses = codeSource(LambdaClassLoaderProbe.class);
        String functionClassPath = functionClassPath(probeClasses);
        Process process = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", probeClasses, LambdaClassLoaderProbe.class.getName(), functionClassPath, webp.toString())
                .redirectErrorStream(true)
                .start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(text).isZero();
        return text.lines().toList();
    }

    /**
     * This JVM's class path (Surefire sets java.class.path to it even when it starts the JVM
     * from a manifest-only jar) less the test classes, which hold the probe: what the
     * function's own class loader would hold.
     */
    private static String functionClassPath(String probeClasses) throws URISyntaxException {
        List<Path> entries = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath())
                .filter(entry -> !entry.equals(Path.of(probeClasses).toAbsolutePath()))
                .toList();
        assertThat(entries).as("the class path holds the main classes")
                .contains(Path.of(codeSource(ImageInspector.class)).toAbsolutePath());
        return String.join(File.pathSeparator, entries.stream().map(Path::toString).toList());
    }

    private static String codeSource(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
