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
 * <p>Boot classes of another build (a boot jar copied beside another build's agent jar, or left by
 * an earlier load) are refused rather than linked against: their {@code BootVersion.ID} differs
 * from the one compiled into this agent. (A later attach of another build into the same JVM is
 * refused before it loads anything, by the command line: see {@link #BUILD_PROPERTY}.)
 *
 * <p>This class must not load any boot-side class itself (the constant it compares with is
 * inlined by the compiler): the check must see the boot loader's view before anything loads
 * them elsewhere.
 */
public final class BootClasses {

    public static final String PACKAGE_PATH = "dev/mapretention/agent/boot/";
    private static final String PROBE = "dev.mapretention.agent.boot.MapTracker";
    private static final String VERSION_CLASS = "dev.mapretention.agent.boot.BootVersion";

    /**
     * Set, to this build's identity, the first time an agent starts in a JVM, and never cleared:
     * the system class loader keeps the first agent jar's classes after a detach, so an agent jar
     * of another build attached later would run a mix of both builds' classes.
     */
    public static final String BUILD_PROPERTY = "dev.mapretention.agent.build";

    /** This agent's build identity. */
    public static final String BUILD = dev.mapretention.agent.boot.BootVersion.ID;

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
            checkSameBuild();
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
        checkSameBuild();
    }

    /** Refuses boot classes of another build, in one line that says what to do. */
    private static void checkSameBuild() throws IOException {
        String loaded;
        try {
            loaded = String.valueOf(Class.forName(VERSION_CLASS, false, null).getField("ID").get(null));
        } catch (ReflectiveOperationException | LinkageError e) {
            loaded = "an older build, without a version";
        }
        String expected = BUILD;
        if (!loaded.equals(expected)) {
            throw new IOException("the tracker classes on this JVM's boot class path are another map-retention"
                    + " build's (" + loaded + "; this agent is " + expected + "): keep the map-retention-agent-boot.jar"
                    + " of the same build beside the agent jar, or, if an earlier attach loaded them, restart the JVM");
        }
    }
}
