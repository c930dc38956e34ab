package dev.chathistory.contract;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.chathistory.local.sources.ExchangeObserver.Exchange;
import dev.chathistory.tests.ForkRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Which documented operations the tests exercised, and with which statuses: written to
 * {@code target/contract-coverage.txt} when the test JVM exits (its console is gone by then), so
 * a run shows what the contract check actually covered. {@code .ci/run} prints the file. The
 * integration tests run in several forks: each saves its share at exit and writes the report
 * from every fork's share saved so far, one at a time, so the fork that exits last writes it whole.
 */
final class ContractCoverage {

    private record Operation(String key, String method, Pattern path) {
    }

    private final List<Operation> operations;
    private final Map<String, Set<Integer>> seen = new ConcurrentHashMap<>();

    private ContractCoverage(List<String> documented) {
        this.operations = documented.stream().map(ContractCoverage::operation).toList();
    }

    static ContractCoverage writtenAtExit(List<String> documented) {
        ContractCoverage coverage = new ContractCoverage(documented);
        Runtime.getRuntime().addShutdownHook(new Thread(coverage::write, "contract-coverage"));
        return coverage;
    }

    void record(Exchange exchange) {
        for (Operation operation : operations) {
            if (operation.method().equals(exchange.method()) && operation.path().matcher(exchange.rawPath()).matches()) {
                seen.computeIfAbsent(operation.key(), k -> ConcurrentHashMap.newKeySet()).add(exchange.status());
                return;
            }
        }
    }

    private void write() {
        try {
            ForkRecords.exclusively("contract-coverage", () -> {
                ForkRecords.save("contract-coverage", seen);
                writeReport(ForkRecords.readAll("contract-coverage",
                        new TypeReference<Map<String, Set<Integer>>>() { }));
                return null;
            });
        } catch (Exception e) {
            System.err.println("could not write the contract coverage: " + e);
        }
    }

    private void writeReport(List<Map<String, Set<Integer>>> forks) throws IOException {
        Map<String, Set<Integer>> report = new TreeMap<>();
        operations.forEach(op -> report.put(op.key(), new TreeSet<>()));
        forks.forEach(fork -> fork.forEach((key, statuses) -> {
            if (report.containsKey(key)) {
                report.get(key).addAll(statuses);
            }
        }));
        long exercised = report.values().stream().filter(statuses -> !statuses.isEmpty()).count();
        StringBuilder out = new StringBuilder("openapi.yaml contract check: ").append(exercised).append(" of ")
                .append(report.size()).append(" operations exercised\n");
        report.forEach((key, statuses) -> out.append("  ").append(key).append("  ")
                .append(statuses.isEmpty() ? "NOT EXERCISED" : statuses).append('\n'));
        Files.writeString(Path.of("target", "contract-coverage.txt"), out);
    }

    private static Operation operation(String key) {
        String[] parts = key.split(" ", 2);
        // {name} matches one non-empty segment, as API Gateway and the router match it.
        String regex = Pattern.quote(parts[1]).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q");
        return new Operation(key, parts[0], Pattern.compile(regex));
    }
}
