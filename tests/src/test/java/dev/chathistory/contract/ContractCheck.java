package dev.chathistory.contract;

import dev.chathistory.local.sources.ExchangeObserver;
import java.util.List;

/**
 * Checks exchanges against {@code openapi.yaml}. Registered as an {@link ExchangeObserver}
 * (META-INF/services), so every request any test sends to a local stack is checked; the
 * in-process handler ITs call {@link #observe} themselves.
 */
public final class ContractCheck implements ExchangeObserver {

    private static final ApiContract CONTRACT = ApiContract.load();
    private static final ContractCoverage COVERAGE = ContractCoverage.writtenAtExit(ApiContract.operations());

    @Override
    public void observe(Exchange exchange) {
        check(exchange);
    }

    /** Records what is wrong with {@code exchange}, for the running test to fail on. */
    public static void check(Exchange exchange) {
        List<String> problems;
        try {
            problems = CONTRACT.violations(exchange);
        } catch (RuntimeException e) {
            problems = List.of("the validator failed: " + e);
        }
        COVERAGE.record(exchange);
        if (!problems.isEmpty()) {
            ContractViolations.add(exchange.method() + " " + exchange.rawPath(), problems);
        }
    }
}
