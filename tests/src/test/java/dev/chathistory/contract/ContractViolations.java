package dev.chathistory.contract;

import java.util.ArrayList;
import java.util.List;

/**
 * Contract violations seen since the last check. Exchanges are checked on whatever thread
 * serves them (the local gateway's, a test's worker threads), so they are collected here and
 * {@link ContractCheckExtension} fails the test that caused them.
 */
public final class ContractViolations {

    private static final List<String> PENDING = new ArrayList<>();

    private ContractViolations() {
    }

    static synchronized void add(String exchange, List<String> problems) {
        problems.forEach(problem -> PENDING.add(exchange + ": " + problem));
    }

    /** The violations collected so far, which are then forgotten. */
    static synchronized List<String> drain() {
        List<String> drained = List.copyOf(PENDING);
        PENDING.clear();
        return drained;
    }
}
