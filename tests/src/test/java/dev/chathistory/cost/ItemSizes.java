package dev.chathistory.cost;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The size DynamoDB bills an item at: each attribute's UTF-8 name plus its value; a string its
 * UTF-8 bytes, a number one byte per two significant digits plus one, a boolean or null one
 * byte, a list or map 3 bytes plus one per element plus its elements (a map's names too).
 */
public final class ItemSizes {

    private ItemSizes() {
    }

    public static int of(Map<String, AttributeValue> item) {
        int size = 0;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            size += utf8(attribute.getKey()) + of(attribute.getValue());
        }
        return size;
    }

    static int of(AttributeValue value) {
        return switch (value.type()) {
            case S -> utf8(value.s());
            case N -> number(value.n());
            case B -> value.b().asByteArray().length;
            case BOOL, NUL -> 1;
            case SS -> value.ss().stream().mapToInt(ItemSizes::utf8).sum();
            case NS -> value.ns().stream().mapToInt(ItemSizes::number).sum();
            case BS -> value.bs().stream().mapToInt(b -> b.asByteArray().length).sum();
            case L -> 3 + value.l().stream().mapToInt(element -> 1 + of(element)).sum();
            case M -> 3 + value.m().entrySet().stream()
                    .mapToInt(e -> 1 + utf8(e.getKey()) + of(e.getValue())).sum();
            default -> throw new IllegalArgumentException("unknown attribute type " + value.type());
        };
    }

    private static int number(String n) {
        String digits = new BigDecimal(n).stripTrailingZeros().unscaledValue().abs().toString();
        return (digits.length() + 1) / 2 + 1;
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
