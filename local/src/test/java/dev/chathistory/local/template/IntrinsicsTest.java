package dev.chathistory.local.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntrinsicsTest {

    private final Intrinsics intrinsics = new Intrinsics(Map.of("Stage", "dev"), "eu-west-1", "local");

    @TempDir
    Path dir;

    private JsonNode yaml(String text) throws IOException {
        Path file = dir.resolve("t.yaml");
        Files.writeString(file, text);
        return CfnYaml.read(file);
    }

    @Test
    void shortFormTags_shouldBecomeTheirLongForm() throws IOException {
        JsonNode node = yaml("a: !Ref Stage\nb: !GetAtt Queue.Arn\nc: !Sub '${AWS::Region}-x'\n");

        assertThat(node.path("a").path("Ref").asText()).isEqualTo("Stage");
        assertThat(node.path("b").path("Fn::GetAtt").toString()).isEqualTo("[\"Queue\",\"Arn\"]");
        assertThat(node.path("c").path("Fn::Sub").asText()).isEqualTo("${AWS::Region}-x");
    }

    @Test
    void resolve_shouldEvaluateRefsAttributesAndSubstitutions() throws IOException {
        intrinsics.defineRef("Table", "local-Table");
        intrinsics.defineAttribute("Queue", "Arn", "arn:aws:sqs:eu-west-1:000000000000:q");
        JsonNode node = yaml("""
                table: !Ref Table
                stage: !Ref Stage
                arn: !GetAtt Queue.Arn
                name: !Sub '${AWS::StackName}-${Stage}-${Queue.Arn}'
                vars: !Sub ['${A}/${B}', {A: !Ref Stage, B: two}]
                joined: !Join ['-', [a, !Ref Stage]]
                literal: !Sub 'keep ${!this}'
                """);

        JsonNode resolved = intrinsics.resolve(node);

        assertThat(resolved.path("table").asText()).isEqualTo("local-Table");
        assertThat(resolved.path("stage").asText()).isEqualTo("dev");
        assertThat(resolved.path("arn").asText()).isEqualTo("arn:aws:sqs:eu-west-1:000000000000:q");
        assertThat(resolved.path("name").asText()).isEqualTo("local-dev-arn:aws:sqs:eu-west-1:000000000000:q");
        assertThat(resolved.path("vars").asText()).isEqualTo("dev/two");
        assertThat(resolved.path("joined").asText()).isEqualTo("a-dev");
        assertThat(resolved.path("literal").asText()).isEqualTo("keep ${this}");
    }

    @Test
    void resolve_shouldRefuseWhatItCannotEvaluate() throws IOException {
        JsonNode unknownRef = new ObjectMapper().readTree("{\"Ref\":\"Nothing\"}");
        JsonNode condition = yaml("x: !If [IsProd, a, b]\n");

        assertThatThrownBy(() -> intrinsics.resolve(unknownRef)).isInstanceOf(UnsupportedTemplateException.class)
                .hasMessageContaining("Nothing");
        assertThatThrownBy(() -> intrinsics.resolve(condition)).isInstanceOf(UnsupportedTemplateException.class)
                .hasMessageContaining("Fn::If");
    }
}
