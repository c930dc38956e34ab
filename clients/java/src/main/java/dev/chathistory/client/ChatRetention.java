package dev.chathistory.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * How long a chat's messages are kept, from {@link ChatHistoryClient#getRetention} and
 * {@link ChatHistoryClient#putRetention}. Days are {@code null} where nothing is set.
 *
 * @param days the chat's own retention, never longer than the tenant's
 * @param legalHold whether a hold on the chat keeps everything in it
 * @param tenantDays the tenant's retention, set by the operator
 * @param effectiveDays what applies: the shorter of the two; {@code null} keeps until deleted
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatRetention(Integer days, boolean legalHold, Integer tenantDays, Integer effectiveDays) {
}
