package dev.chathistory.importer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.shared.json.Json;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The report file: JSON Lines, one line per row issue (in source order), one per user whose
 * counts or checksums differ, and a summary line last. It never holds message text.
 */
final class Report implements AutoCloseable {

    private final OutputStream out;

    Report(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        this.out = new BufferedOutputStream(Files.newOutputStream(file));
    }

    void issue(RowIssue issue) {
        ObjectNode line = Json.object().put("kind", "row").put("sourceId", issue.sourceId())
                .put("userId", issue.userId()).put("issue", issue.kind().code())
                .put("action", issue.kind().action.code()).put("detail", issue.detail());
        write(line);
    }

    void mismatch(String userId, Validation.Totals expected, Validation.Totals actual) {
        write(Json.object().put("kind", "mismatch").put("userId", userId)
                .put("expectedMessages", expected.count()).put("actualMessages", actual.count())
                .put("expectedChecksum", Long.toHexString(expected.checksum()))
                .put("actualChecksum", Long.toHexString(actual.checksum())));
    }

    /** @param messagesKept messages this run left to another writer whose item had their id */
    void summary(String importId, Validation.Outcome outcome, long messagesKept) {
        ObjectNode line = Json.object().put("kind", "summary").put("importId", importId)
                .put("rowsInSource", outcome.rowsInSource()).put("rowsRead", outcome.rowsRead())
                .put("messagesExpected", outcome.messagesExpected())
                .put("usersExpected", outcome.expected().size())
                .put("messagesKept", messagesKept)
                .put("targetChecked", outcome.targetChecked())
                .put("mismatches", outcome.mismatches().size())
                .put("clean", outcome.clean());
        ObjectNode issues = line.putObject("issues");
        for (Map.Entry<RowIssue.Kind, Long> e : outcome.issues().entrySet()) {
            issues.put(e.getKey().code(), e.getValue());
        }
        write(line);
    }

    private void write(ObjectNode line) {
        try {
            out.write(Json.writeBytes(line));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
