package dev.chathistory.local.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.chathistory.local.LoopbackHttpServers;
import dev.chathistory.local.iam.AccessCheck;
import dev.chathistory.local.iam.ExecutionRole;
import dev.chathistory.local.iam.IamPolicyEvaluator;
import dev.chathistory.local.iam.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The local stack's AWS edge: functions reach the emulator only through this loopback proxy,
 * which does what AWS does before a call reaches a service and emulators do not. It knows
 * which role signed each call (by the temporary credentials it handed that function's
 * execution environments), works out the IAM checks the call needs, asks the
 * {@link IamPolicyEvaluator}, and refuses what the role does not allow with the service's own
 * AccessDenied error. It also refuses expired presigned links, refuses the credentials of an
 * ended session, and injects faults on request ({@link FaultPlan}).
 *
 * <p>With enforcement off ({@code ./run-local --no-iam}) every verdict is still worked out and
 * logged, and every call goes through.
 */
public final class AwsGateway implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(AwsGateway.class.getName());
    /** Hop-by-hop headers, and Host, which the connection to the emulator sets (presigned links are signed for it). */
    private static final Set<String> UNFORWARDED_HEADERS = Set.of("connection", "content-length", "expect", "host",
            "upgrade", "transfer-encoding", "keep-alive");
    private static final List<Consumer<Denial>> DENIAL_LISTENERS = new CopyOnWriteArrayList<>();
    private static final SecureRandom KEYS = new SecureRandom();

    /** A call the gateway refused: who, what, on which resource, and why. */
    public record Denial(ExecutionRole role, AccessCheck check, Verdict verdict) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final URI emulator;
    private final String region;
    private final String accountId;
    private final IamPolicyEvaluator evaluator;
    private final Map<String, ServiceChecks> services;
    private final boolean enforce;
    private final Map<String, RoleSession> sessions = new ConcurrentHashMap<>();
    private final DefaultCredentialsProvider tooling = DefaultCredentialsProvider.builder().build();
    private final Map<FaultPlan.Fault, AtomicLong> injected = new EnumMap<>(FaultPlan.Fault.class);
    private volatile FaultPlan faults = FaultPlan.none();
    private SplittableRandom faultDice = new SplittableRandom(0);
    private long injectedSincePlan;

    private AwsGateway(HttpServer server, ExecutorService executor, URI emulator, String region, String accountId,
                       IamPolicyEvaluator evaluator, DynamoDbClient admin, boolean enforce) {
        this.server = server;
        this.executor = executor;
        this.emulator = emulator;
        this.region = region;
        this.accountId = accountId;
        this.evaluator = evaluator;
        this.enforce = enforce;
        this.services = Map.of("dynamodb", new DynamoDbChecks(new KeySchemas(admin)::partitionKey),
                "sqs", new SqsChecks(), "s3", new S3Checks());
        for (FaultPlan.Fault fault : FaultPlan.Fault.values()) {
            injected.put(fault, new AtomicLong());
        }
    }

    /**
     * Starts a gateway to {@code emulator} on a free loopback port. {@code admin} reads table
     * key schemas (for {@code dynamodb:LeadingKeys}); it is not closed here.
     */
    public static AwsGateway start(URI emulator, String region, String accountId, IamPolicyEvaluator evaluator,
                                   DynamoDbClient admin, boolean enforce) throws IOException {
        HttpServer server = LoopbackHttpServers.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "aws-gateway");
            thread.setDaemon(true);
            return thread;
        });
        AwsGateway gateway = new AwsGateway(server, executor, emulator, region, accountId, evaluator, admin, enforce);
        server.createContext("/", gateway::handle);
        server.setExecutor(executor);
        server.start();
        return gateway;
    }

    /** Where functions send their AWS calls ({@code AWS_ENDPOINT_URL}). */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public boolean enforcing() {
        return enforce;
    }

    /** New temporary credentials for {@code role}: one execution environment's. */
    public RoleSession openSession(ExecutionRole role) {
        return open(role, false);
    }

    /** Credentials for what Lambda itself does with the role: poll a queue, send to a destination. */
    public RoleSession openServiceSession(ExecutionRole role) {
        return open(role, true);
    }

    private RoleSession open(ExecutionRole role, boolean lambdaService) {
        RoleSession session = new RoleSession(role, "ASIA" + random(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"),
                random(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"),
                random(64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"), lambdaService);
        sessions.put(session.accessKeyId(), session);
        return session;
    }

    /** From now on the session's credentials are refused, as an unknown key would be. */
    public void endSession(RoleSession session) {
        sessions.remove(session.accessKeyId());
    }

    /** Replaces the fault plan; {@link FaultPlan#none()} stops injecting. */
    public synchronized void injectFaults(FaultPlan plan) {
        this.faultDice = new SplittableRandom(plan.seed());
        this.injectedSincePlan = 0;
        this.faults = plan;
    }

    /** How many faults of each kind were injected so far. */
    public Map<FaultPlan.Fault, Long> injectedFaults() {
        Map<FaultPlan.Fault, Long> counts = new EnumMap<>(FaultPlan.Fault.class);
        injected.forEach((fault, count) -> counts.put(fault, count.get()));
        return counts;
    }

    /** The keys the tooling talks to the emulator with (a test's or run-local's dummy keys). */
    private AwsCredentialsIdentity toolingKeys() {
        return tooling.resolveIdentity().join();
    }

    /** Tells {@code listener} of every call any gateway of this JVM refuses (tests). */
    public static AutoCloseable onDenial(Consumer<Denial> listener) {
        DENIAL_LISTENERS.add(listener);
        return () -> DENIAL_LISTENERS.remove(listener);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            AwsCall call = read(exchange);
            boolean head = call.method().equals("HEAD");
            String requestId = UUID.randomUUID().toString();
            Optional<SigV4Credential> credential = SigV4Credential.of(call);
            String service = credential.map(SigV4Credential::service).orElse("s3");
            RoleSession session = credential.map(c -> sessions.get(c.accessKeyId())).orElse(null);
            if (session == null) {
                send(exchange, ServiceErrors.invalidCredentials(service, requestId, head), head);
                return;
            }
            if (credential.get().expiredAt(Instant.now())) {
                send(exchange, ServiceErrors.expired(requestId, head), head);
                return;
            }
            if (credential.get().presigned()) {
                if (!PresignedLinks.signedBy(call, credential.get(), session.credentials().resolveCredentials())) {
                    send(exchange, ServiceErrors.signatureMismatch(requestId, head), head);
                    return;
                }
                // Checked here; the emulator, which never saw the session, gets it signed by the tooling.
                call = new AwsCall(call.method(), call.rawPath(),
                        PresignedLinks.resignedQuery(call, credential.get(), toolingKeys(), emulator), call.headers(),
                        call.body());
            }
            Authorization authorization = authorize(session.role(), service, call, requestId, head);
            if (authorization.refusal().isPresent()) {
                send(exchange, authorization.refusal().get(), head);
                return;
            }
            Optional<GatewayResponse> overLimit = RequestLimits.check(service, call, requestId);
            if (overLimit.isPresent()) {
                send(exchange, overLimit.get(), head);
                return;
            }
            Optional<FaultPlan.Fault> fault = credential.get().presigned() || session.lambdaService()
                    ? Optional.empty() : nextFault(session.role().functionLogicalId(), authorization.actions());
            if (fault.isPresent() && fault.get() != FaultPlan.Fault.LOST_RESPONSE) {
                send(exchange, fault.get() == FaultPlan.Fault.THROTTLE
                        ? ServiceErrors.throttled(service, requestId, head)
                        : ServiceErrors.internalError(service, requestId, head), head);
                return;
            }
            Upstream answer = forward(call);
            if (answer.status() == 404 && service.equals("s3") && !listingAllowed(session.role(), call)) {
                // S3 answers a missing object with 403, not 404, to a caller that may not list the
                // bucket: without s3:ListBucket it must not learn which keys exist.
                send(exchange, ServiceErrors.accessDenied(service, requestId, "Access Denied", head), head);
                return;
            }
            if (fault.isPresent()) {
                // The call applied; closing without an answer is what the caller of a timed-out
                // request sees. The JDK server drops the connection of a handler that throws.
                throw new IOException("fault injected: the answer is lost");
            }
            relay(exchange, answer, head);
        }
    }

    /** The actions a call needs, and the refusal to send when one is not allowed. */
    private record Authorization(List<String> actions, Optional<GatewayResponse> refusal) {
    }

    /** The refusal is empty when every check the call needs is allowed (or enforcement is off). */
    private Authorization authorize(ExecutionRole role, String service, AwsCall call, String requestId,
                                    boolean head) {
        ServiceChecks checks = services.get(service);
        List<AccessCheck> needed;
        try {
            if (checks == null) {
                throw new UnknownRequestException("calls to " + service);
            }
            needed = checks.checks(call, region, accountId);
        } catch (UnknownRequestException e) {
            LOG.log(System.Logger.Level.WARNING, "{0}: the local IAM check does not know {1}; refused",
                    role.functionLogicalId(), e.getMessage());
            return new Authorization(List.of(), Optional.of(ServiceErrors.accessDenied(service, requestId,
                    "The local stack cannot tell which IAM permission this request needs: " + e.getMessage(), head)));
        }
        for (AccessCheck check : needed) {
            Verdict verdict = evaluator.evaluate(role, check);
            IamCallLog.record(role, check, verdict);
            if (verdict.allowed()) {
                continue;
            }
            Denial denial = new Denial(role, check, verdict);
            DENIAL_LISTENERS.forEach(listener -> listener.accept(denial));
            LOG.log(System.Logger.Level.WARNING, "{0} is not allowed {1} on {2} ({3}{4}){5}",
                    role.functionLogicalId(), check.action(), check.resource(), verdict.result(),
                    verdict.detail().isEmpty() ? "" : ": " + verdict.detail(),
                    enforce ? "" : "; let through, IAM enforcement is off");
            if (enforce) {
                return new Authorization(List.of(), Optional.of(ServiceErrors.accessDenied(service, requestId,
                        message(role, check, verdict), head)));
            }
        }
        return new Authorization(needed.stream().map(AccessCheck::action).toList(), Optional.empty());
    }

    /**
     * Whether the role may list the bucket of an object request, the prefix being the key. Only
     * asked when the object is missing. An allowed listing is recorded as a use of the grant; a
     * refused one is no call the function made, only the reason for S3's 403.
     */
    private boolean listingAllowed(ExecutionRole role, AwsCall call) {
        String path = call.rawPath().startsWith("/") ? call.rawPath().substring(1) : call.rawPath();
        int slash = path.indexOf('/');
        if (slash < 0) {
            return true;
        }
        String bucket = S3Checks.decode(path.substring(0, slash));
        String key = S3Checks.decode(path.substring(slash + 1));
        AccessCheck listing = new AccessCheck("s3:ListBucket", "arn:aws:s3:::" + bucket,
                Map.of("s3:prefix", List.of(key)));
        Verdict verdict = evaluator.evaluate(role, listing);
        if (verdict.allowed()) {
            IamCallLog.record(role, listing, verdict);
            return true;
        }
        Denial denial = new Denial(role, listing, verdict);
        DENIAL_LISTENERS.forEach(listener -> listener.accept(denial));
        LOG.log(System.Logger.Level.WARNING, "{0} may not list {1}, so a missing object answers 403 rather than 404",
                role.functionLogicalId(), listing.resource());
        return !enforce;
    }

    /** AWS's wording, so a log line reads the same locally and in production. */
    private static String message(ExecutionRole role, AccessCheck check, Verdict verdict) {
        String reason = switch (verdict.result()) {
            case EXPLICITLY_DENIED -> "with an explicit deny in an identity-based policy";
            case INVALID -> "because the local IAM evaluator could not evaluate it: " + verdict.detail();
            default -> "because no identity-based policy allows the " + check.action() + " action";
        };
        return "User: " + role.principalArn() + " is not authorized to perform: " + check.action()
                + " on resource: " + check.resource() + " " + reason;
    }

    private synchronized Optional<FaultPlan.Fault> nextFault(String function, List<String> actions) {
        FaultPlan plan = faults;
        if (plan.rate() == 0 || !plan.covers(function, actions) || injectedSincePlan >= plan.limit()
                || faultDice.nextDouble() >= plan.rate()) {
            return Optional.empty();
        }
        injectedSincePlan++;
        List<FaultPlan.Fault> kinds = new ArrayList<>(plan.kinds());
        kinds.sort(null);
        FaultPlan.Fault fault = kinds.get(faultDice.nextInt(kinds.size()));
        injected.get(fault).incrementAndGet();
        return Optional.of(fault);
    }

    private static AwsCall read(HttpExchange exchange) throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        byte[] body = exchange.getRequestBody().readAllBytes();
        return new AwsCall(exchange.getRequestMethod().toUpperCase(Locale.ROOT),
                exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery(), headers, body);
    }

    /** The emulator's answer to a forwarded call. */
    private record Upstream(int status, Map<String, List<String>> headers, byte[] body) {
    }

    private Upstream forward(AwsCall call) throws IOException {
        URL target = URI.create(emulator.toString().replaceAll("/+$", "") + call.rawPath()
                + (call.rawQuery().isEmpty() ? "" : "?" + call.rawQuery())).toURL();
        HttpURLConnection connection = (HttpURLConnection) target.openConnection();
        connection.setInstanceFollowRedirects(false);
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(120_000);
        connection.setUseCaches(false);
        connection.setRequestMethod(call.method());
        call.headers().forEach((name, values) -> {
            if (!UNFORWARDED_HEADERS.contains(name)) {
                values.forEach(value -> connection.addRequestProperty(name, value));
            }
        });
        boolean bodyless = call.body().length == 0 && (call.method().equals("GET") || call.method().equals("HEAD"));
        if (!bodyless) {
            connection.setDoOutput(true);
            connection.setFixedLengthStreamingMode(call.body().length);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(call.body());
            }
        }
        int status = connection.getResponseCode();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        connection.getHeaderFields().forEach((name, values) -> {
            if (name != null) {
                headers.put(name, values);
            }
        });
        InputStream stream = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        if (stream == null) {
            return new Upstream(status, headers, new byte[0]);
        }
        try (stream) {
            return new Upstream(status, headers, stream.readAllBytes());
        }
    }

    private static void relay(HttpExchange exchange, Upstream answer, boolean head) throws IOException {
        answer.headers().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.equals("transfer-encoding") && !lower.equals("connection") && !lower.equals("keep-alive")
                    && !lower.equals("date") && !(lower.equals("content-length") && !head)) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        byte[] body = answer.body();
        boolean empty = head || body.length == 0 || answer.status() == 204 || answer.status() == 304;
        exchange.sendResponseHeaders(answer.status(), empty ? -1 : body.length);
        if (!empty) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void send(HttpExchange exchange, GatewayResponse response, boolean head) throws IOException {
        response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        boolean empty = head || response.body().length == 0;
        exchange.sendResponseHeaders(response.status(), empty ? -1 : response.body().length);
        if (!empty) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        }
    }

    private static String random(int length, String alphabet) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(KEYS.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
