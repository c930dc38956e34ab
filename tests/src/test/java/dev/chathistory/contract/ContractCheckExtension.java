package dev.chathistory.contract;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test when an exchange it caused broke the API contract. Registered for every test of
 * this module through JUnit's extension auto-detection (junit-platform.properties), so no test
 * can forget it. Violations from class-level setup fail the class.
 */
public final class ContractCheckExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        // Whatever an earlier class left unreported (its @AfterAll already failed it) is not ours.
        ContractViolations.drain();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        failOnViolations(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        failOnViolations(context);
    }

    private static void failOnViolations(ExtensionContext context) {
        List<String> violations = ContractViolations.drain();
        boolean exempt = context.getTestClass().map(c -> c.isAnnotationPresent(ContractExempt.class)).orElse(false);
        if (!violations.isEmpty() && !exempt) {
            throw new AssertionError("exchanges that break openapi.yaml:\n  " + String.join("\n  ", violations));
        }
    }
}
