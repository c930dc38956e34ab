package dev.chathistory.messageapi;

import dev.chathistory.contract.LambdaExchanges;
import dev.chathistory.messageapi.testing.ApiEvent;
import dev.chathistory.messageapi.testing.ApiResult;
import dev.chathistory.shared.aws.AwsClientFactory;
import dev.chathistory.shared.config.ServiceConfig;
import dev.chathistory.shared.metrics.ServiceMetrics;
import dev.chathistory.tests.TestStack;
import java.time.Clock;
import java.util.List;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The real handler wired as in production (DynamoDB repositories, SDK client with our
 * timeouts and retries), acting as the message API function of a {@link TestStack}: its
 * environment, its role, every call through the local IAM check. Each instance stands for one
 * Lambda container, with its own client and caches.
 */
final class ItHandlers {

    static final String FUNCTION = "MessageApiFunction";

    private ItHandlers() {
    }

    static Container container(TestStack stack, ServiceMetrics metrics) {
        return container(stack.configOf(FUNCTION), metrics);
    }

    static Container container(ServiceConfig config, ServiceMetrics metrics) {
        return container(config, metrics, List.of());
    }

    /** A container whose DynamoDB client also runs {@code interceptors} (a meter, a fault). */
    static Container container(TestStack stack, ServiceMetrics metrics, List<ExecutionInterceptor> interceptors) {
        return container(stack.configOf(FUNCTION), metrics, interceptors);
    }

    private static Container container(ServiceConfig config, ServiceMetrics metrics,
                                       List<ExecutionInterceptor> interceptors) {
        DynamoDbClient dynamoDb = AwsClientFactory.dynamoDb(config, interceptors);
        MessageApiHandler handler = new MessageApiHandler(
                MessageApi.create(config, dynamoDb, metrics, Clock.systemUTC()), () -> { });
        return new Container(handler, dynamoDb);
    }

    /** One simulated Lambda container; its client is the function's, not for a test to look with. */
    record Container(MessageApiHandler handler, DynamoDbClient dynamoDb) implements AutoCloseable {

        /** Invokes the handler; the exchange is checked against openapi.yaml like any over HTTP. */
        ApiResult invoke(ApiEvent event) {
            return ApiResult.of(LambdaExchanges.invokeChecked(handler, event.toEvent()));
        }

        @Override
        public void close() {
            dynamoDb.close();
        }
    }
}
