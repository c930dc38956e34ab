package dev.chathistory.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.local.ProjectRoot;
import dev.chathistory.local.PythonEnvironment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * serve_moto.py makes moto answer a base-table query from the asked-for partition instead of
 * sorting the whole table; every other test on moto trusts that this changes no answer. The
 * script compares 200 seeded random queries (ranges, limits, both directions, paging,
 * filters, a GSI) with and without the change, in moto's in-process backend, and fails on the
 * first difference.
 */
class MotoPartitionQueriesIT {

    @Test
    void partitionOnlyQueriesAnswerAsMotoDoes() {
        String report = PythonEnvironment.moto(ProjectRoot.find())
                .runScript("check_partition_queries.py", List.of("--queries", "150"));

        assertThat(report).contains("answered the same with and without the patch");
    }
}
