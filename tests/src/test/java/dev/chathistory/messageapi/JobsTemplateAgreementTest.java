package dev.chathistory.messageapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.local.ProjectRoot;
import dev.chathistory.local.template.SamTemplate;
import dev.chathistory.maintenance.MaintenanceHandler;
import dev.chathistory.shared.config.JobsConfig;
import dev.chathistory.shared.repository.dynamodb.UsersTable;
import dev.chathistory.userbatch.BatchConfig;
import dev.chathistory.userbatch.UserBatchHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The template wires the job queue, its DLQ and the two background functions the way the code
 * relies on: one receive limit for queue and function, a visibility timeout of at least six
 * function timeouts, partial batch failures, defaults equal to the code's.
 */
class JobsTemplateAgreementTest {

    private final SamTemplate template = SamTemplate.loadFrom(ProjectRoot.find());

    @Test
    void jobQueue_shouldRedriveToTheDlq_afterTheReceiveLimitTheFunctionIsTold() {
        JsonNode queue = template.resource("JobsQueue").path("Properties");
        JsonNode batch = template.resource("UserBatchFunction").path("Properties");
        JsonNode redrive = queue.path("RedrivePolicy");

        assertThat(redrive.path("deadLetterTargetArn").path("Fn::GetAtt").get(0).asText())
                .isEqualTo("JobsDeadLetterQueue");
        assertThat(redrive.path("maxReceiveCount").path("Ref").asText()).isEqualTo("JobsMaxReceiveCount");
        assertThat(env(batch, "MAX_RECEIVE_COUNT").path("Ref").asText()).isEqualTo("JobsMaxReceiveCount");
        assertThat(queue.path("VisibilityTimeout").asInt())
                .as("at least six times the batch function's timeout")
                .isGreaterThanOrEqualTo(6 * batch.path("Timeout").asInt());
        assertThat(template.resource("JobsDeadLetterQueue").path("Properties").path("MessageRetentionPeriod").asInt())
                .isGreaterThan(queue.path("MessageRetentionPeriod").asInt());
    }

    @Test
    void batchFunction_shouldReportPartialFailures_withBatchingFromParameters() {
        JsonNode function = template.resource("UserBatchFunction").path("Properties");
        JsonNode source = function.path("Events").path("Jobs");

        assertThat(function.path("Handler").asText()).startsWith(UserBatchHandler.class.getName() + "::");
        assertThat(source.path("Type").asText()).isEqualTo("SQS");
        assertThat(source.path("Properties").path("Queue").path("Fn::GetAtt").get(0).asText()).isEqualTo("JobsQueue");
        assertThat(source.path("Properties").path("FunctionResponseTypes").get(0).asText())
                .isEqualTo("ReportBatchItemFailures");
        assertThat(source.path("Properties").path("BatchSize").path("Ref").asText()).isEqualTo("JobsBatchSize");
        assertThat(source.path("Properties").path("MaximumBatchingWindowInSeconds").path("Ref").asText())
                .isEqualTo("JobsBatchWindowSeconds");
        assertThat(source.path("Properties").path("ScalingConfig").path("MaximumConcurrency").path("Ref").asText())
                .isEqualTo("JobsMaxConcurrency");
        assertThat(template.parameterDefault("JobsMaxConcurrency")).isEqualTo("5");
        assertThat(env(function, "BATCH_CONCURRENCY").path("Ref").asText()).isEqualTo("BatchConcurrency");
    }

    @Test
    void maintenance_shouldRunOnAParameterisedScheduleV2() {
        JsonNode function = template.resource("MaintenanceFunction").path("Properties");
        JsonNode sweep = function.path("Events").path("Sweep");

        assertThat(function.path("Handler").asText()).startsWith(MaintenanceHandler.class.getName() + "::");
        assertThat(sweep.path("Type").asText()).isEqualTo("ScheduleV2");
        assertThat(sweep.path("Properties").path("ScheduleExpression").path("Ref").asText())
                .isEqualTo("MaintenanceSchedule");
        assertThat(sweep.path("Properties").path("Input").asText()).isEqualTo("{\"action\":\"sweep\"}");
        assertThat(env(function, "JOBS_DLQ_URL").path("Ref").asText()).isEqualTo("JobsDeadLetterQueue");
    }

    @Test
    void usersTable_shouldHaveTheOpenJobsIndex_andExpireJobRecords() {
        JsonNode table = template.resource("UsersTable").path("Properties");
        List<String> indexes = new ArrayList<>();
        table.path("GlobalSecondaryIndexes").forEach(index -> {
            List<String> keys = new ArrayList<>();
            index.path("KeySchema").forEach(k -> keys.add(k.path("AttributeName").asText()));
            indexes.add(index.path("IndexName").asText() + keys);
        });

        assertThat(indexes).contains(UsersTable.OPEN_JOBS_INDEX + List.of(UsersTable.OPEN_DAY, UsersTable.OPENED_AT));
        assertThat(table.path("TimeToLiveSpecification").path("AttributeName").asText())
                .isEqualTo(UsersTable.TTL_ATTRIBUTE);
    }

    @Test
    void dataBucket_shouldBePrivateEncryptedAndRetained() {
        JsonNode bucket = template.resource("DataBucket");
        JsonNode properties = bucket.path("Properties");

        assertThat(bucket.path("DeletionPolicy").asText()).isEqualTo("Retain");
        assertThat(properties.has("BucketName")).as("no fixed physical name").isFalse();
        assertThat(properties.path("PublicAccessBlockConfiguration").path("RestrictPublicBuckets").asBoolean()).isTrue();
        assertThat(properties.path("BucketEncryption").path("ServerSideEncryptionConfiguration").get(0)
                .path("ServerSideEncryptionByDefault").path("SSEAlgorithm").asText()).isEqualTo("AES256");
    }

    @Test
    void parameterDefaults_shouldMatchTheCodeDefaults() {
        JobsConfig jobs = JobsConfig.fromEnvironment(Map.of());
        BatchConfig batch = BatchConfig.fromEnvironment(Map.of());

        assertThat(Integer.parseInt(template.parameterDefault("ArchiveAfterDays"))).isEqualTo(jobs.archiveAfterDays());
        assertThat(Long.parseLong(template.parameterDefault("JobRecordTtlDays"))).isEqualTo(jobs.jobRecordTtl().toDays());
        assertThat(Long.parseLong(template.parameterDefault("ExportUrlTtlSeconds")))
                .isEqualTo(jobs.exportUrlTtl().toSeconds());
        assertThat(Integer.parseInt(template.parameterDefault("JobsMaxReceiveCount"))).isEqualTo(batch.maxReceiveCount());
        assertThat(Integer.parseInt(template.parameterDefault("BatchConcurrency"))).isEqualTo(batch.concurrency());
        assertThat(template.parameterDefault("JobsBatchSize")).as("a whole batch runs at once")
                .isEqualTo(template.parameterDefault("BatchConcurrency"));
        assertThat(Long.parseLong(template.parameterDefault("RetryBackoffBaseSeconds")))
                .isEqualTo(batch.backoffBase().toSeconds());
        assertThat(Long.parseLong(template.parameterDefault("RetryBackoffMaxSeconds")))
                .isEqualTo(batch.backoffMax().toSeconds());
    }

    private static JsonNode env(JsonNode function, String name) {
        return function.path("Environment").path("Variables").path(name);
    }
}
