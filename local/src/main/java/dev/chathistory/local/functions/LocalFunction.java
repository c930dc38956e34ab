package dev.chathistory.local.functions;

import dev.chathistory.local.template.SamTemplate.FunctionDefinition;
import dev.chathistory.shared.config.Environment;
import dev.chathistory.shared.lambda.LocalLambdaContext;
import java.util.Map;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;

/**
 * One function of the template, run in this JVM like Lambda runs it: each instance is a
 * "container" built by the handler's public no-argument constructor inside the function's own
 * environment variables, and serves one invocation at a time. Instances are kept warm and
 * reused; up to {@code maxInstances} serve concurrently, further invocations wait.
 */
public final class LocalFunction {

    private static final System.Logger LOG = System.getLogger(LocalFunction.class.getName());

    private final FunctionDefinition definition;
    private final Map<String, String> environment;
    private final LinkedBlockingDeque<HandlerAdapter> idle = new LinkedBlockingDeque<>();
    private final Semaphore capacity;
    private final ExecutionCredentials credentials;

    public LocalFunction(FunctionDefinition definition, Map<String, String> environment, int maxInstances) {
        this(definition, environment, maxInstances, ExecutionCredentials.NONE);
    }

    /** Each instance gets its own credentials from {@code credentials}, as each Lambda environment does. */
    public LocalFunction(FunctionDefinition definition, Map<String, String> environment, int maxInstances,
                         ExecutionCredentials credentials) {
        this.definition = definition;
        this.environment = Map.copyOf(environment);
        this.capacity = new Semaphore(maxInstances);
        this.credentials = credentials;
    }

    public String logicalId() {
        return definition.logicalId();
    }

    public FunctionDefinition definition() {
        return definition;
    }

    public Map<String, String> environment() {
        return environment;
    }

    /**
     * Builds the first instance now, so configuration errors show at startup.
     *
     * @return the cold-start time in milliseconds
     */
    public long warmUp() {
        long started = System.nanoTime();
        idle.add(newInstance());
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** Invokes the function synchronously with an event; returns the JSON it returned. */
    public String invoke(String eventJson) {
        capacity.acquireUninterruptibly();
        try {
            HandlerAdapter instance = idle.pollFirst();
            if (instance == null) {
                instance = newInstance();
            }
            long started = System.nanoTime();
            try {
                return instance.invoke(eventJson, new LocalLambdaContext(
                        "local-" + definition.logicalId(), definition.timeoutSeconds(), definition.memoryMb()));
            } catch (Throwable failure) {
                throw new FunctionFailedException(definition.logicalId(), failure);
            } finally {
                long millis = (System.nanoTime() - started) / 1_000_000;
                if (millis > definition.timeoutSeconds() * 1000L) {
                    LOG.log(System.Logger.Level.WARNING, "{0} ran {1} ms, past its Timeout of {2} s; "
                            + "Lambda would have stopped it", definition.logicalId(), millis,
                            definition.timeoutSeconds());
                }
                idle.addFirst(instance);
            }
        } finally {
            capacity.release();
        }
    }

    private HandlerAdapter newInstance() {
        Map<String, String> instanceEnvironment = new java.util.HashMap<>(environment);
        instanceEnvironment.putAll(credentials.issue().variables());
        return Environment.runWith(instanceEnvironment, () -> {
            try {
                return HandlerAdapter.create(definition.handler());
            } catch (ReflectiveOperationException | RuntimeException e) {
                Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
                throw new FunctionFailedException(definition.logicalId() + " could not start", cause);
            }
        });
    }
}
