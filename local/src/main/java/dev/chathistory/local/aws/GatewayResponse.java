package dev.chathistory.local.aws;

import java.util.Map;

/** An answer the gateway gives itself instead of forwarding: a refusal or an injected fault. */
record GatewayResponse(int status, Map<String, String> headers, byte[] body) {
}
