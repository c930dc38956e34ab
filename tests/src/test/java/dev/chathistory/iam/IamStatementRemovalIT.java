package dev.chathistory.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.chathistory.local.aws.AwsGateway;
import dev.chathistory.local.template.SamTemplate;
import dev.chathistory.tests.TestAws;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Each statement the code needs is needed: with one removed from template.yaml, the named
 * integration test fails, because the function's call is refused with AccessDenied exactly as
 * AWS would refuse it. The named test runs as it always does, only its stacks are made from
 * the changed template (and marked, so the least-privilege check ignores them).
 */
class IamStatementRemovalIT {

    static Stream<Arguments> statementsTheCodeNeeds() {
        return Stream.of(
                // The backoff of a failed job: without it every retry waits the whole visibility timeout.
                Arguments.of("UserBatchFunction", "sqs:ChangeMessageVisibility", "JobsQueue",
                        "dev.chathistory.jobs.BatchFailuresIT"
                                + "#poisonRecords_shouldBackOffThenReachTheDlq_whileEveryOtherJobRunsOnce"),
                // An S3 prefix: the upload links the API signs may put objects under uploads/ only.
                Arguments.of("MessageApiFunction", "s3:PutObject", "/uploads/*",
                        "dev.chathistory.attachments.AttachmentsIT"
                                + "#theSameImage20Times_someConcurrently_shouldStoreOneBlob_and20Attachments"),
                // A condition key: listing uploads/ only (s3:prefix) is what makes a missing upload 404.
                Arguments.of("AttachmentIngestFunction", "s3:ListBucket", "attachments",
                        "dev.chathistory.attachments.AttachmentsIT"
                                + "#anEventForAnUploadThatIsGone_shouldBeAcknowledged_andLeaveTheAttachmentPending"),
                // A DynamoDB delete: erasing a user deletes their messages.
                Arguments.of("UserBatchFunction", "dynamodb:DeleteItem", "MessagesTable",
                        "dev.chathistory.jobs.ExportEraseIT#exportThenErase"),
                // Maintenance deletes exports past their tenant's retention, under exports/ only.
                Arguments.of("MaintenanceFunction", "s3:DeleteObject", "/exports/*",
                        "dev.chathistory.maintenance.MaintenanceRetentionIT"
                                + "#sweep_shouldDropDueAttachments_deleteExpiredExports_andQueueJobsForExpiredArchives"),
                // Maintenance deletes archive chunks no manifest names, under archive/ only.
                Arguments.of("MaintenanceFunction", "s3:DeleteObject", "/archive/*",
                        "dev.chathistory.maintenance.MaintenanceOrphanedChunksIT"
                                + "#sweep_shouldDeleteOnlyOldChunksNoManifestNames"));
    }

    @ParameterizedTest(name = "without {1} on {2} for {0}, {3} fails")
    @MethodSource("statementsTheCodeNeeds")
    void removingAStatement_shouldFailTheNamedTest_withAccessDenied(String function, String action, String resource,
                                                                     String namedTest) throws Exception {
        SamTemplate without = TemplateEdits.withoutAction(TestAws.template(), function, action, resource);
        List<AwsGateway.Denial> denials = new CopyOnWriteArrayList<>();

        TestExecutionSummary summary;
        try (AutoCloseable listening = AwsGateway.onDenial(denials::add)) {
            summary = TestAws.withTemplate(without, () -> run(namedTest));
        }

        assertThat(summary.getTestsFoundCount()).as("the named test exists").isEqualTo(1);
        assertThat(summary.getTotalFailureCount()).as(namedTest + " fails (the test, or the set-up of its class)")
                .isPositive();
        assertThat(denials).as("AccessDenied for " + function + " " + action)
                .anySatisfy(denial -> {
                    assertThat(denial.role().functionLogicalId()).isEqualTo(function);
                    assertThat(denial.check().action()).isEqualTo(action);
                });
    }

    private static TestExecutionSummary run(String testMethod) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectMethod(testMethod))
                .build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, listener);
        return listener.getSummary();
    }
}
