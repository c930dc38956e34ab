package dev.chathistory.shared.aws;

import dev.chathistory.shared.error.StorageUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;

/**
 * Turns the failures that mean "the store is not answering now" into one
 * {@link StorageUnavailableException}, on every client {@link AwsClientFactory} builds: throttling,
 * a server-side error, a timeout, a connection that failed. Such a failure has already been
 * retried by the SDK's retry strategy, so callers do not retry it at once.
 *
 * <p>Everything else passes unchanged, so repositories keep catching the specific answers they
 * act on (a failed condition, a cancelled transaction, a missing object), and a programming or
 * configuration error (a validation error, missing credentials) still surfaces as itself.
 *
 * <p>Why a proxy around the client and not an {@code ExecutionInterceptor}: the SDK accepts
 * from {@code modifyException} only an instance of the original exception's class, so an
 * interceptor cannot hand back a domain exception. The proxy sees every call a repository makes,
 * since the clients are interfaces; paginators are not used through it, because their pages
 * are fetched by the real client, outside the proxy.
 */
public final class StorageFailures {

    private StorageFailures() {
    }

    /** {@code client}, answering the same calls, with unavailability translated. */
    public static <T extends AutoCloseable> T translating(Class<T> clientType, String service, T client) {
        InvocationHandler handler = (proxy, method, arguments) -> switch (method.getName()) {
            // Object's methods answer for the proxy itself, so a client equals only itself.
            case "equals" -> method.getParameterCount() == 1 && proxy == arguments[0];
            case "hashCode" -> method.getParameterCount() == 0 ? System.identityHashCode(proxy)
                    : invoke(service, client, method, arguments);
            default -> invoke(service, client, method, arguments);
        };
        return clientType.cast(Proxy.newProxyInstance(clientType.getClassLoader(), new Class<?>[] {clientType},
                handler));
    }

    private static Object invoke(String service, Object client, Method method, Object[] arguments)
            throws Throwable {
        try {
            return method.invoke(client, arguments);
        } catch (InvocationTargetException e) {
            Throwable failure = e.getCause();
            throw meansUnavailable(failure) ? new StorageUnavailableException(service, nameOf(failure), failure)
                    : failure;
        }
    }

    static boolean meansUnavailable(Throwable failure) {
        if (failure instanceof AwsServiceException aws) {
            return aws.isThrottlingException() || aws.statusCode() >= 500;
        }
        if (failure instanceof ApiCallTimeoutException || failure instanceof ApiCallAttemptTimeoutException) {
            return true;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            // Connection refused or reset, a read timing out: the SDK wraps them in an SdkClientException.
            if (cause instanceof IOException || cause instanceof UncheckedIOException) {
                return true;
            }
        }
        return false;
    }

    /** The service's error code, else the exception's class: a name, never request or response data. */
    private static String nameOf(Throwable failure) {
        if (failure instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                && aws.awsErrorDetails().errorCode() != null) {
            return aws.awsErrorDetails().errorCode();
        }
        return failure.getClass().getSimpleName();
    }
}
