package dev.chathistory.local;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root (the folder holding template.yaml and the Maven wrapper). */
public final class ProjectRoot {

    private ProjectRoot() {
    }

    public static Path find() {
        String configured = System.getProperty("chathistory.projectRoot");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath();
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.exists(dir.resolve("template.yaml")) && Files.exists(dir.resolve("mvnw"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("run from inside the chat-history repository: no template.yaml above "
                + Path.of("").toAbsolutePath());
    }
}
