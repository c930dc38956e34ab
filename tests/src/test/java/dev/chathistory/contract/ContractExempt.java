package dev.chathistory.contract;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class whose HTTP traffic is not the chat-history API (a fixture stack of its own),
 * so {@link ContractCheckExtension} does not hold it to {@code openapi.yaml}. Say why.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ContractExempt {
    String value();
}
