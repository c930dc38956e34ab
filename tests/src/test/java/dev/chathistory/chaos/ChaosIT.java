package dev.chathistory.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.chathistory.client.ChatHistoryClient;
import dev.chathistory.client.ChatHistoryException;
import dev.chathistory.client.ConflictException;
import dev.chathistory.client.Job;
import dev.chathistory.client.Message;
import dev.chathistory.client.MessageVersion;
import dev.chathistory.client.NewMessage;
import dev.chathistory.local.LocalDeployment;
import dev.chathistory.local.aws.FaultPlan;
import dev.chathistory.shared.aws.AwsClientFactory;
import dev.chathistory.shared.aws.ClientSettings;
import dev.chathistory.tests.TestAws;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Bots and jobs for a bounded time while the local AWS gateway injects throttling, 500s and
 * lost answers into a share of every function's AWS calls (seeded, so a run can be repeated).
 * The bots use {@code clients/java}, with its retries and idempotency keys, and keep what they
 * were told. Afterwards, with the faults off: no acknowledged message is missing, none is
 * stored twice, every version chain runs 1, 2, 3... without a gap, every answer the API gave
 * was 2xx, 4xx or a 503 with Retry-After, and every job either succeeded or failed into the
 * dead-letter queue with its record saying why. The counts are printed.
 */
class ChaosIT {

    private static final int BOTS = 4;
    private static final Duration TRAFFIC = Duration.ofSeconds(Long.getLong("chathistory.chaos.seconds", 20));
    private static final double FAULT_RATE = Double.parseDouble(System.getProperty("chathistory.chaos.rate", "0.2"));
    private static final long SEED = Long.getLong("chathistory.chaos.seed", 20261203L);
    private static final Duration SETTLE = Duration.ofSeconds(90);

    private static LocalDeployment deployment;
    private static List<ExchangeLog.Answer> answers;

    @BeforeAll
    static void deploy() throws Exception {
        // Retries of failed jobs a second or two apart, and no batching window (which Lambda
        // allows only for batches of at most 10), so a run settles within the test.
        deployment = LocalDeployment.start(LocalDeployment.Options.defaults(TestAws.template(), 0)
                .withStackName(TestAws.stackName("chaos")).withSchedulesEnabled(false)
                .withParameterOverrides(TestAws.testParameters(Map.of("RetryBackoffBaseSeconds", "1",
                        "RetryBackoffMaxSeconds", "2", "JobsBatchWindowSeconds", "0", "JobsBatchSize", "10",
                        "BatchConcurrency", "10"))), TestAws.emulator().endpoint());
        answers = ExchangeLog.watch(deployment.port());
    }

    @AfterAll
    static void stop() {
        if (deployment != null) {
            ExchangeLog.stopWatching(deployment.port());
            deployment.close();
        }
    }

    /** What one bot was told, and so may count on. */
    private static final class Bot {
        final String tenant;
        final ChatHistoryClient client;
        final Random random;
        /** Acknowledged messages: id to the text of their last acknowledged version, and that version. */
        final Map<String, String> texts = new LinkedHashMap<>();
        final Map<String, Long> versions = new HashMap<>();
        final Map<String, String> chatOf = new HashMap<>();
        final List<String> jobs = new ArrayList<>();
        final Map<String, AtomicInteger> outcomes = new TreeMap<>();

        Bot(int number) {
            tenant = "chaos-" + number + "-" + UUID.randomUUID().toString().substring(0, 6);
            client = ChatHistoryClient.builder().baseUri(deployment.baseUrl())
                    .apiKey(deployment.issueKey(tenant, "ChaosIT").key()).build();
            random = new Random(SEED + number);
        }

        void count(String outcome) {
            outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
        }

        void run(Instant until) {
            int n = 0;
            while (Instant.now().isBefore(until)) {
                n++;
                int dice = random.nextInt(100);
                try {
                    if (dice < 55 || texts.isEmpty()) {
                        append("chat-" + random.nextInt(3), "m" + n + "-" + UUID.randomUUID());
                    } else if (dice < 75) {
                        edit(n);
                    } else if (dice < 87) {
                        client.listMessages("chat-" + random.nextInt(3), 20, null, true);
                        count("list ok");
                    } else if (dice < 93) {
                        client.overwriteSettings("user-" + tenant,
                                JsonNodeFactory.instance.objectNode().put("n", n));
                        count("settings ok");
                    } else {
                        jobs.add(client.submitJob("user-" + tenant, random.nextBoolean() ? Job.RECOUNT : Job.EXPORT)
                                .jobId());
                        count("job submitted");
                    }
                } catch (ChatHistoryException e) {
                    count("refused " + e.status() + " " + e.code());
                }
            }
        }

        private void append(String chat, String text) {
            Message stored = client.append(chat, NewMessage.of("user-" + tenant, false, text)).message();
            texts.put(stored.messageId(), text);
            versions.put(stored.messageId(), stored.version());
            chatOf.put(stored.messageId(), chat);
            count("append ok");
        }

        private void edit(int n) {
            List<String> ids = new ArrayList<>(texts.keySet());
            String id = ids.get(random.nextInt(ids.size()));
            String text = texts.get(id) + " e" + n;
            try {
                Message edited = client.editText(chatOf.get(id), id, versions.get(id), text);
                versions.put(id, edited.version());
                texts.put(id, text);
                count("edit ok");
            } catch (ConflictException e) {
                // Only this bot edits its messages, so a conflict can only be its own earlier attempt
                // whose answer was lost. The client documents this; read it back.
                Message current = client.getMessage(chatOf.get(id), id);
                assertThat(current.text()).as("a conflict on %s is this bot's own edit", id).isEqualTo(text);
                versions.put(id, current.version());
                texts.put(id, text);
                count("edit ok after reading back");
            }
        }
    }

    @Test
    void botsAndJobsUnderFaults_shouldLoseNothing_duplicateNothing_andNeverAnswer500() throws Exception {
        List<Bot> bots = new ArrayList<>();
        for (int i = 0; i < BOTS; i++) {
            bots.add(new Bot(i));
        }
        deployment.awsGateway().injectFaults(FaultPlan.all(FAULT_RATE, SEED));
        ExecutorService pool = Executors.newFixedThreadPool(BOTS);
        try {
            Instant until = Instant.now().plus(TRAFFIC);
            List<Future<?>> running = new ArrayList<>();
            bots.forEach(bot -> running.add(pool.submit(() -> bot.run(until))));
            for (Future<?> bot : running) {
                bot.get(TRAFFIC.toSeconds() + 120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Map<FaultPlan.Fault, Long> faults = deployment.awsGateway().injectedFaults();
        deployment.awsGateway().injectFaults(FaultPlan.none());

        Map<String, Job> jobs = settledJobs(bots);
        List<String> deadLettered = deadLetterBodies();

        Map<String, AtomicInteger> outcomes = new TreeMap<>();
        bots.forEach(bot -> bot.outcomes.forEach((k, v) -> outcomes.computeIfAbsent(k, x -> new AtomicInteger())
                .addAndGet(v.get())));
        Map<Integer, Integer> statuses = new TreeMap<>();
        answers.forEach(a -> statuses.merge(a.status(), 1, Integer::sum));
        int messages = 0;
        int versionsChecked = 0;
        int duplicates = 0;
        int lost = 0;
        for (Bot bot : bots) {
            for (String chat : List.of("chat-0", "chat-1", "chat-2")) {
                Map<String, Integer> seen = new HashMap<>();
                for (Message stored : bot.client.history(chat, 100, true)) {
                    seen.merge(original(stored.text()), 1, Integer::sum);
                    messages++;
                    List<MessageVersion> chain = new ArrayList<>();
                    bot.client.versionsOf(chat, stored.messageId()).forEach(chain::add);
                    assertContiguous(stored, chain);
                    versionsChecked += chain.size();
                    if (bot.texts.containsKey(stored.messageId())) {
                        assertThat(stored.text()).as("message %s holds its last acknowledged edit", stored.messageId())
                                .isEqualTo(bot.texts.get(stored.messageId()));
                    }
                }
                duplicates += (int) seen.values().stream().filter(count -> count > 1).count();
                for (Map.Entry<String, String> acknowledged : bot.texts.entrySet()) {
                    if (chat.equals(bot.chatOf.get(acknowledged.getKey()))
                            && !seen.containsKey(original(acknowledged.getValue()))) {
                        lost++;
                    }
                }
            }
        }

        System.out.printf("%nChaosIT (seed %d, fault rate %.2f, %d bots for %d s):%n  faults injected: %s%n"
                        + "  API answers by status: %s%n  bot outcomes: %s%n"
                        + "  messages stored: %d, versions checked: %d,"
                        + " lost: %d, duplicated: %d%n  jobs: %s%n%n", SEED, FAULT_RATE, BOTS, TRAFFIC.toSeconds(),
                faults, statuses, outcomes, messages, versionsChecked, lost, duplicates,
                jobs.values().stream().collect(Collectors.groupingBy(Job::status, TreeMap::new,
                        Collectors.counting())));

        assertThat(faults.values().stream().mapToLong(Long::longValue).sum()).as("faults were injected").isPositive();
        assertThat(lost).as("acknowledged messages missing").isZero();
        assertThat(duplicates).as("messages stored twice").isZero();
        assertThat(answers).as("every answer is 2xx, 4xx or a 503 with Retry-After").allSatisfy(answer -> {
            if (answer.status() >= 500) {
                assertThat(answer.status()).as(answer.method() + " " + answer.rawPath()).isEqualTo(503);
                assertThat(answer.retryAfter()).as("Retry-After of " + answer.rawPath()).isNotBlank();
            }
        });
        assertThat(jobs.values()).as("every job succeeded, or failed into the DLQ saying why").allSatisfy(job -> {
            if (!job.status().equals("succeeded")) {
                assertThat(job.status()).isEqualTo("failed");
                assertThat(job.error()).isNotBlank();
                assertThat(deadLettered).anySatisfy(body -> assertThat(body).contains(job.jobId()));
            }
        });
    }

    /** The text a message was appended with: edits add " e<n>" to it. */
    private static String original(String text) {
        int edit = text.indexOf(" e");
        return edit < 0 ? text : text.substring(0, edit);
    }

    /** Versions 1..N, each the parent of the next, the last the message's own. */
    private static void assertContiguous(Message message, List<MessageVersion> newestFirst) {
        assertThat(newestFirst).as("versions of %s", message.messageId()).isNotEmpty();
        assertThat(newestFirst.get(0).version()).isEqualTo(message.version());
        for (int i = 0; i < newestFirst.size(); i++) {
            MessageVersion version = newestFirst.get(i);
            assertThat(version.version()).as("versions of %s", message.messageId())
                    .isEqualTo(message.version() - i);
            if (version.version() > 1) {
                assertThat(version.parentVersion()).isEqualTo(version.version() - 1);
            }
        }
        assertThat(newestFirst.get(newestFirst.size() - 1).version()).isEqualTo(1);
    }

    /** Waits until every job submitted has finished, and returns them. */
    private static Map<String, Job> settledJobs(List<Bot> bots) throws InterruptedException {
        Map<String, Job> jobs = new ConcurrentHashMap<>();
        Instant deadline = Instant.now().plus(SETTLE);
        for (Bot bot : bots) {
            for (String jobId : bot.jobs) {
                Job job = bot.client.getJob(jobId);
                while (!job.isFinished() && Instant.now().isBefore(deadline)) {
                    Thread.sleep(250);
                    job = bot.client.getJob(jobId);
                }
                assertThat(job.isFinished()).as("job %s finished within %s: %s", jobId, SETTLE, job).isTrue();
                jobs.put(jobId, job);
            }
        }
        return jobs;
    }

    private static List<String> deadLetterBodies() {
        List<String> bodies = new ArrayList<>();
        try (SqsClient sqs = AwsClientFactory.sqs(ClientSettings.forEmulator("us-east-1",
                TestAws.emulator().endpoint()))) {
            String url = deployment.resources().queues().get("JobsDeadLetterQueue").url();
            for (int polls = 0; polls < 20; polls++) {
                int wait = polls == 0 ? 1 : 0;
                List<String> got = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                        .waitTimeSeconds(wait)).messages().stream().map(m -> m.body()).toList();
                if (got.isEmpty()) {
                    break;
                }
                bodies.addAll(got);
            }
        }
        return bodies;
    }
}
