package dev.chathistory.ingest.image;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * Run in a JVM of its own by {@link PluginRegistrationTest}, with nothing but this class on the
 * system class path: it plays the Lambda runtime, which touches ImageIO before loading the
 * function's jars with a class loader of their own, then inspects a WebP file through that
 * loader. Prints what it saw; the test reads it.
 *
 * <p>Arguments: the function's class path, the WebP file.
 */
public final class LambdaClassLoaderProbe {

    private LambdaClassLoaderProbe() {
    }

    public static void main(String[] args) throws Exception {
        // ImageIO fills its one registry now, seeing only the system class path: no WebP reader.
        System.out.println("webp reader before loading the function: "
                + ImageIO.getImageReadersByFormatName("webp").hasNext());

        URL[] functionJars = Arrays.stream(args[0].split(File.pathSeparator))
                .map(LambdaClassLoaderProbe::url).toArray(URL[]::new);
        try (URLClassLoader function = new URLClassLoader(functionJars, ClassLoader.getPlatformClassLoader())) {
            // The thread's context class loader stays the system one, as if the runtime never set it.
            // By name: a class literal would load the inspector through the system class loader.
            Class<?> inspectorClass = function.loadClass("dev.chathistory.ingest.image.ImageInspector");
            Object inspector = inspectorClass.getConstructor(long.class, int.class).newInstance(1_000_000L, 4096);
            try {
                Object info = inspectorClass.getMethod("inspect", Path.class).invoke(inspector, Path.of(args[1]));
                System.out.println("inspected: " + info);
            } catch (InvocationTargetException e) {
                System.out.println("failed: " + e.getCause());
            }
        }
    }

    private static URL url(String entry) {
        try {
            return Path.of(entry).toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(entry, e);
        }
    }
}
