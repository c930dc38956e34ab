package dev.chathistory.local.aws;

import dev.chathistory.local.iam.AccessCheck;
import dev.chathistory.local.iam.ExecutionRole;
import dev.chathistory.local.iam.Verdict;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every distinct decision the AWS gateways of this JVM made: which function, which action on
 * which resource, the verdict, and the statements that granted it. The least-privilege test
 * reads it after the integration tests ran (both directions: everything used was allowed, and
 * everything allowed was used).
 *
 * <p>Resources are kept stack-independent: the stack's name becomes {@code {stack}}, the
 * account {@code {account}}, and an object key its first segment ({@code uploads/*}).
 */
public final class IamCallLog {

    /** Stacks named so exist to show a denial (a statement removed on purpose). */
    public static final String PROBE_STACK_PREFIX = "iamprobe-";

    /** One decision; {@code probe} when the stack's template was changed on purpose. */
    public record Entry(boolean probe, String function, String action, String resource, Verdict.Result result,
                        List<Verdict.Grant> grants) {
        public Entry {
            grants = List.copyOf(grants);
        }
    }

    private static final Set<Entry> RECORDED = ConcurrentHashMap.newKeySet();

    private IamCallLog() {
    }

    /** What was recorded so far. */
    public static List<Entry> entries() {
        return List.copyOf(RECORDED);
    }

    static void record(ExecutionRole role, AccessCheck check, Verdict verdict) {
        RECORDED.add(new Entry(role.stackName().startsWith(PROBE_STACK_PREFIX), role.functionLogicalId(),
                check.action(), label(role, check.resource()), verdict.result(), verdict.grants()));
    }

    /** The stack-independent form of a resource ARN. */
    static String label(ExecutionRole role, String arn) {
        String label = arn.replace(role.stackName(), "{stack}").replace(role.accountId(), "{account}");
        if (label.startsWith("arn:aws:s3:::")) {
            String path = label.substring("arn:aws:s3:::".length());
            int slash = path.indexOf('/');
            if (slash >= 0) {
                int next = path.indexOf('/', slash + 1);
                label = "arn:aws:s3:::" + (next < 0 ? path : path.substring(0, next) + "/*");
            }
        }
        return label;
    }
}
