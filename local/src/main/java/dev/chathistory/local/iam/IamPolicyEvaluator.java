package dev.chathistory.local.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.chathistory.local.EnvironmentException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides IAM requests with a real policy evaluator: {@code @cloud-copilot/iam-simulate}, which
 * implements AWS's evaluation logic (every condition operator, set operators, IfExists,
 * NotAction/NotResource, explicit denies) and validates actions and resource types against
 * AWS's service reference. It runs in Node.js as a child process ({@code local/iam-evaluator},
 * pinned in its package-lock.json); one per JVM, shared by every local stack in it.
 *
 * <p>Answers are cached per role, action, resource and the condition keys the role's policies
 * actually test: anything else in the request cannot change the outcome.
 */
public final class IamPolicyEvaluator implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long ANSWER_TIMEOUT_SECONDS = 30;
    private static IamPolicyEvaluator shared;

    private final Process process;
    private final OutputStream requests;
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Set<String> definedRoles = ConcurrentHashMap.newKeySet();
    private final Cache<String, Verdict> verdicts = Caffeine.newBuilder().maximumSize(200_000).build();
    private final Cache<String, List<String>> expansions = Caffeine.newBuilder().maximumSize(10_000).build();

    private IamPolicyEvaluator(Process process) {
        this.process = process;
        this.requests = process.getOutputStream();
        Thread reader = new Thread(this::readAnswers, "iam-evaluator-answers");
        reader.setDaemon(true);
        reader.start();
    }

    /** The evaluator of this JVM, started on first use and stopped at exit. */
    public static synchronized IamPolicyEvaluator shared(Path projectRoot) {
        if (shared == null || !shared.process.isAlive()) {
            shared = start(projectRoot);
            IamPolicyEvaluator started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "iam-evaluator-shutdown"));
        }
        return shared;
    }

    static IamPolicyEvaluator start(Path projectRoot) {
        Path folder = projectRoot.resolve("local/iam-evaluator");
        if (!Files.isDirectory(folder.resolve("node_modules/@cloud-copilot/iam-simulate"))) {
            throw new EnvironmentException("the IAM evaluator is not installed in " + folder
                    + ": build the project (./mvnw -pl local -am package runs npm ci there)");
        }
        String node = System.getenv().getOrDefault("NODE", "node");
        try {
            Process process = new ProcessBuilder(node, "evaluate.mjs")
                    .directory(folder.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            return new IamPolicyEvaluator(process);
        } catch (IOException e) {
            throw new EnvironmentException("Node.js is needed for the local stack's IAM check and '" + node
                    + "' could not be run (" + e.getMessage() + "); install Node.js 18+ or set NODE");
        }
    }

    /** Whether {@code role} may do what {@code check} describes. */
    public Verdict evaluate(ExecutionRole role, AccessCheck check) {
        Set<String> tested = role.conditionKeys();
        Map<String, List<String>> context = new TreeMap<>();
        check.context().forEach((key, values) -> {
            if (tested.contains(key.toLowerCase(Locale.ROOT))) {
                context.put(key, values);
            }
        });
        String cacheKey = role.id() + "\n" + check.action() + "\n" + check.resource() + "\n" + context;
        return verdicts.get(cacheKey, key -> ask(role, check, context));
    }

    /** The IAM actions a policy's action pattern ({@code sqs:SendMessage*}) names. */
    public List<String> expand(String actionPattern) {
        return expansions.get(actionPattern, pattern -> {
            JsonNode answer = call(JSON.createObjectNode().put("op", "expand").put("pattern", pattern));
            List<String> actions = new ArrayList<>();
            answer.path("actions").forEach(a -> actions.add(a.asText()));
            return List.copyOf(actions);
        });
    }

    @Override
    public void close() {
        process.destroy();
        pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException("evaluator stopped")));
    }

    private Verdict ask(ExecutionRole role, AccessCheck check, Map<String, List<String>> context) {
        define(role);
        ObjectNode request = JSON.createObjectNode()
                .put("op", "evaluate")
                .put("role", role.id())
                .put("principal", role.principalArn())
                .put("action", check.action())
                .put("resource", check.resource())
                .put("account", role.accountId());
        ObjectNode contextNode = request.putObject("context");
        context.forEach((key, values) -> {
            if (values.size() == 1 && !key.toLowerCase(Locale.ROOT).equals("dynamodb:leadingkeys")) {
                contextNode.put(key, values.get(0));
            } else {
                ArrayNode array = contextNode.putArray(key);
                values.forEach(array::add);
            }
        });
        JsonNode answer = call(request);
        List<Verdict.Grant> grants = new ArrayList<>();
        for (JsonNode grant : answer.path("grants")) {
            List<String> actions = new ArrayList<>();
            grant.path("actions").forEach(a -> actions.add(a.asText()));
            List<Integer> resources = new ArrayList<>();
            grant.path("resources").forEach(r -> resources.add(r.asInt()));
            grants.add(new Verdict.Grant(grant.path("policy").asText(), grant.path("statement").asText(),
                    actions, resources));
        }
        Verdict.Result result = switch (answer.path("result").asText()) {
            case "Allowed" -> Verdict.Result.ALLOWED;
            case "ImplicitlyDenied" -> Verdict.Result.IMPLICITLY_DENIED;
            case "ExplicitlyDenied" -> Verdict.Result.EXPLICITLY_DENIED;
            default -> Verdict.Result.INVALID;
        };
        return new Verdict(result, answer.path("errors").isMissingNode() ? "" : answer.path("errors").toString(),
                grants);
    }

    private void define(ExecutionRole role) {
        if (definedRoles.contains(role.id())) {
            return;
        }
        synchronized (definedRoles) {
            if (definedRoles.contains(role.id())) {
                return;
            }
            ObjectNode message = JSON.createObjectNode().put("op", "role").put("role", role.id());
            ArrayNode policies = message.putArray("policies");
            role.policies().forEach(p -> policies.addObject().put("name", p.name()).set("policy", p.document()));
            send(message);
            definedRoles.add(role.id());
        }
    }

    private JsonNode call(ObjectNode request) {
        long id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        request.put("id", id);
        try {
            send(request);
            return answer.get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the IAM evaluator decided", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the IAM evaluator did not answer: " + e.getMessage(), e);
        } finally {
            pending.remove(id);
        }
    }

    /** Lines go out whole: the process reads one JSON object per line. */
    private synchronized void send(ObjectNode message) {
        try {
            requests.write((message + "\n").getBytes(StandardCharsets.UTF_8));
            requests.flush();
        } catch (IOException e) {
            throw new IllegalStateException("the IAM evaluator is gone: " + e.getMessage(), e);
        }
    }

    private void readAnswers() {
        try (BufferedReader answers = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = answers.readLine()) != null) {
                JsonNode answer = JSON.readTree(line);
                CompletableFuture<JsonNode> waiting = pending.get(answer.path("id").asLong(-1));
                if (waiting != null) {
                    waiting.complete(answer);
                }
            }
        } catch (IOException e) {
            // the process ended; waiting callers time out or see close()
        }
        pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException("evaluator exited")));
    }
}
