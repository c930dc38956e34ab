package dev.chathistory.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's Java client example compiles against this client, so it cannot drift from it. */
class ReadmeExampleTest {

    private static final Pattern EXAMPLE = Pattern.compile("```java\\n(ChatHistoryClient client.*?)```",
            Pattern.DOTALL);

    @TempDir
    Path work;

    @Test
    void readmeExample_shouldCompileAgainstTheClient() throws Exception {
        String readme = Files.readString(Path.of("../../README.md"));
        Matcher example = EXAMPLE.matcher(readme);
        assertThat(example.find()).as("README.md has a ```java block starting with ChatHistoryClient client").isTrue();
        assertThat(example.group(1).lines().count()).as("a short example").isLessThanOrEqualTo(12);
        Path source = work.resolve("readme/Example.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "package readme;\n"
                + "import dev.chathistory.client.*;\n"
                + "class Example {\n    void run() {\n" + example.group(1) + "    }\n}\n");

        StringWriter diagnostics = new StringWriter();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
            Iterable<? extends JavaFileObject> units = files.getJavaFileObjects(source.toFile());
            List<String> options = List.of("--release", "17", "-Xlint:all", "-Werror", "-proc:none",
                    "-d", work.resolve("classes").toString(),
                    "-classpath", String.join(File.pathSeparator, location(ChatHistoryClient.class),
                            location(JsonNode.class), location(JsonParser.class), location(JsonProperty.class)));
            boolean compiled = javac.getTask(diagnostics, files, null, options, null, units).call();

            assertThat(compiled).as("the README example does not compile:\n" + diagnostics).isTrue();
        }
    }

    private static String location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
