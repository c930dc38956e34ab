package dev.chathistory.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.local.ProjectRoot;
import dev.chathistory.local.aws.IamCallLog;
import dev.chathistory.local.iam.ExecutionRoles;
import dev.chathistory.local.iam.IamPolicyEvaluator;
import dev.chathistory.local.iam.RoleDeclaration;
import dev.chathistory.local.iam.RolePolicy;
import dev.chathistory.local.iam.Verdict;
import dev.chathistory.local.template.SamTemplate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Least privilege, both directions, over everything the integration tests made the functions
 * do (the local stack's AWS gateway records each decision, {@link IamCallLog}):
 * <ul>
 *   <li>every (function, action, resource) exercised was allowed by the function's role as
 *       template.yaml declares it;</li>
 *   <li>every action each role grants, on each resource entry of each statement, was used by
 *       some call; a grant nothing uses is a grant to remove.</li>
 * </ul>
 * The other integration tests run in several forks, each saving its decisions
 * ({@link IamCallRecording}); this test runs after all of them, in a failsafe execution of its
 * own (tests/pom.xml), and writes what it saw to {@code target/iam-usage.txt}. Running a subset
 * of the tests ({@code -Dit.test=...}) leaves it out.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IamLeastPrivilegeIT {

    /**
     * Grants no function code uses, with the reason. Lambda itself ships a function's logs with
     * its role ({@code AWSLambdaBasicExecutionRole}); the local stack prints them instead. With
     * {@code Tracing: Active} Lambda sends the invocation's trace segments with the role too
     * ({@code AWSXrayWriteOnlyAccess}, added by SAM); the code calls no X-Ray API and the local
     * stack traces nothing.
     */
    private static final Map<String, String> NOT_USED_BY_CODE = Map.of(
            "logs:", "Lambda's own log delivery (AWSLambdaBasicExecutionRole); the local stack prints logs",
            "xray:", "Lambda's own trace delivery (AWSXrayWriteOnlyAccess, Tracing: Active); not traced locally");

    @Test
    @Order(1)
    void everyCallTheTestsMade_shouldHaveBeenAllowed() throws IOException {
        List<IamCallLog.Entry> calls = IamCallRecording.allForks().stream().filter(e -> !e.probe()).toList();
        Set<String> lines = new TreeSet<>();
        for (IamCallLog.Entry call : calls) {
            lines.add(call.function() + "  " + call.action() + "  " + call.resource() + "  " + call.result());
        }
        Path report = Path.of("target", "iam-usage.txt");
        Files.createDirectories(report.getParent());
        Files.write(report, lines, StandardCharsets.UTF_8);

        assertThat(calls).as("the integration tests ran functions through the AWS gateway").isNotEmpty();
        assertThat(calls.stream().filter(c -> c.result() != Verdict.Result.ALLOWED)
                .map(c -> c.function() + " " + c.action() + " " + c.resource() + " " + c.result()).sorted().toList())
                .as("calls the functions made that their roles do not allow (see target/iam-usage.txt)")
                .isEmpty();
    }

    @Test
    @Order(2)
    void everyGrantOfEveryRole_shouldHaveBeenUsed() {
        Path root = ProjectRoot.find();
        IamPolicyEvaluator evaluator = IamPolicyEvaluator.shared(root);
        Set<String> used = new TreeSet<>();
        for (IamCallLog.Entry call : IamCallRecording.allForks()) {
            if (call.probe() || call.result() != Verdict.Result.ALLOWED) {
                continue;
            }
            for (Verdict.Grant grant : call.grants()) {
                for (String pattern : grant.actions()) {
                    for (int resource : grant.resources()) {
                        used.add(grantKey(call.function(), grant.policy(), grant.statement(), pattern,
                                call.action(), resource));
                    }
                }
            }
        }

        List<String> unused = new ArrayList<>();
        Map<String, RoleDeclaration> roles = ExecutionRoles.declaredIn(SamTemplate.loadFrom(root), root, "us-east-1");
        roles.forEach((function, role) -> {
            for (RolePolicy policy : role.policies()) {
                List<JsonNode> statements = SamTemplate.oneOrMany(policy.document().path("Statement"));
                for (int s = 0; s < statements.size(); s++) {
                    JsonNode statement = statements.get(s);
                    if ("Deny".equals(statement.path("Effect").asText())) {
                        continue; // a denial grants nothing; KeyItemsIT shows each one refusing
                    }
                    String statementId = statement.hasNonNull("Sid") ? statement.get("Sid").asText()
                            : Integer.toString(s + 1);
                    List<JsonNode> resources = SamTemplate.oneOrMany(statement.path("Resource"));
                    for (JsonNode pattern : SamTemplate.oneOrMany(statement.path("Action"))) {
                        for (String action : evaluator.expand(pattern.asText())) {
                            if (exempt(action)) {
                                continue;
                            }
                            for (int r = 0; r < resources.size(); r++) {
                                if (!used.contains(grantKey(function, policy.name(), statementId, pattern.asText(),
                                        action, r))) {
                                    unused.add(function + ": " + action + " on " + render(resources.get(r))
                                            + " (" + policy.name() + ", statement " + statementId + ")");
                                }
                            }
                        }
                    }
                }
            }
        });
        assertThat(unused).as("granted in template.yaml, never used by any integration test's calls: remove "
                + "the grant, or test the code that needs it").isEmpty();
    }

    private static boolean exempt(String action) {
        return NOT_USED_BY_CODE.keySet().stream().anyMatch(action::startsWith);
    }

    private static String grantKey(String function, String policy, String statement, String pattern, String action,
                                   int resource) {
        return String.join("|", function, policy, statement, pattern, action.toLowerCase(Locale.ROOT),
                Integer.toString(resource));
    }

    /** An unresolved resource entry, readably: {@code Ref X} as X, {@code Fn::GetAtt X.Arn}, a Sub's text. */
    private static String render(JsonNode value) {
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.has("Ref")) {
            return value.get("Ref").asText();
        }
        if (value.has("Fn::GetAtt")) {
            JsonNode target = value.get("Fn::GetAtt");
            return target.isArray() ? target.get(0).asText() + "." + target.get(1).asText() : target.asText();
        }
        if (value.has("Fn::Sub")) {
            JsonNode sub = value.get("Fn::Sub");
            if (sub.isTextual()) {
                return sub.asText();
            }
            String text = sub.get(0).asText();
            for (var it = sub.get(1).fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> variable = it.next();
                text = text.replace("${" + variable.getKey() + "}", render(variable.getValue()));
            }
            return text;
        }
        return value.toString();
    }
}
