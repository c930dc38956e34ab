package dev.chathistory.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.authorizer.ApiKeyAuthorizer;
import dev.chathistory.local.ProjectRoot;
import dev.chathistory.local.template.SamTemplate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every route goes through the API key authorizer, configured the way the API relies on, and
 * the authorizer can read key lookups and nothing else; no function is given a tenant by its
 * environment.
 */
class AuthTemplateAgreementTest {

    private final SamTemplate template = SamTemplate.loadFrom(ProjectRoot.find());

    @Test
    void theHttpApi_shouldAuthorizeEveryRoute_withTheKeyAuthorizer() {
        JsonNode auth = template.resource("HttpApi").path("Properties").path("Auth");
        JsonNode authorizer = auth.path("Authorizers").path(auth.path("DefaultAuthorizer").asText());

        // The alias: only a published version starts from the SnapStart snapshot.
        assertThat(authorizer.path("FunctionArn").path("Ref").asText()).isEqualTo("AuthorizerFunction.Alias");
        assertThat(authorizer.path("AuthorizerPayloadFormatVersion").asText()).isEqualTo("2.0");
        assertThat(authorizer.path("EnableSimpleResponses").asBoolean()).isTrue();
        assertThat(authorizer.path("Identity").path("Headers").get(0).asText()).isEqualTo("Authorization");
        assertThat(authorizer.path("Identity").path("ReauthorizeEvery").path("Ref").asText())
                .isEqualTo("AuthorizerCacheTtlSeconds");
        assertThat(Integer.parseInt(template.parameterDefault("AuthorizerCacheTtlSeconds"))).isBetween(1, 300);
        template.resource("MessageApiFunction").path("Properties").path("Events").forEach(event ->
                assertThat(event.path("Properties").path("Auth").isMissingNode())
                        .as("no route opts out of the default authorizer").isTrue());
        assertThat(template.resource("HttpApi").path("Properties").has("CorsConfiguration"))
                .as("CORS off").isFalse();
    }

    @Test
    void theAuthorizer_shouldOnlyReadKeyLookupItems() {
        JsonNode function = template.resource("AuthorizerFunction").path("Properties");
        List<String> actions = new ArrayList<>();
        function.path("Policies").forEach(policy -> policy.path("Statement").forEach(statement -> {
            actions.add(statement.path("Action").asText());
            assertThat(statement.path("Condition").toString()).contains("dynamodb:LeadingKeys").contains("K#*");
        }));

        assertThat(function.path("Handler").asText()).startsWith(ApiKeyAuthorizer.class.getName() + "::");
        assertThat(actions).containsExactly("dynamodb:GetItem");
    }

    @Test
    void noFunction_shouldBeToldATenantByItsEnvironment() {
        // Limits per tenant (TENANT_REQUESTS_PER_WINDOW) are fine; a variable naming one tenant is not.
        List<String> variables = new ArrayList<>();
        template.resource("MessageApiFunction").path("Properties").path("Environment").path("Variables")
                .fieldNames().forEachRemaining(variables::add);
        assertThat(variables).isNotEmpty()
                .noneMatch(name -> name.matches("(.*_)?TENANT(_ID|_NAME)?") || name.startsWith("DEFAULT_TENANT"));
        assertThat(template.parameterDefaults()).doesNotContainKey("DefaultTenantId");
    }
}
