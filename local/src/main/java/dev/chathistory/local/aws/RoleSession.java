package dev.chathistory.local.aws;

import dev.chathistory.local.iam.ExecutionRole;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Temporary credentials for one execution role, as Lambda gives each execution environment of
 * a function: the gateway acts on a call with the role whose session signed it, and refuses a
 * session it has ended (the environment of a timed-out invocation, which Lambda would have
 * stopped). {@code lambdaService} marks what Lambda itself does with the role (an SQS poller,
 * an on-failure destination): checked like the function's calls, never faulted.
 */
public record RoleSession(ExecutionRole role, String accessKeyId, String secretAccessKey, String sessionToken,
                          boolean lambdaService) {

    /** What Lambda puts in a function's environment for its role. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_ACCESS_KEY_ID", accessKeyId);
        env.put("AWS_SECRET_ACCESS_KEY", secretAccessKey);
        env.put("AWS_SESSION_TOKEN", sessionToken);
        return env;
    }

    public StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsSessionCredentials.create(accessKeyId, secretAccessKey,
                sessionToken));
    }
}
