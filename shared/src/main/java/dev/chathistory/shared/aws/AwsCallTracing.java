package dev.chathistory.shared.aws;

import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.AWSXRayRecorderBuilder;
import com.amazonaws.xray.interceptors.TracingInterceptor;
import java.net.URL;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Each AWS call a function's clients make as its own X-Ray subsegment of the invocation's trace:
 * service, operation, table, queue or bucket, attempts, throttling and the error if one ended it.
 * It is the X-Ray SDK's interceptor for SDK v2 clients, given to every client through
 * {@link ClientSettings#withInterceptors}.
 *
 * <p>On only where Lambda runs the function ({@code LAMBDA_TASK_ROOT} and
 * {@code AWS_XRAY_DAEMON_ADDRESS} set): there the recorder takes each invocation's trace from
 * the header Lambda hands the runtime, on whichever thread a call runs (batch workers and
 * housekeeping steps included), and sends subsegments only of sampled invocations to the daemon
 * over UDP. Elsewhere (the local stack, tests) the list is empty and no X-Ray class is loaded, so
 * a module without the optional X-Ray dependency never needs it.
 *
 * <p>The subsegments record only names (tables, queues, buckets) and counts, never keys or
 * items: {@code xray-parameters.json} replaces the SDK's default list, which would record S3
 * object keys (they hold tenant and user ids).
 */
public final class AwsCallTracing {

    static final String TASK_ROOT = "LAMBDA_TASK_ROOT";
    static final String DAEMON_ADDRESS = "AWS_XRAY_DAEMON_ADDRESS";

    private AwsCallTracing() {
    }

    /** The interceptors for a function's clients: the tracing one on Lambda, none elsewhere. */
    public static List<ExecutionInterceptor> interceptors(Map<String, String> env) {
        if (isBlank(env.get(TASK_ROOT)) || isBlank(env.get(DAEMON_ADDRESS))) {
            return List.of();
        }
        return List.of(Recorder.INTERCEPTOR);
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    /** Built on first use, once per container: one recorder and emitter for every client. */
    private static final class Recorder {
        static final ExecutionInterceptor INTERCEPTOR = create();

        private static ExecutionInterceptor create() {
            // The recorder reads the daemon address and the context-missing strategy from the
            // environment Lambda sets, and resolves the Lambda segment context by itself.
            AWSXRayRecorder recorder = AWSXRayRecorderBuilder.standard().build();
            URL parameters = AwsCallTracing.class.getResource("xray-parameters.json");
            if (parameters == null) {
                throw new IllegalStateException("xray-parameters.json is missing beside AwsCallTracing");
            }
            return new TracingInterceptor(recorder, null, parameters);
        }
    }
}
