package dev.chathistory.shared.testing;

import dev.chathistory.shared.attachments.AttachmentStorage;
import java.time.Duration;

/** Signs nothing: returns readable fake links that name what a real one would allow. */
public final class RecordingAttachmentStorage implements AttachmentStorage {

    @Override
    public String uploadUrl(String key, String contentType, long contentLength, Duration validFor) {
        return "https://uploads.test/" + key + "?type=" + contentType + "&length=" + contentLength
                + "&ttl=" + validFor.getSeconds();
    }

    @Override
    public String downloadUrl(String key, Duration validFor) {
        return "https://downloads.test/" + key + "?ttl=" + validFor.getSeconds();
    }
}
