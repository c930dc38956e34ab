package dev.chathistory.userbatch;

import dev.chathistory.shared.archive.MultipartUploads;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The end of an export's stream: bytes gather in one temporary file, which becomes the next part
 * of the multipart upload whenever it reaches the part size. So an export never holds more than
 * about one part on the function's ephemeral storage, however large the user's history.
 */
final class PartSink extends OutputStream {

    private final MultipartUploads uploads;
    private final String key;
    private final String uploadId;
    private final long partBytes;
    private final List<String> partETags;
    private final Path buffer;
    private OutputStream out;
    private long buffered;

    /**
     * @param partETags the ETags so far; each part uploaded here is added to it
     * @param carried bytes written before this delivery that did not make a part yet
     */
    PartSink(MultipartUploads uploads, String key, String uploadId, long partBytes, List<String> partETags,
             byte[] carried) throws IOException {
        this.uploads = uploads;
        this.key = key;
        this.uploadId = uploadId;
        this.partBytes = partBytes;
        this.partETags = partETags;
        this.buffer = Files.createTempFile("export-part-", ".bin");
        this.out = open();
        write(carried);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        buffered++;
        uploadIfFull();
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
        buffered += length;
        uploadIfFull();
    }

    /** Uploads what is buffered as the last part, whatever its size. */
    void uploadLastPart() throws IOException {
        out.close();
        partETags.add(uploads.uploadPart(key, uploadId, partETags.size() + 1, buffer));
        buffered = 0;
        out = open();
    }

    /** What is buffered and not yet a part: carried into the next delivery. */
    byte[] remainder() throws IOException {
        out.flush();
        return Files.readAllBytes(buffer);
    }

    /** Deletes the temporary file. */
    @Override
    public void close() throws IOException {
        out.close();
        Files.deleteIfExists(buffer);
    }

    private void uploadIfFull() throws IOException {
        if (buffered >= partBytes) {
            uploadLastPart();
        }
    }

    private OutputStream open() throws IOException {
        return new BufferedOutputStream(Files.newOutputStream(buffer, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, StandardOpenOption.CREATE));
    }
}
