package dev.chathistory.cost;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The item LangChain's {@code DynamoDBChatMessageHistory} keeps per session: the whole
 * conversation in one item, {@code {SessionId, History: [message_to_dict(m), ...]}}, the shape
 * langchain-core 0.3 writes (checked against 0.3.86's {@code messages_to_dict}). It reads the
 * history with one GetItem (eventually consistent, boto3's default) and appends by reading the
 * item and putting all of it back.
 */
public final class LangChainStore {

    /** One message of the conversation. */
    public record Turn(boolean bot, String text) {
    }

    private LangChainStore() {
    }

    public static Map<String, AttributeValue> item(String sessionId, List<Turn> history) {
        List<AttributeValue> messages = new ArrayList<>();
        for (Turn turn : history) {
            String type = turn.bot() ? "ai" : "human";
            Map<String, AttributeValue> data = new LinkedHashMap<>();
            data.put("content", AttributeValue.fromS(turn.text()));
            data.put("additional_kwargs", AttributeValue.fromM(Map.of()));
            data.put("response_metadata", AttributeValue.fromM(Map.of()));
            data.put("type", AttributeValue.fromS(type));
            data.put("name", AttributeValue.fromNul(true));
            data.put("id", AttributeValue.fromNul(true));
            data.put("example", AttributeValue.fromBool(false));
            if (turn.bot()) {
                data.put("tool_calls", AttributeValue.fromL(List.of()));
                data.put("invalid_tool_calls", AttributeValue.fromL(List.of()));
                data.put("usage_metadata", AttributeValue.fromNul(true));
            }
            messages.add(AttributeValue.fromM(Map.of("type", AttributeValue.fromS(type), "data", AttributeValue.fromM(data))));
        }
        return Map.of("SessionId", AttributeValue.fromS(sessionId), "History", AttributeValue.fromL(messages));
    }

    /** Read units of loading the history, eventually consistent. */
    public static double readUnits(String sessionId, List<Turn> history) {
        return CapacityMeter.readUnits(ItemSizes.of(item(sessionId, history)), false);
    }

    /** Capacity of appending one turn: read the item, write all of it back. */
    public static double[] appendUnits(String sessionId, List<Turn> before, Turn added) {
        List<Turn> after = new ArrayList<>(before);
        after.add(added);
        return new double[] {readUnits(sessionId, before),
                CapacityMeter.writeUnits(ItemSizes.of(item(sessionId, after)))};
    }
}
