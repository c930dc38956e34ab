package dev.chathistory.local.aws;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Requests as SDK clients send them, for the checks' tests. */
final class Calls {

    private Calls() {
    }

    static AwsCall json(String target, String body) {
        return new AwsCall("POST", "/", "", Map.of("x-amz-target", List.of(target),
                "content-type", List.of("application/x-amz-json-1.0")), body.getBytes(StandardCharsets.UTF_8));
    }

    static AwsCall rest(String method, String rawPath, String rawQuery, Map<String, String> headers, String body) {
        Map<String, List<String>> lists = new LinkedHashMap<>();
        headers.forEach((name, value) -> lists.put(name, List.of(value)));
        return new AwsCall(method, rawPath, rawQuery, lists, body.getBytes(StandardCharsets.UTF_8));
    }
}
