package dev.chathistory.shared.limits;

import java.time.Duration;
import java.time.Instant;

/**
 * Budgets of tokens shared by every container: at most {@code capacity} tokens per window. A
 * window starts with the first take after the previous one ended, so it is anchored to use,
 * not to the clock's round numbers.
 */
public interface BudgetStore {

    /** What a take got: between 0 and the tokens asked for, and when their window ends. */
    record Grant(int granted, Instant windowEnds) {
    }

    /**
     * Takes up to {@code wanted} tokens of the budget {@code scope} / {@code name}; fewer when
     * fewer are left in the window, none when it is used up.
     */
    Grant take(String scope, String name, int capacity, Duration window, int wanted, Instant now);
}
