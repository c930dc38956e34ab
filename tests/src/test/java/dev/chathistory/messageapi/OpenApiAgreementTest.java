package dev.chathistory.messageapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.chathistory.contract.ApiContract;
import dev.chathistory.contract.LambdaExchanges;
import dev.chathistory.local.ProjectRoot;
import dev.chathistory.local.sources.ExchangeObserver.Exchange;
import dev.chathistory.messageapi.testing.ApiEvent;
import dev.chathistory.messageapi.testing.TestBackends;
import dev.chathistory.shared.config.JobsConfig;
import dev.chathistory.messageapi.http.ErrorCode;
import dev.chathistory.shared.lambda.LocalLambdaContext;
import dev.chathistory.shared.testing.RecordingMetrics;
import dev.chathistory.shared.testing.TestConfigs;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * openapi.yaml and the handler agree: the same routes both ways, the same error codes, and the
 * contract check really catches a response that drifts from the spec.
 */
class OpenApiAgreementTest {

    private static final ApiContract CONTRACT = ApiContract.load();

    private final MessageApi api = MessageApi.create(TestConfigs.inMemory(), JobsConfig.of(null, null),
            TestBackends.create().backends(), new RecordingMetrics(), Clock.systemUTC());
    private final MessageApiHandler handler = new MessageApiHandler(api, () -> { });

    @Test
    void spec_shouldDeclareExactlyTheRoutesTheHandlerServes() {
        List<String> documented = ApiContract.operations();

        assertThat(documented).as("routes in openapi.yaml that the handler does not serve")
                .isSubsetOf(api.routes());
        assertThat(api.routes()).as("routes the handler serves that openapi.yaml lacks")
                .isSubsetOf(documented);
        assertThat(documented).doesNotHaveDuplicates();
    }

    @Test
    void spec_shouldParseWithoutAnyWarning() throws Exception {
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(
                Files.readString(ProjectRoot.find().resolve("openapi.yaml")), null, new ParseOptions());

        assertThat(parsed.getMessages()).isEmpty();
        assertThat(parsed.getOpenAPI().getOpenapi()).isEqualTo("3.0.3");
    }

    @Test
    void spec_shouldListEveryErrorCodeAndNoOther() throws Exception {
        JsonNode spec = new ObjectMapper(new YAMLFactory()).readTree(ProjectRoot.find().resolve("openapi.yaml").toFile());
        List<String> documented = new ArrayList<>();
        spec.at("/components/schemas/Error/properties/error/properties/code/enum")
                .forEach(code -> documented.add(code.asText()));

        assertThat(documented).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(ErrorCode.values()).map(ErrorCode::wireCode).toList());
    }

    @Test
    void contract_shouldAcceptWhatTheHandlerAnswers() {
        Exchange appended = exchange(ApiEvent.fromFile("append-message.json"));

        assertThat(appended.status()).isEqualTo(201);
        assertThat(CONTRACT.violations(appended)).isEmpty();
    }

    @Test
    void contract_shouldRejectAResponseMissingARequiredField() throws Exception {
        Exchange appended = exchange(ApiEvent.fromFile("append-message.json"));
        ObjectNode body = (ObjectNode) new ObjectMapper().readTree(appended.responseBody());
        body.remove("version");

        assertThat(CONTRACT.violations(withResponse(appended, appended.status(), appended.responseHeaders(), body)))
                .anySatisfy(problem -> assertThat(problem).contains("version"));
    }

    @Test
    void contract_shouldRejectAStatusTheSpecDoesNotDocument() {
        Exchange appended = exchange(ApiEvent.fromFile("append-message.json"));

        assertThat(CONTRACT.violations(withResponse(appended, 418, appended.responseHeaders(), null)))
                .anySatisfy(problem -> assertThat(problem).contains("418"));
    }

    @Test
    void contract_shouldRejectAMissingETag() {
        Exchange appended = exchange(ApiEvent.fromFile("append-message.json"));
        Map<String, String> headers = new HashMap<>(appended.responseHeaders());
        headers.remove("etag");

        assertThat(CONTRACT.violations(withResponse(appended, 201, headers, null)))
                .anySatisfy(problem -> assertThat(problem).containsIgnoringCase("etag"));
    }

    @Test
    void contract_shouldRejectAnAcceptedRequestTheSpecForbids() {
        Exchange appended = exchange(ApiEvent.fromFile("append-message.json"));
        Exchange oddLimit = new Exchange("GET", "/v1/chats/c1/messages", "limit=500", appended.requestHeaders(),
                new byte[0], 200, appended.responseHeaders(),
                "{\"items\":[],\"nextCursor\":null}".getBytes(StandardCharsets.UTF_8));

        assertThat(CONTRACT.violations(oddLimit)).anySatisfy(problem -> assertThat(problem).startsWith("request"));
    }

    @Test
    void contract_shouldRejectAShapeRefusalOfARequestTheSpecAllows() {
        Exchange appended = exchange(ApiEvent.fromFile("append-message.json"));
        ObjectNode refusal = new ObjectMapper().createObjectNode();
        refusal.putObject("error").put("code", "validation_failed").put("message", "too strict")
                .put("requestId", "r1");

        assertThat(CONTRACT.violations(withResponse(appended, 400, Map.of("content-type", "application/json"),
                refusal))).singleElement().asString().contains("refused it as validation_failed");
    }

    @Test
    void contract_shouldRejectARouteTheSpecLacks() {
        Exchange unknown = exchange(ApiEvent.fromFile("get-message.json").request("GET", "/v1/chats/c1/summary"));
        Exchange served = withResponse(unknown, 200, Map.of("content-type", "application/json"),
                new ObjectMapper().createObjectNode());

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(CONTRACT.violations(unknown)).as("a refused unknown route keeps the contract").isEmpty();
        assertThat(CONTRACT.violations(served)).singleElement().asString().contains("no operation");
    }

    @Test
    void contract_shouldAcceptTheHandlersErrors() {
        Exchange badJson = exchange(ApiEvent.fromFile("append-message.json").body("{not json"));
        Exchange noIfMatch = exchange(ApiEvent.fromFile("edit-message.json").withoutHeader("If-Match"));
        Exchange noKey = exchange(ApiEvent.fromFile("get-message.json").withoutAuthorizer());

        assertThat(List.of(badJson.status(), noIfMatch.status(), noKey.status())).containsExactly(400, 428, 401);
        assertThat(CONTRACT.violations(badJson)).isEmpty();
        assertThat(CONTRACT.violations(noIfMatch)).isEmpty();
        assertThat(CONTRACT.violations(noKey)).isEmpty();
    }

    private Exchange exchange(ApiEvent event) {
        APIGatewayV2HTTPEvent request = event.toEvent();
        APIGatewayV2HTTPResponse response = handler.handleRequest(request, new LocalLambdaContext());
        return LambdaExchanges.of(request, response);
    }

    private static Exchange withResponse(Exchange exchange, int status, Map<String, String> headers, JsonNode body) {
        byte[] bytes = body == null ? exchange.responseBody() : body.toString().getBytes(StandardCharsets.UTF_8);
        return new Exchange(exchange.method(), exchange.rawPath(), exchange.rawQuery(), exchange.requestHeaders(),
                exchange.requestBody(), status, headers, bytes);
    }
}
