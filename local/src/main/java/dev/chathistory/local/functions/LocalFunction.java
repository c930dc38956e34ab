package dev.chathistory.local.functions;

import dev.chathistory.local.template.SamTemplate.FunctionDefinition;
import dev.chathistory.shared.config.Environment;
import dev.chathistory.shared.lambda.LocalLambdaContext;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One function of the template, run in this JVM like Lambda runs it: each instance is an
 * execution environment built by the handler's public no-argument constructor inside the
 * function's own environment variables (with its own role credentials), and serves one
 * invocation at a time. Instances are kept warm and reused.
 *
 * <p>Lambda's limits hold: an invocation past the function's {@code Timeout} is abandoned and
 * fails with {@code Sandbox.Timedout}, and its environment is gone for good (its credentials
 * are revoked, so threads it started cannot write anything after the deadline); a synchronous
 * event or a response over 6 MB, or an asynchronous event over 1 MB, is refused; with
 * {@code ReservedConcurrentExecutions} set, an invocation beyond it is throttled at once.
 * Without it, up to {@code maxInstances} run at a time and the rest wait (a local limit).
 */
public final class LocalFunction {

    /** How Lambda is asked to run the function, which decides the payload limit. */
    public enum InvocationType {
        /** API Gateway, SQS event source mappings, direct invokes: 6 MB each way. */
        REQUEST_RESPONSE(6 * 1024 * 1024),
        /** S3 notifications, schedules: 1 MB of event. */
        EVENT(1024 * 1024);

        private final int maxEventBytes;

        InvocationType(int maxEventBytes) {
            this.maxEventBytes = maxEventBytes;
        }
    }

    /** Lambda's limit on what a function returns. */
    static final int MAX_RESPONSE_BYTES = 6 * 1024 * 1024;

    /** Told of every invocation that ran (not of one refused before it started), for the local dashboard. */
    @FunctionalInterface
    public interface InvocationListener {
        InvocationListener NONE = (function, millis, failed) -> { };

        void invoked(String function, long millis, boolean failed);
    }

    private final FunctionDefinition definition;
    private final Map<String, String> environment;
    private final LinkedBlockingDeque<Instance> idle = new LinkedBlockingDeque<>();
    private final Semaphore capacity;
    private final OptionalInt reservedConcurrency;
    private final ExecutionCredentials credentials;
    private final ExecutorService invocations;
    private final AtomicInteger threads = new AtomicInteger();
    private volatile InvocationListener listener = InvocationListener.NONE;

    /** An execution environment: the handler and the credentials it was built with. */
    private record Instance(HandlerAdapter handler, ExecutionCredentials.Issued credentials) {
    }

    public LocalFunction(FunctionDefinition definition, Map<String, String> environment, int maxInstances) {
        this(definition, environment, maxInstances, ExecutionCredentials.NONE, OptionalInt.empty());
    }

    /**
     * Each instance gets its own credentials from {@code credentials}, as each Lambda
     * environment does; {@code reservedConcurrency} is the template's
     * {@code ReservedConcurrentExecutions}, resolved.
     */
    public LocalFunction(FunctionDefinition definition, Map<String, String> environment, int maxInstances,
                         ExecutionCredentials credentials, OptionalInt reservedConcurrency) {
        this.definition = definition;
        this.environment = Map.copyOf(environment);
        this.reservedConcurrency = reservedConcurrency;
        this.capacity = new Semaphore(reservedConcurrency.orElse(maxInstances));
        this.credentials = credentials;
        this.invocations = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, definition.logicalId() + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    public String logicalId() {
        return definition.logicalId();
    }

    /** The template's {@code ReservedConcurrentExecutions}, resolved; empty when it sets none. */
    public OptionalInt reservedConcurrency() {
        return reservedConcurrency;
    }

    /** Tells {@code listener} of every invocation from now on. */
    public void onInvocation(InvocationListener listener) {
        this.listener = listener;
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
        return invoke(eventJson, InvocationType.REQUEST_RESPONSE);
    }

    /**
     * Invokes the function with an event the way {@code type} does, and returns the JSON it
     * returned.
     *
     * @throws FunctionFailedException when it failed, timed out, was throttled or its payload
     *     broke a limit; {@link FunctionFailedException#errorType()} says which, as Lambda does
     */
    public String invoke(String eventJson, InvocationType type) {
        int eventBytes = eventJson.getBytes(StandardCharsets.UTF_8).length;
        if (eventBytes > type.maxEventBytes) {
            throw FunctionFailedException.of(definition.logicalId(), "RequestEntityTooLargeException",
                    "Request must be smaller than " + type.maxEventBytes + " bytes for the " + type
                            + " invocation type");
        }
        if (reservedConcurrency.isPresent()) {
            if (!capacity.tryAcquire()) {
                throw FunctionFailedException.of(definition.logicalId(), "TooManyRequestsException",
                        "Rate Exceeded. (reserved concurrency " + reservedConcurrency.getAsInt() + ")");
            }
        } else {
            capacity.acquireUninterruptibly();
        }
        long started = System.nanoTime();
        boolean failed = true;
        try {
            Instance instance = idle.pollFirst();
            if (instance == null) {
                instance = newInstance();
            }
            String result = run(instance, eventJson);
            if (result.getBytes(StandardCharsets.UTF_8).length > MAX_RESPONSE_BYTES) {
                throw FunctionFailedException.of(definition.logicalId(), "Function.ResponseSizeTooLarge",
                        "Response payload size exceeded maximum allowed payload size (" + MAX_RESPONSE_BYTES
                                + " bytes).");
            }
            failed = false;
            return result;
        } finally {
            capacity.release();
            listener.invoked(definition.logicalId(), (System.nanoTime() - started) / 1_000_000, failed);
        }
    }

    /** One invocation on its own thread, abandoned at the deadline together with its environment. */
    private String run(Instance instance, String eventJson) {
        LocalLambdaContext context = new LocalLambdaContext("local-" + definition.logicalId(),
                definition.timeoutSeconds(), definition.memoryMb());
        Future<String> invocation = invocations.submit(() -> {
            try {
                return instance.handler().invoke(eventJson, context);
            } catch (Exception | Error e) {
                throw e;
            } catch (Throwable other) {
                throw new IllegalStateException(other);
            }
        });
        try {
            String result = invocation.get(definition.timeoutSeconds(), TimeUnit.SECONDS);
            idle.addFirst(instance);
            return result;
        } catch (TimeoutException e) {
            // Lambda stops the environment: nothing it started may go on. Its credentials end,
            // so any call its threads still make is refused, and it is never used again.
            instance.credentials().revoke().run();
            invocation.cancel(true);
            throw FunctionFailedException.of(definition.logicalId(), "Sandbox.Timedout",
                    "Task timed out after " + definition.timeoutSeconds() + ".00 seconds");
        } catch (ExecutionException e) {
            idle.addFirst(instance);
            throw new FunctionFailedException(definition.logicalId(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            invocation.cancel(true);
            throw FunctionFailedException.of(definition.logicalId(), "Interrupted", "the local stack is stopping");
        }
    }

    private Instance newInstance() {
        ExecutionCredentials.Issued issued = credentials.issue();
        Map<String, String> instanceEnvironment = new HashMap<>(environment);
        instanceEnvironment.putAll(issued.variables());
        HandlerAdapter handler = Environment.runWith(instanceEnvironment, () -> {
            try {
                return HandlerAdapter.create(definition.handler());
            } catch (ReflectiveOperationException | RuntimeException e) {
                Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
                throw new FunctionFailedException(definition.logicalId() + " could not start", cause);
            }
        });
        return new Instance(handler, issued);
    }
}
