package dev.chathistory.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.chathistory.local.ProjectRoot;
import dev.chathistory.local.template.Intrinsics;
import dev.chathistory.local.template.SamTemplate;
import dev.chathistory.shared.service.SettingsService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What operators get from template.yaml: every function traced; every alarm notifying the
 * alarm topic (which CloudWatch can publish to), with its threshold a parameter and a section
 * of docs/operations.md behind its link; the alarms the runbook promises, found by the metric
 * they watch; and a dashboard, read as CloudWatch reads it (the {@code !Sub} resolved with
 * placeholders, then parsed as JSON), that shows every function, table and queue and every
 * metric family the functions emit.
 */
class OperationsTemplateAgreementTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FUNCTIONS = List.of("MessageApiFunction", "AuthorizerFunction",
            "UserBatchFunction", "AttachmentIngestFunction", "MaintenanceFunction");
    private static final List<String> TABLES = List.of("MessagesTable", "UsersTable");
    private static final Pattern RUNBOOK_LINK = Pattern.compile("Runbook: docs/operations\\.md#([A-Za-z0-9_-]+)");

    /** The functions' own metrics, by family; each must be on the dashboard by name. */
    private static final Map<String, List<String>> CUSTOM_METRICS = customMetrics();
    /** Per AWS call, {@code {AwsService}.{Operation}.<suffix>}: found on the dashboard by SEARCH. */
    private static final List<String> PER_CALL_SUFFIXES = List.of("Latency", "Attempts", "Throttles");

    private final Path root = ProjectRoot.find();
    private final SamTemplate template = SamTemplate.loadFrom(root);
    private final JsonNode document = template.document();
    private final Map<String, JsonNode> alarms = template.resourcesOfType("AWS::CloudWatch::Alarm");

    private static Map<String, List<String>> customMetrics() {
        Map<String, List<String>> families = new LinkedHashMap<>();
        families.put("message API", List.of("MessagesAppended", "IdempotentReplays", "VersionConflicts",
                SettingsService.CACHE_NAME + "CacheHits", SettingsService.CACHE_NAME + "CacheMisses"));
        families.put("jobs", List.of("JobsSucceeded", "DuplicateJobDeliveries", "JobAttemptsFailed", "JobsFailed"));
        families.put("ingest", List.of("AttachmentsReady", "AttachmentsRejected", "BlobsStored", "DuplicateUploads",
                "UploadsAlreadyClaimed"));
        families.put("maintenance", List.of("JobsEnqueued", "StaleJobsExpired", "DeadLetterQueueDepth",
                "DeadLetterQueueOldestAgeSeconds", "JobsRedriven", "OrphanedChunksDeleted"));
        families.put("memory", List.of("HeapUsed", "ResidentMemory"));
        return families;
    }

    // ---------------------------------------------------------------- tracing

    @Test
    void everyFunction_shouldBeTracedActively() {
        assertThat(template.functions()).extracting(SamTemplate.FunctionDefinition::logicalId)
                .as("the functions this test and the alarms cover; a new one needs its alarms and dashboard lines")
                .containsExactlyInAnyOrderElementsOf(FUNCTIONS);
        for (SamTemplate.FunctionDefinition function : template.functions()) {
            JsonNode tracing = function.properties().has("Tracing") ? function.properties().get("Tracing")
                    : function.globals().path("Tracing");
            assertThat(tracing.asText()).as(function.logicalId() + " Tracing").isEqualTo("Active");
        }
    }

    // ---------------------------------------------------------------- alarms

    @Test
    void everyAlarm_shouldNotifyTheAlarmTopic_whenItFiresAndWhenItClears() {
        assertThat(alarms).isNotEmpty();
        JsonNode topic = ref("AlarmTopic");
        alarms.forEach((id, alarm) -> {
            JsonNode properties = alarm.path("Properties");
            assertThat(SamTemplate.oneOrMany(properties.path("AlarmActions"))).as(id + " AlarmActions").contains(topic);
            assertThat(SamTemplate.oneOrMany(properties.path("OKActions"))).as(id + " OKActions").contains(topic);
            assertThat(properties.path("TreatMissingData").asText()).as(id + " TreatMissingData")
                    .isEqualTo("notBreaching");
        });
    }

    @Test
    void everyAlarm_shouldLinkASectionOfTheRunbook() throws IOException {
        Set<String> anchors = headingAnchors(Files.readString(root.resolve("docs/operations.md"), StandardCharsets.UTF_8));
        alarms.forEach((id, alarm) -> {
            String description = text(alarm.path("Properties").path("AlarmDescription"));
            Matcher link = RUNBOOK_LINK.matcher(description);
            assertThat(link.find()).as(id + " links its runbook section: " + description).isTrue();
            assertThat(anchors).as(id + "'s runbook link #" + link.group(1) + " is a heading of docs/operations.md")
                    .contains(link.group(1));
        });
    }

    @Test
    void everyThreshold_shouldBeAParameterWithADefaultWithinItsBounds() {
        alarms.forEach((id, alarm) -> {
            JsonNode threshold = alarm.path("Properties").path("Threshold");
            assertThat(threshold.has("Ref")).as(id + " Threshold is a !Ref to a parameter: " + threshold).isTrue();
            JsonNode parameter = document.path("Parameters").path(threshold.path("Ref").asText());
            assertThat(parameter.isObject()).as(id + ": " + threshold + " is a parameter").isTrue();
            assertThat(parameter.path("Type").asText()).as(id).isEqualTo("Number");
            assertThat(parameter.has("Default") && parameter.has("MinValue") && parameter.has("MaxValue"))
                    .as(id + ": its threshold parameter has Default, MinValue and MaxValue").isTrue();
            assertThat(parameter.path("Default").asDouble()).as(id + " default within bounds")
                    .isBetween(parameter.path("MinValue").asDouble(), parameter.path("MaxValue").asDouble());
        });
    }

    @Test
    void api_shouldAlarmOnItsServerErrorRate_andOnItsP99Latency() {
        JsonNode api = ref("HttpApi");
        List<String> rate = alarmsWatching("AWS/ApiGateway", "5xx", "ApiId", api);
        assertThat(rate).as("an alarm on AWS/ApiGateway 5xx of the HttpApi").hasSize(1);
        JsonNode rateAlarm = alarms.get(rate.get(0)).path("Properties");
        assertThat(watched(rateAlarm)).as("the rate divides by the API's Count")
                .anyMatch(m -> m.is("AWS/ApiGateway", "Count", "ApiId", api));
        assertThat(returnedExpression(rateAlarm)).as("a percentage of 5xx over requests")
                .contains(metricId(rateAlarm, "5xx")).contains(metricId(rateAlarm, "Count")).contains("100");
        assertThat(rateAlarm.path("Threshold").path("Ref").asText()).isEqualTo("Api5xxRatePercent");
        assertThat(template.parameterDefault("Api5xxRatePercent")).isEqualTo("1");

        List<String> latency = alarmsWatching("AWS/ApiGateway", "Latency", "ApiId", api);
        assertThat(latency).as("an alarm on AWS/ApiGateway Latency of the HttpApi").hasSize(1);
        JsonNode latencyAlarm = alarms.get(latency.get(0)).path("Properties");
        assertThat(latencyAlarm.path("ExtendedStatistic").asText()).isEqualTo("p99");
        assertThat(latencyAlarm.path("Threshold").path("Ref").asText()).isEqualTo("ApiLatencyP99Milliseconds");
        assertThat(template.parameterDefault("ApiLatencyP99Milliseconds")).isEqualTo("2000");
    }

    @Test
    void everyFunction_shouldHaveAnAlarmOnItsErrors_andOneOnItsThrottles() {
        for (String function : FUNCTIONS) {
            for (String metric : List.of("Errors", "Throttles")) {
                List<String> watching = alarmsWatching("AWS/Lambda", metric, "FunctionName", ref(function));
                assertThat(watching).as("an alarm on AWS/Lambda " + metric + " of " + function).hasSize(1);
                JsonNode alarm = alarms.get(watching.get(0)).path("Properties");
                assertThat(alarm.path("Statistic").asText()).as(watching.get(0)).isEqualTo("Sum");
                assertThat(alarm.path("ComparisonOperator").asText()).as(watching.get(0))
                        .isEqualTo("GreaterThanThreshold");
            }
        }
    }

    @Test
    void everyTable_shouldHaveAnAlarmOnItsReadAndWriteThrottles() {
        for (String table : TABLES) {
            List<String> reads = alarmsWatching("AWS/DynamoDB", "ReadThrottleEvents", "TableName", ref(table));
            List<String> writes = alarmsWatching("AWS/DynamoDB", "WriteThrottleEvents", "TableName", ref(table));
            assertThat(reads).as("an alarm on the read and write throttles of " + table).hasSize(1).isEqualTo(writes);
            JsonNode alarm = alarms.get(reads.get(0)).path("Properties");
            // DynamoDB sends throttle events only when there are some: without FILL, writes
            // throttled in a period without read throttles would add up to no data at all.
            assertThat(returnedExpression(alarm))
                    .contains("FILL(" + metricId(alarm, "ReadThrottleEvents") + ", 0)")
                    .contains("FILL(" + metricId(alarm, "WriteThrottleEvents") + ", 0)");
        }
    }

    @Test
    void jobQueues_shouldAlarmOnADeadLetter_andOnTheOldestJobsAge() {
        assertThat(alarmsWatching("AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName",
                attribute("JobsDeadLetterQueue", "QueueName"))).as("an alarm on the job DLQ's depth").hasSize(1);
        List<String> oldest = alarmsWatching("AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName",
                attribute("JobsQueue", "QueueName"));
        assertThat(oldest).as("an alarm on the job queue's oldest message").hasSize(1);
        assertThat(alarms.get(oldest.get(0)).path("Properties").path("Threshold").path("Ref").asText())
                .isEqualTo("OldestJobAgeSeconds");
        assertThat(template.parameterDefault("OldestJobAgeSeconds")).isEqualTo("1800");
        assertThat(alarmsWatching("AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName",
                attribute("AttachmentIngestFailuresQueue", "QueueName"))).as("an alarm on ingest failures").hasSize(1);
    }

    @Test
    void alarmTopic_shouldBeEncryptedWithAKeyCloudWatchMayPublishWith() {
        JsonNode keyId = template.resource("AlarmTopic").path("Properties").path("KmsMasterKeyId");
        // alias/aws/sns, the AWS managed key, has a policy nobody can change that does not let
        // CloudWatch use it: every alarm notification would fail.
        String keyLogicalId = keyId.has("Ref") ? keyId.path("Ref").asText()
                : keyId.path("Fn::GetAtt").path(0).asText();
        assertThat(keyLogicalId).as("the topic's key is one of the stack's own: " + keyId).isNotBlank();
        JsonNode key = template.resource(keyLogicalId);
        assertThat(key.path("Type").asText()).isEqualTo("AWS::KMS::Key");
        assertThat(SamTemplate.oneOrMany(key.path("Properties").path("KeyPolicy").path("Statement")))
                .as("the key policy lets CloudWatch encrypt and decrypt with it")
                .anySatisfy(statement -> {
                    assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
                    assertThat(SamTemplate.oneOrMany(statement.path("Principal").path("Service"))).extracting(JsonNode::asText)
                            .contains("cloudwatch.amazonaws.com");
                    assertThat(SamTemplate.oneOrMany(statement.path("Action"))).extracting(JsonNode::asText)
                            .contains("kms:Decrypt", "kms:GenerateDataKey*");
                });
    }

    @Test
    void emailSubscription_shouldExistOnlyWhenAlarmEmailIsSet() {
        JsonNode parameter = document.path("Parameters").path("AlarmEmail");
        assertThat(parameter.path("Type").asText()).isEqualTo("String");
        assertThat(parameter.has("Default")).isTrue();
        assertThat(parameter.path("Default").asText()).isEmpty();

        Map<String, JsonNode> subscriptions = template.resourcesOfType("AWS::SNS::Subscription");
        assertThat(subscriptions).hasSize(1);
        JsonNode subscription = subscriptions.values().iterator().next();
        JsonNode properties = subscription.path("Properties");
        assertThat(properties.path("Protocol").asText()).isEqualTo("email");
        assertThat(properties.path("Endpoint")).isEqualTo(ref("AlarmEmail"));
        assertThat(properties.path("TopicArn")).isEqualTo(ref("AlarmTopic"));

        String condition = subscription.path("Condition").asText();
        assertThat(condition).as("the subscription has a Condition").isNotBlank();
        JsonNode notEmpty = document.path("Conditions").path(condition);
        JsonNode equals = notEmpty.path("Fn::Not").path(0).path("Fn::Equals");
        assertThat(SamTemplate.oneOrMany(equals)).as(condition + " is: AlarmEmail is not empty, " + notEmpty)
                .containsExactlyInAnyOrder(ref("AlarmEmail"), TextNode.valueOf(""));
    }

    // ---------------------------------------------------------------- dashboard

    @Test
    void dashboard_shouldShowTheApi() {
        Dashboard dashboard = dashboard();
        String api = placeholder("HttpApi");
        for (String metric : List.of("Count", "4xx", "5xx")) {
            assertThat(dashboard.has("AWS/ApiGateway", metric, "ApiId", api, null)).as("API " + metric).isTrue();
        }
        for (String stat : List.of("p50", "p99")) {
            assertThat(dashboard.has("AWS/ApiGateway", "Latency", "ApiId", api, stat)).as("API latency " + stat).isTrue();
        }
    }

    @Test
    void dashboard_shouldShowEveryFunction() {
        Dashboard dashboard = dashboard();
        for (String function : FUNCTIONS) {
            String name = placeholder(function);
            for (String metric : List.of("Invocations", "Errors", "Throttles")) {
                assertThat(dashboard.has("AWS/Lambda", metric, "FunctionName", name, "Sum"))
                        .as(function + " " + metric).isTrue();
            }
            assertThat(dashboard.has("AWS/Lambda", "Duration", "FunctionName", name, "p99"))
                    .as(function + " duration p99").isTrue();
            assertThat(dashboard.has("AWS/Lambda", "ConcurrentExecutions", "FunctionName", name, "Maximum"))
                    .as(function + " concurrency").isTrue();
        }
    }

    @Test
    void dashboard_shouldShowColdStartsOfEveryFunction_fromItsReportLines() {
        // Lambda publishes no InitDuration metric, and SnapStart functions report Restore Duration.
        List<String> queries = dashboard().logQueries();
        assertThat(queries).as("a Logs Insights widget over every function's log group reading REPORT lines")
                .anySatisfy(query -> {
                    assertThat(query).contains("REPORT").contains("Restore Duration").contains("Init Duration");
                    for (String function : FUNCTIONS) {
                        String logGroup = template.resource(function).path("Properties").path("LoggingConfig")
                                .path("LogGroup").path("Ref").asText();
                        assertThat(query).as(function + "'s log group").contains("SOURCE '" + placeholder(logGroup) + "'");
                    }
                });
    }

    @Test
    void dashboard_shouldShowEveryTable_andTheJobQueues() {
        Dashboard dashboard = dashboard();
        for (String table : TABLES) {
            for (String metric : List.of("ConsumedReadCapacityUnits", "ConsumedWriteCapacityUnits",
                    "ReadThrottleEvents", "WriteThrottleEvents")) {
                assertThat(dashboard.has("AWS/DynamoDB", metric, "TableName", placeholder(table), null))
                        .as(table + " " + metric).isTrue();
            }
        }
        String jobs = queueName("JobsQueue");
        assertThat(dashboard.has("AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", jobs, null))
                .as("job queue depth").isTrue();
        assertThat(dashboard.has("AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", jobs, null))
                .as("job queue's oldest message").isTrue();
        assertThat(dashboard.has("AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName",
                queueName("JobsDeadLetterQueue"), null)).as("job DLQ depth").isTrue();
    }

    @Test
    void dashboard_shouldShowEveryCustomMetric_inTheFunctionsNamespaceAndService() {
        Dashboard dashboard = dashboard();
        String namespace = serviceSetting("POWERTOOLS_METRICS_NAMESPACE");
        String service = serviceSetting("POWERTOOLS_SERVICE_NAME");
        CUSTOM_METRICS.forEach((family, names) -> names.forEach(name ->
                assertThat(dashboard.has(namespace, name, "Service", service, null))
                        .as(family + ": " + namespace + " " + name + " with Service=" + service).isTrue()));
        assertThat(dashboard.expressionsOver(namespace, "SettingsCacheHits", "SettingsCacheMisses"))
                .as("the settings cache hit rate: an expression over hits and misses").isNotEmpty();
    }

    @Test
    void dashboard_shouldSearchThePerCallMetrics_leavingOutOtherMetricsThatShareTheirWord() {
        String namespace = serviceSetting("POWERTOOLS_METRICS_NAMESPACE");
        List<String> searches = dashboard().expressions().stream().filter(e -> e.startsWith("SEARCH(")).toList();
        Set<String> named = new LinkedHashSet<>();
        CUSTOM_METRICS.values().forEach(named::addAll);
        for (String suffix : PER_CALL_SUFFIXES) {
            List<String> matching = searches.stream()
                    .filter(s -> s.contains("{" + namespace + ",Service}") && s.contains("MetricName=" + suffix))
                    .toList();
            assertThat(matching).as("a SEARCH of " + namespace + " for *." + suffix).hasSize(1);
            // SEARCH matches a token of a name: Attempts also finds JobAttemptsFailed.
            for (String other : named) {
                if (camelCaseWords(other).contains(suffix)) {
                    assertThat(matching.get(0)).as(other + " shares the word " + suffix)
                            .contains("NOT MetricName=\"" + other + "\"");
                }
            }
        }
    }

    @Test
    void dashboard_shouldListEveryAlarm_andShowEverythingInTheStacksRegion() {
        Dashboard dashboard = dashboard();
        assertThat(dashboard.alarmArns()).containsExactlyInAnyOrderElementsOf(
                alarms.keySet().stream().map(OperationsTemplateAgreementTest::arnPlaceholder).toList());
        for (JsonNode widget : dashboard.widgets()) {
            if (!widget.path("type").asText().equals("text")) {
                assertThat(widget.path("properties").path("region").asText()).as(widget.toString())
                        .isEqualTo(REGION);
            }
        }
    }

    @Test
    void customMetricsOnTheDashboard_shouldBeOnesTheCodeEmits() throws IOException {
        String sources = mainSources();
        CUSTOM_METRICS.values().stream().flatMap(List::stream)
                .filter(name -> !name.startsWith(SettingsService.CACHE_NAME))
                .forEach(name -> assertThat(sources).as(name + " is a metric name in the functions' code")
                        .contains("\"" + name + "\""));
        assertThat(sources).as("cache metrics are <cache name>CacheHits and CacheMisses")
                .contains("cacheName + \"CacheHits\"").contains("cacheName + \"CacheMisses\"");
    }

    @Test
    void outputs_shouldNameTheDashboardAndTheAlarmTopic() {
        JsonNode outputs = document.path("Outputs");
        assertThat(outputs.path("AlarmTopicArn").path("Value")).isEqualTo(ref("AlarmTopic"));
        assertThat(outputs.path("DashboardName").path("Value")).isEqualTo(ref("OperationsDashboard"));
        assertThat(outputs.path("DashboardUrl").path("Value").path("Fn::Sub").asText())
                .contains("${OperationsDashboard}").startsWith("https://");
    }

    // ---------------------------------------------------------------- alarm helpers

    /** A metric an alarm watches: its own, or one input of its metric math. */
    private record Watched(String id, String namespace, String name, JsonNode dimensions) {
        boolean is(String namespace, String name, String dimension, JsonNode value) {
            if (!this.namespace.equals(namespace) || !this.name.equals(name)) {
                return false;
            }
            for (JsonNode d : dimensions) {
                if (d.path("Name").asText().equals(dimension) && d.path("Value").equals(value)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static List<Watched> watched(JsonNode alarm) {
        List<Watched> metrics = new ArrayList<>();
        if (alarm.has("MetricName")) {
            metrics.add(new Watched("", alarm.path("Namespace").asText(), alarm.path("MetricName").asText(),
                    alarm.path("Dimensions")));
        }
        for (JsonNode query : alarm.path("Metrics")) {
            JsonNode metric = query.path("MetricStat").path("Metric");
            if (!metric.isMissingNode()) {
                metrics.add(new Watched(query.path("Id").asText(), metric.path("Namespace").asText(),
                        metric.path("MetricName").asText(), metric.path("Dimensions")));
            }
        }
        return metrics;
    }

    private List<String> alarmsWatching(String namespace, String metric, String dimension, JsonNode value) {
        List<String> ids = new ArrayList<>();
        alarms.forEach((id, alarm) -> {
            if (watched(alarm.path("Properties")).stream().anyMatch(m -> m.is(namespace, metric, dimension, value))) {
                ids.add(id);
            }
        });
        return ids;
    }

    private static String metricId(JsonNode alarm, String metricName) {
        return watched(alarm).stream().filter(m -> m.name().equals(metricName)).findFirst()
                .map(Watched::id).orElseThrow(() -> new AssertionError("no " + metricName + " in " + alarm));
    }

    private static String returnedExpression(JsonNode alarm) {
        for (JsonNode query : alarm.path("Metrics")) {
            if (query.path("ReturnData").asBoolean(true) && query.has("Expression")) {
                return query.path("Expression").asText();
            }
        }
        throw new AssertionError("no returned expression in " + alarm);
    }

    // ---------------------------------------------------------------- dashboard helpers

    private static final String REGION = "eu-west-1";

    private static String placeholder(String logicalId) {
        return "ph-" + logicalId;
    }

    private static String queueName(String logicalId) {
        return placeholder(logicalId) + "-name";
    }

    private static String arnPlaceholder(String logicalId) {
        return "arn:ph:" + logicalId;
    }

    /**
     * The dashboard body as CloudWatch gets it: the {@code !Sub} resolved, with parameters at
     * their defaults and every resource a placeholder ({@link #placeholder}), then parsed as
     * JSON. A variable naming nothing in the template fails here.
     */
    private Dashboard dashboard() {
        Intrinsics intrinsics = new Intrinsics(template.parameterDefaults(), REGION, "ops-test");
        document.path("Resources").fieldNames().forEachRemaining(id -> {
            intrinsics.defineRef(id, placeholder(id));
            intrinsics.defineAttribute(id, "Arn", arnPlaceholder(id));
            intrinsics.defineAttribute(id, "QueueName", queueName(id));
        });
        JsonNode body = template.resource("OperationsDashboard").path("Properties").path("DashboardBody");
        assertThat(body.has("Fn::Sub")).as("DashboardBody is a !Sub").isTrue();
        ObjectNode sub = JsonNodeFactory.instance.objectNode();
        sub.set("Fn::Sub", body.get("Fn::Sub"));
        try {
            return new Dashboard(JSON.readTree(intrinsics.text(sub)));
        } catch (IOException e) {
            throw new AssertionError("the dashboard body is not JSON once resolved", e);
        }
    }

    /** A parsed dashboard body. */
    private record Dashboard(JsonNode body) {

        /** One line of a metric widget: a metric with its dimensions and statistic, or an expression. */
        private record Line(String namespace, String name, Map<String, String> dimensions, String stat, String id,
                            String expression, JsonNode widget) {
        }

        List<JsonNode> widgets() {
            return SamTemplate.oneOrMany(body.path("widgets"));
        }

        List<Line> lines() {
            List<Line> lines = new ArrayList<>();
            for (JsonNode widget : widgets()) {
                if (!widget.path("type").asText().equals("metric")) {
                    continue;
                }
                String widgetStat = widget.path("properties").path("stat").asText("Average");
                List<String> previous = List.of();
                for (JsonNode row : widget.path("properties").path("metrics")) {
                    JsonNode options = row.size() > 0 && row.get(row.size() - 1).isObject()
                            ? row.get(row.size() - 1) : JsonNodeFactory.instance.objectNode();
                    if (options.has("expression")) {
                        lines.add(new Line(null, null, Map.of(), null, options.path("id").asText(),
                                options.path("expression").asText(), widget));
                        continue;
                    }
                    List<String> parts = new ArrayList<>();
                    for (int i = 0; i < row.size(); i++) {
                        if (row.get(i).isTextual()) {
                            // "." repeats the value in the same place of the line above.
                            String part = row.get(i).asText();
                            parts.add(part.equals(".") && i < previous.size() ? previous.get(i) : part);
                        }
                    }
                    previous = parts;
                    Map<String, String> dimensions = new LinkedHashMap<>();
                    for (int i = 2; i + 1 < parts.size(); i += 2) {
                        dimensions.put(parts.get(i), parts.get(i + 1));
                    }
                    lines.add(new Line(parts.get(0), parts.get(1), dimensions, options.path("stat").asText(widgetStat),
                            options.path("id").asText(""), null, widget));
                }
            }
            return lines;
        }

        /** A line of this metric, with this dimension, and this statistic (any, when null). */
        boolean has(String namespace, String name, String dimension, String value, String stat) {
            return lines().stream().anyMatch(line -> namespace.equals(line.namespace()) && name.equals(line.name())
                    && value.equals(line.dimensions().get(dimension)) && (stat == null || stat.equals(line.stat())));
        }

        List<String> expressions() {
            return lines().stream().filter(line -> line.expression() != null).map(Line::expression).toList();
        }

        /** Expressions of a widget that refer to the ids of lines of all these metrics of that widget. */
        List<String> expressionsOver(String namespace, String... names) {
            List<String> found = new ArrayList<>();
            for (JsonNode widget : widgets()) {
                List<Line> lines = lines().stream().filter(line -> line.widget() == widget).toList();
                List<String> ids = Arrays.stream(names).map(name -> lines.stream()
                        .filter(line -> namespace.equals(line.namespace()) && name.equals(line.name())
                                && !line.id().isEmpty())
                        .map(Line::id).findFirst().orElse(null)).toList();
                if (ids.contains(null)) {
                    continue;
                }
                lines.stream().filter(line -> line.expression() != null)
                        .filter(line -> ids.stream().allMatch(id -> Pattern.compile("\\b" + id + "\\b")
                                .matcher(line.expression()).find()))
                        .forEach(line -> found.add(line.expression()));
            }
            return found;
        }

        List<String> logQueries() {
            return widgets().stream().filter(w -> w.path("type").asText().equals("log"))
                    .map(w -> w.path("properties").path("query").asText()).toList();
        }

        List<String> alarmArns() {
            List<String> arns = new ArrayList<>();
            widgets().stream().filter(w -> w.path("type").asText().equals("alarm"))
                    .forEach(w -> w.path("properties").path("alarms").forEach(a -> arns.add(a.asText())));
            return arns;
        }
    }

    // ---------------------------------------------------------------- general helpers

    private static JsonNode ref(String name) {
        return JsonNodeFactory.instance.objectNode().put("Ref", name);
    }

    private static JsonNode attribute(String logicalId, String attribute) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.putArray("Fn::GetAtt").add(logicalId).add(attribute);
        return node;
    }

    /** A plain string, or the text of a {@code !Sub}. */
    private static String text(JsonNode value) {
        if (value.isTextual()) {
            return value.asText();
        }
        JsonNode sub = value.path("Fn::Sub");
        return sub.isArray() ? sub.path(0).asText() : sub.asText();
    }

    private String serviceSetting(String variable) {
        String value = template.functionGlobals().path("Environment").path("Variables").path(variable).asText();
        assertThat(value).as(variable + " in Globals").isNotBlank();
        return value;
    }

    /** GitHub's anchors of the markdown headings: lower case, punctuation dropped, spaces as hyphens. */
    static Set<String> headingAnchors(String markdown) {
        Set<String> anchors = new LinkedHashSet<>();
        boolean inCode = false;
        for (String line : markdown.split("\n")) {
            if (line.startsWith("```")) {
                inCode = !inCode;
            } else if (!inCode && line.matches("#{1,6} .*")) {
                String heading = line.replaceFirst("#{1,6} ", "").trim().toLowerCase(Locale.ROOT);
                anchors.add(heading.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }

    private static List<String> camelCaseWords(String name) {
        return List.of(name.split("(?<=[a-z0-9])(?=[A-Z])"));
    }

    /** The main Java sources of every function and of shared, as one text. */
    private String mainSources() throws IOException {
        List<Path> dirs = new ArrayList<>(List.of(root.resolve("shared/src/main/java")));
        try (Stream<Path> functions = Files.list(root.resolve("functions"))) {
            functions.map(f -> f.resolve("src/main/java")).filter(Files::isDirectory).forEach(dirs::add);
        }
        StringBuilder text = new StringBuilder();
        for (Path dir : dirs) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                    try {
                        text.append(Files.readString(f, StandardCharsets.UTF_8)).append('\n');
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
        return text.toString();
    }
}
