package dev.chathistory.ingest.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chathistory.shared.attachments.RejectionReason;
import java.io.EOFException;
import javax.imageio.IIOException;
import org.junit.jupiter.api.Test;

class DecodeFailuresTest {

    @Test
    void corrupt_shouldRejectAsCorrupt_whenDecoderFailsOnTheData() {
        RejectedImageException rejection = DecodeFailures.corrupt("image data",
                new IIOException("Error reading PNG image data", new EOFException("Unexpected end of ZLIB input stream")));

        assertThat(rejection.reason()).isEqualTo(RejectionReason.CORRUPT_IMAGE);
        assertThat(rejection).hasMessageNotContaining("ZLIB").hasNoCause();
    }

    @Test
    void corrupt_shouldRethrowOutOfMemoryError_whenDecoderWrappedIt() {
        // What the JDK's PNG reader does when the destination raster does not fit in the heap.
        IIOException wrapped = new IIOException("Caught exception during read: ", new OutOfMemoryError("Java heap space"));

        assertThatThrownBy(() -> DecodeFailures.corrupt("image data", wrapped)).isInstanceOf(OutOfMemoryError.class);
    }
}
