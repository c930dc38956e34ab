package dev.chathistory.local.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves the intrinsic functions a local deployment needs: {@code Ref}, {@code Fn::GetAtt},
 * {@code Fn::Sub}, {@code Fn::Join}, {@code Fn::Select} and {@code Fn::Split}, against
 * parameter values, pseudo parameters and the resources already created. Anything else fails
 * with a message naming it, rather than passing a wrong value on.
 */
public final class Intrinsics {

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!][^}]*)}");

    private final Map<String, String> parameters;
    private final Map<String, String> pseudo;
    private final Map<String, String> refs = new HashMap<>();
    private final Map<String, String> attributes = new HashMap<>();

    public Intrinsics(Map<String, String> parameters, String region, String stackName) {
        this(parameters, region, stackName, "000000000000");
    }

    /** With the account the emulator plays, so ARNs built here match the ones it hands out. */
    public Intrinsics(Map<String, String> parameters, String region, String stackName, String accountId) {
        this.parameters = Map.copyOf(parameters);
        this.pseudo = Map.of(
                "AWS::Region", region,
                "AWS::AccountId", accountId,
                "AWS::StackName", stackName,
                "AWS::Partition", "aws",
                "AWS::URLSuffix", "amazonaws.com",
                "AWS::NoValue", "");
    }

    /** Records what {@code Ref logicalId} gives for a resource once it exists. */
    public void defineRef(String logicalId, String value) {
        refs.put(logicalId, value);
    }

    /** Records what {@code Fn::GetAtt logicalId.attribute} gives. */
    public void defineAttribute(String logicalId, String attribute, String value) {
        attributes.put(logicalId + "." + attribute, value);
    }

    public JsonNode resolve(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return value;
        }
        if (value.isObject() && value.size() == 1) {
            String key = value.fieldNames().next();
            JsonNode argument = value.get(key);
            switch (key) {
                case "Ref":
                    return TextNode.valueOf(ref(argument.asText()));
                case "Fn::GetAtt":
                    return TextNode.valueOf(attribute(argument.get(0).asText(), argument.get(1).asText()));
                case "Fn::Sub":
                    return TextNode.valueOf(sub(argument));
                case "Fn::Join":
                    return TextNode.valueOf(join(argument));
                case "Fn::Select":
                    return resolve(argument.get(1)).get(resolve(argument.get(0)).asInt());
                case "Fn::Split":
                    return split(argument);
                default:
                    if (key.startsWith("Fn::") || key.equals("Condition")) {
                        throw new UnsupportedTemplateException("the local stack does not evaluate " + key);
                    }
            }
        }
        if (value.isObject()) {
            ObjectNode resolved = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                resolved.set(entry.getKey(), resolve(entry.getValue()));
            }
            return resolved;
        }
        if (value.isArray()) {
            ArrayNode resolved = JsonNodeFactory.instance.arrayNode();
            value.forEach(item -> resolved.add(resolve(item)));
            return resolved;
        }
        return value;
    }

    /** The resolved value as text (numbers and booleans as CloudFormation passes them). */
    public String text(JsonNode value) {
        JsonNode resolved = resolve(value);
        return resolved == null || resolved.isMissingNode() || resolved.isNull() ? null : resolved.asText();
    }

    /** What {@code AWS::AccountId} gives. */
    public String accountId() {
        return pseudo.get("AWS::AccountId");
    }

    public String ref(String name) {
        String value = parameters.containsKey(name) ? parameters.get(name)
                : pseudo.containsKey(name) ? pseudo.get(name)
                : refs.get(name);
        if (value == null) {
            throw new UnsupportedTemplateException("Ref " + name + " names nothing the local stack has created");
        }
        return value;
    }

    public String attribute(String logicalId, String attribute) {
        String value = attributes.get(logicalId + "." + attribute);
        if (value == null) {
            throw new UnsupportedTemplateException("Fn::GetAtt " + logicalId + "." + attribute
                    + " is not known to the local stack");
        }
        return value;
    }

    private String sub(JsonNode argument) {
        String template;
        Map<String, String> locals = new HashMap<>();
        if (argument.isArray()) {
            template = argument.get(0).asText();
            for (Iterator<Map.Entry<String, JsonNode>> it = argument.get(1).fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                locals.put(entry.getKey(), text(entry.getValue()));
            }
        } else {
            template = argument.asText();
        }
        Matcher matcher = SUB_VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String replacement;
            if (locals.containsKey(name)) {
                replacement = locals.get(name);
            } else if (name.contains(".") && !name.startsWith("AWS::")) {
                int dot = name.indexOf('.');
                replacement = attribute(name.substring(0, dot), name.substring(dot + 1));
            } else {
                replacement = ref(name);
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString().replace("${!", "${");
    }

    private String join(JsonNode argument) {
        List<String> parts = new ArrayList<>();
        resolve(argument.get(1)).forEach(part -> parts.add(part.asText()));
        return String.join(argument.get(0).asText(), parts);
    }

    private JsonNode split(JsonNode argument) {
        ArrayNode parts = JsonNodeFactory.instance.arrayNode();
        for (String part : text(argument.get(1)).split(Pattern.quote(argument.get(0).asText()), -1)) {
            parts.add(part);
        }
        return parts;
    }
}
