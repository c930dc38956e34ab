package dev.chathistory.ingest.image;

import java.io.File;
import java.io.IOException;
import javax.imageio.IIOException;
import javax.imageio.stream.FileImageInputStream;

/**
 * A file stream that fails once a decoder has hit the end of the file too often.
 *
 * <p>Decoders handle running out of data differently: the JDK's PNG and GIF readers throw, its
 * JPEG reader warns once, but TwelveMonkeys' WebP readers catch the {@link java.io.EOFException}
 * and carry on with zero bits, trying again for every symbol. A few dozen bytes claiming
 * millions of pixels then cost an exception per pixel: minutes of CPU, not an error. Decoders
 * that end cleanly look past the end a handful of times at most, so past a generous count this
 * throws an exception the decoders do not catch, and the image is rejected as corrupt.
 */
final class EndGuardedImageInputStream extends FileImageInputStream {

    /** Far more than any clean decode needs, and a few milliseconds of exceptions at most. */
    static final int MAX_READS_AT_END = 1_000;

    private int readsAtEnd;

    EndGuardedImageInputStream(File file) throws IOException {
        super(file);
    }

    @Override
    public int read() throws IOException {
        int read = super.read();
        if (read < 0) {
            hitEnd();
        }
        return read;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        int read = super.read(bytes, offset, length);
        if (read < 0) {
            hitEnd();
        }
        return read;
    }

    int readsAtEnd() {
        return readsAtEnd;
    }

    private void hitEnd() throws IIOException {
        if (++readsAtEnd > MAX_READS_AT_END) {
            throw new IIOException("the decoder kept reading past the end of the file");
        }
    }
}
