package dev.chathistory.local;

import dev.chathistory.local.aws.FaultPlan;
import dev.chathistory.local.template.SamTemplate;
import dev.chathistory.local.template.UnsupportedTemplateException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * {@code ./run-local}: the whole template deployed locally (see {@link LocalDeployment})
 * against an emulator started here or named by {@code AWS_ENDPOINT_URL}. No AWS account, no
 * Docker. Ctrl-C stops everything it started.
 */
public final class RunLocal {

    /** The tenant the local runner makes for trying the API; its key is printed at start. */
    static final String DEMO_TENANT = "demo";

    private RunLocal() {
    }

    /** What the command line asks for: how strictly the stack behaves like AWS. */
    record Flags(boolean enforceIam, boolean deliverTwice, FaultPlan faults) {

        static final String USAGE = "usage: ./run-local [--no-iam] [--every-delivery-twice] [--faults RATE[:SEED]]";

        static Flags parse(List<String> args) {
            boolean iam = true;
            boolean twice = false;
            FaultPlan faults = FaultPlan.none();
            for (int i = 0; i < args.size(); i++) {
                switch (args.get(i)) {
                    case "--no-iam" -> iam = false;
                    case "--every-delivery-twice" -> twice = true;
                    case "--faults" -> {
                        if (i + 1 >= args.size()) {
                            throw new EnvironmentException("--faults needs a rate, such as 0.05; " + USAGE);
                        }
                        faults = faultPlan(args.get(++i));
                    }
                    default -> throw new EnvironmentException("unknown option " + args.get(i) + "; " + USAGE);
                }
            }
            return new Flags(iam, twice, faults);
        }

        private static FaultPlan faultPlan(String value) {
            String[] parts = value.split(":", 2);
            try {
                double rate = Double.parseDouble(parts[0]);
                long seed = parts.length > 1 ? Long.parseLong(parts[1]) : System.nanoTime();
                return FaultPlan.all(rate, seed);
            } catch (IllegalArgumentException e) {
                throw new EnvironmentException("--faults takes RATE[:SEED], a rate from 0 to 1, got " + value);
            }
        }
    }

    public static void main(String[] args) {
        long started = System.nanoTime();
        try {
            run(started, Flags.parse(List.of(args)));
        } catch (EnvironmentException | UnsupportedTemplateException e) {
            fail(e.getMessage());
        } catch (SdkClientException e) {
            fail("cannot reach the AWS emulator (" + e.getMessage() + "); if AWS_ENDPOINT_URL is set, is that "
                    + "emulator running?");
        }
    }

    private static void run(long started, Flags flags) {
        Path root = ProjectRoot.find();
        int port = port();
        requireFree(port);
        // Dummy credentials for the emulator, ahead of any real ones in the environment.
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");

        Path stateDir = Optional.ofNullable(System.getenv("LOCAL_STATE_DIR")).map(Path::of)
                .orElse(root.resolve(".local/ministack"));
        Emulator emulator = Emulator.startOrConnect(root, Optional.of(stateDir));
        LocalDeployment deployment;
        try {
            deployment = LocalDeployment.start(LocalDeployment.Options.defaults(SamTemplate.loadFrom(root), port)
                    .withIamEnforced(flags.enforceIam()).withEveryDeliveryTwice(flags.deliverTwice()),
                    emulator.endpoint());
            deployment.awsGateway().injectFaults(flags.faults());
        } catch (BindException e) {
            emulator.close();
            throw new EnvironmentException("port " + port + " is already in use; run with PORT=<another port>");
        } catch (IOException | RuntimeException e) {
            emulator.close();
            throw e instanceof RuntimeException r ? r : new EnvironmentException(e.getMessage());
        }
        long firstRequestMillis = firstRequest(deployment.baseUrl(), started);
        String demoKey = deployment.issueKey(DEMO_TENANT, "run-local " + Instant.now()).key();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            deployment.close();
            emulator.close();
            stopped.countDown();
        }, "run-local-shutdown"));
        printBanner(deployment, emulator, stateDir, firstRequestMillis, demoKey, flags);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Serves one real request through the gateway, and reports the time from launch to it. */
    private static long firstRequest(URI base, long started) {
        try {
            HttpResponse<Void> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(base.resolve("/_local")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 200) {
                throw new EnvironmentException("the local API answered its first request with "
                        + response.statusCode());
            }
        } catch (IOException e) {
            throw new EnvironmentException("the local API did not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static int port() {
        String value = System.getenv().getOrDefault("PORT", "3000");
        try {
            int port = Integer.parseInt(value);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new EnvironmentException("PORT must be a port number, got '" + value + "'");
        }
    }

    /** Fails before starting anything when the port is taken. */
    private static void requireFree(int port) {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            probe.setReuseAddress(true);
        } catch (IOException e) {
            throw new EnvironmentException("port " + port + " is already in use; stop what holds it or run "
                    + "with PORT=<another port>");
        }
    }

    private static void printBanner(LocalDeployment deployment, Emulator emulator, Path stateDir,
                                    long readyMillis, String demoKey, Flags flags) {
        String base = deployment.baseUrl().toString();
        String data = emulator.external()
                ? "in the emulator at " + emulator.endpoint() + " (kept as long as it keeps it)"
                : emulator.kind().orElseThrow() == Emulator.Kind.MINISTACK
                        ? "in MiniStack at " + emulator.endpoint() + ", saved to " + stateDir + " on exit "
                                + "and loaded on the next start"
                        : "in the memory of moto at " + emulator.endpoint() + ": gone when you stop run-local "
                                + "(LOCAL_EMULATOR=ministack keeps it)";
        String emulatorLog = emulator.logFile().map(Path::toString).orElse("kept by the emulator you run");
        StringBuilder functions = new StringBuilder();
        deployment.coldStartMillis().forEach((id, ms) ->
                functions.append("\n    ").append(id).append(" (initialised in ").append(ms).append(" ms)"));
        System.out.println("""

                chat-history is running at %s
                  API reference: %s/docs  (the spec: %s/openapi.yaml)
                  dashboard: %s/_local/dashboard  (requests, latency, errors, queues, cache, AWS calls, live)
                  ready to serve after %d ms
                  data:      %s
                  emulator log: %s
                  tables:    %s
                  functions:%s
                  AWS rules: %s
                  schedules: %s  (fire one now: curl -X POST %s/_local/schedules/<Function>/<Event>)
                  details:   curl %s/_local

                  demo tenant "demo", API key (shown once, a new one each start):
                    export CHAT_HISTORY_KEY=%s
                  try:
                    curl -s -X POST %s/v1/chats/demo/messages \\
                      -H "Authorization: Bearer $CHAT_HISTORY_KEY" -H 'Content-Type: application/json' \\
                      -d '{"userId":"alice","isBot":false,"text":"Hello!"}'
                    curl -s -H "Authorization: Bearer $CHAT_HISTORY_KEY" %s/v1/chats/demo/messages
                  more keys and tenants: ./admin (see docs/operations.md, "API keys and tenants")

                Ctrl-C stops the server and everything it started.
                """.formatted(base, base, base, base, readyMillis, data, emulatorLog,
                deployment.resources().tables().values(), functions, rules(flags),
                deployment.schedules().isEmpty() ? "none" : deployment.schedules(), base, base, demoKey, base, base));
    }

    /** What the stack enforces, as the banner says it. */
    private static String rules(Flags flags) {
        List<String> rules = new ArrayList<>();
        rules.add(flags.enforceIam() ? "each function's IAM role enforced (--no-iam to only log refusals)"
                : "IAM NOT enforced: refusals are only logged");
        rules.add("timeouts and payload limits");
        if (flags.deliverTwice()) {
            rules.add("every SQS and S3 event delivered twice");
        }
        if (flags.faults().rate() > 0) {
            rules.add("faults injected into " + flags.faults().rate() * 100 + "% of AWS calls (seed "
                    + flags.faults().seed() + ")");
        }
        return String.join("; ", rules);
    }

    private static void fail(String message) {
        System.err.println("run-local: " + message);
        System.exit(1);
    }
}
