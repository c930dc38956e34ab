package dev.chathistory.local.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chathistory.local.EnvironmentException;
import dev.chathistory.local.PythonEnvironment;
import dev.chathistory.local.template.SamTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every function's execution role as SAM deploys it, read by the SAM translator itself
 * ({@code tools/python/execution_roles.py}, in the project's pinned virtualenv) rather than by
 * a copy of its policy templates. The translation depends only on the template's text, so it
 * is done once per template and JVM (about two seconds) and kept.
 */
public final class ExecutionRoles {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Map<String, RoleDeclaration>> TRANSLATED = new ConcurrentHashMap<>();

    private ExecutionRoles() {
    }

    /** Function logical id to its role declaration, for every function of the template. */
    public static Map<String, RoleDeclaration> declaredIn(SamTemplate template, Path projectRoot, String region) {
        String text = template.document().toString();
        return TRANSLATED.computeIfAbsent(sha256(region + "\n" + text), key -> translate(text, projectRoot, region));
    }

    private static Map<String, RoleDeclaration> translate(String templateJson, Path projectRoot, String region) {
        Path file = null;
        try {
            // YAML is a superset of JSON, so the translator reads the long-form tree as it is.
            file = Files.createTempFile("chat-history-template-", ".json");
            Files.writeString(file, templateJson, StandardCharsets.UTF_8);
            String output = PythonEnvironment.moto(projectRoot)
                    .runScript("execution_roles.py", List.of(file.toString(), region));
            return parse(JSON.readTree(output));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(file);
        }
    }

    static Map<String, RoleDeclaration> parse(JsonNode roles) {
        if (roles == null || !roles.isObject()) {
            throw new EnvironmentException("execution_roles.py printed no roles");
        }
        Map<String, RoleDeclaration> declarations = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = roles.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            List<RolePolicy> policies = new ArrayList<>();
            for (JsonNode policy : entry.getValue().path("policies")) {
                JsonNode arn = policy.path("managedPolicyArn");
                policies.add(new RolePolicy(policy.path("name").asText(), policy.path("document"),
                        arn.isTextual() ? Optional.of(arn.asText()) : Optional.empty()));
            }
            declarations.put(entry.getKey(),
                    new RoleDeclaration(entry.getKey(), entry.getValue().path("role").asText(), policies));
        }
        return Map.copyOf(declarations);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temp file; the OS cleans up
            }
        }
    }
}
