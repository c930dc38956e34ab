package dev.chathistory.ingest.image;

import dev.chathistory.shared.attachments.ImageType;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Finds the ImageIO reader for a file from its first bytes, among the readers of the four
 * {@link ImageType}s only: the JDK also registers BMP, WBMP and TIFF readers, and any plugin on
 * the class path could add more, none of which we accept.
 */
final class AllowedReaders {

    /** A reader, not yet given its input, and the type it reads. Dispose the reader when done. */
    record Match(ImageReader reader, ImageType type) {
    }

    static {
        registerPluginsOfThisClassLoader();
    }

    private AllowedReaders() {
    }

    /**
     * ImageIO keeps one registry per JVM and fills it once, from the service files the thread's
     * context class loader could see at that moment. The Lambda runtime loads the function's
     * jars with a class loader of their own, and whatever first touches ImageIO (possibly the
     * runtime or another library, on some other thread) decides what the registry holds, so
     * TwelveMonkeys' WebP reader may be missing from it. Scanning again with this class's own
     * loader as context adds every plugin our jars bring, whoever initialised ImageIO.
     */
    private static void registerPluginsOfThisClassLoader() {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(AllowedReaders.class.getClassLoader());
        try {
            ImageIO.scanForPlugins();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * Opens a file for ImageIO: random access straight on the file, so nothing is cached in
     * memory or copied to a temporary file. Failing to open is our problem, not the upload's.
     */
    static ImageInputStream open(Path file) {
        File asFile = file.toFile();
        try {
            return new EndGuardedImageInputStream(asFile);
        } catch (IOException e) {
            throw new UncheckedIOException("could not open the image file", e);
        }
    }

    /**
     * The first reader of an allowed type whose provider recognises the stream's signature
     * (each provider peeks at the first bytes and resets the stream), or empty when none does.
     * Readers of other types are disposed here.
     */
    static Optional<Match> find(ImageInputStream in) {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            Optional<ImageType> type = typeOf(reader);
            if (type.isPresent()) {
                return Optional.of(new Match(reader, type.get()));
            }
            reader.dispose();
        }
        return Optional.empty();
    }

    private static Optional<ImageType> typeOf(ImageReader reader) {
        try {
            return ImageType.fromImageIoFormat(reader.getFormatName());
        } catch (IOException e) {
            // getFormatName() only asks the provider; it never reads the stream.
            return Optional.empty();
        }
    }
}
