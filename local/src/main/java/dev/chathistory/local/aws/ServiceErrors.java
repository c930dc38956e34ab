package dev.chathistory.local.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Errors in each service's own wire format, so the SDK in a function raises exactly the
 * exception it raises on AWS: DynamoDB's JSON {@code __type}, SQS's JSON with its query-error
 * header (the SDK reads the error code from it), S3's XML.
 */
final class ServiceErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ServiceErrors() {
    }

    /** The error AWS gives a call its policies do not allow. */
    static GatewayResponse accessDenied(String service, String requestId, String message, boolean head) {
        return switch (service) {
            case "s3" -> s3(403, "AccessDenied", message, requestId, head);
            case "sqs" -> sqs(400, "AccessDeniedException", "AccessDenied", message, requestId);
            default -> json(400, "AccessDeniedException", message, requestId);
        };
    }

    /** The error for credentials AWS does not know (or no longer accepts). */
    static GatewayResponse invalidCredentials(String service, String requestId, boolean head) {
        String message = "The security token included in the request is invalid.";
        return switch (service) {
            case "s3" -> s3(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our "
                    + "records.", requestId, head);
            case "sqs" -> sqs(403, "InvalidClientTokenId", "InvalidClientTokenId", message, requestId);
            default -> json(400, "UnrecognizedClientException", message, requestId);
        };
    }

    /** An SQS client error of the JSON protocol, with its query-protocol code. */
    static GatewayResponse sqsClientError(String type, String queryCode, String message, String requestId) {
        return sqs(400, type, queryCode, message, requestId);
    }

    /** A DynamoDB client error. */
    static GatewayResponse dynamoDbClientError(String type, String message, String requestId) {
        return json(400, type, message, requestId);
    }

    /** A presigned link whose signature is not the one its signer's secret gives. */
    static GatewayResponse signatureMismatch(String requestId, boolean head) {
        return s3(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you "
                + "provided. Check your key and signing method.", requestId, head);
    }

    /** A presigned link past its expiry. */
    static GatewayResponse expired(String requestId, boolean head) {
        return s3(403, "AccessDenied", "Request has expired", requestId, head);
    }

    /** The service's throttling error, which the SDK retries with its throttling backoff. */
    static GatewayResponse throttled(String service, String requestId, boolean head) {
        return switch (service) {
            case "s3" -> s3(503, "SlowDown", "Please reduce your request rate.", requestId, head);
            case "sqs" -> sqs(400, "ThrottlingException", "RequestThrottled", "Rate exceeded", requestId);
            default -> json(400, "ProvisionedThroughputExceededException", "The level of configured provisioned "
                    + "throughput for the table was exceeded. Consider increasing your provisioning level with the "
                    + "UpdateTable API.", requestId);
        };
    }

    /** The service's internal error, which the SDK retries. */
    static GatewayResponse internalError(String service, String requestId, boolean head) {
        return switch (service) {
            case "s3" -> s3(500, "InternalError", "We encountered an internal error. Please try again.", requestId,
                    head);
            case "sqs" -> sqs(500, "InternalFailure", "InternalFailure", "An internal error occurred.", requestId);
            default -> json(500, "InternalServerError", "Internal server error", requestId);
        };
    }

    private static GatewayResponse json(int status, String type, String message, String requestId) {
        String body = JSON.createObjectNode().put("__type", "com.amazon.coral.service#" + type)
                .put("message", message).toString();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-amz-json-1.0");
        headers.put("x-amzn-RequestId", requestId);
        return new GatewayResponse(status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static GatewayResponse sqs(int status, String type, String queryCode, String message, String requestId) {
        GatewayResponse response = json(status, type, message, requestId);
        Map<String, String> headers = new LinkedHashMap<>(response.headers());
        headers.put("x-amzn-query-error", queryCode + ";" + (status >= 500 ? "Receiver" : "Sender"));
        return new GatewayResponse(status, headers, response.body());
    }

    private static GatewayResponse s3(int status, String code, String message, String requestId, boolean head) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-amz-request-id", requestId);
        if (head) {
            // HEAD answers carry no body; the SDK names the error from the status alone.
            return new GatewayResponse(status, headers, new byte[0]);
        }
        headers.put("Content-Type", "application/xml");
        String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>"
                + xml(message) + "</Message><RequestId>" + requestId + "</RequestId><HostId>local</HostId></Error>";
        return new GatewayResponse(status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
