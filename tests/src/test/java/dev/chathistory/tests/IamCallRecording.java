package dev.chathistory.tests;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.chathistory.local.aws.IamCallLog;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * After every test class, saves the IAM decisions this fork's gateways made so far
 * ({@link IamCallLog}), so {@link IamLeastPrivilegeIT}, which runs after all forks in a JVM of
 * its own, judges the calls of every fork. Registered for every test class through JUnit's
 * extension auto-detection (junit-platform.properties).
 */
public final class IamCallRecording implements AfterAllCallback {

    private static final String KIND = "iam-calls";

    @Override
    public void afterAll(ExtensionContext context) {
        ForkRecords.save(KIND, IamCallLog.entries());
    }

    /** The decisions of every fork of this run. */
    static List<IamCallLog.Entry> allForks() {
        return ForkRecords.readAll(KIND, new TypeReference<List<IamCallLog.Entry>>() { }).stream()
                .flatMap(List::stream).distinct().toList();
    }
}
