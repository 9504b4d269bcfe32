package dev.mapretention.agent.instrument;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Makes the boot-side tracker ({@code dev.mapretention.agent.boot}) loadable by the boot class
 * loader, which the calls put into java.util.HashMap need.
 *
 * <p>The fast way is the manifest's {@code Boot-Class-Path}, naming
 * {@code map-retention-agent-boot.jar} beside the agent jar: the JVM adds it before premain and
 * says nothing. When that jar is missing (the agent jar was copied alone), the boot package is
 * copied out of the agent jar into a temporary jar and appended to the boot class path, which
 * costs some milliseconds and makes the JVM print a CDS note.
 *
 * <p>This class must not refer to any boot-side class: the check must see the boot loader's
 * view before anything loads them elsewhere.
 */
public final class BootClasses {

    public static final String PACKAGE_PATH = "dev/mapretention/agent/boot/";
    private static final String PROBE = "dev.mapretention.agent.boot.MapTracker";

    private BootClasses() {
    }

    static boolean visible() {
        try {
            Class.forName(PROBE, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    public static void ensureVisible(Instrumentation instrumentation) throws IOException, URISyntaxException {
        if (visible()) {
            return;
        }
        CodeSource source = BootClasses.class.getProtectionDomain().getCodeSource();
        if (source == null) {
            throw new IOException("cannot find the agent jar to copy the boot classes from");
        }
        Path agentJar = Path.of(source.getLocation().toURI());
        Path bootJar = Files.createTempFile("map-retention-boot", ".jar");
        bootJar.toFile().deleteOnExit();
        try (JarFile in = new JarFile(agentJar.toFile());
             OutputStream file = Files.newOutputStream(bootJar);
             JarOutputStream out = new JarOutputStream(file)) {
            Enumeration<JarEntry> entries = in.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                if (entry.getName().startsWith(PACKAGE_PATH) && !entry.isDirectory()) {
                    out.putNextEntry(new JarEntry(entry.getName()));
                    try (InputStream bytes = in.getInputStream(entry)) {
                        bytes.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
        instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(bootJar.toFile()));
        if (!visible()) {
            throw new IOException("the boot classes are still not visible after appending " + bootJar);
        }
    }
}
