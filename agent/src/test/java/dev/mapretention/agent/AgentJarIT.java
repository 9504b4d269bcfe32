package dev.mapretention.agent;

import dev.mapretention.agent.census.CensusPlatform;
import dev.mapretention.agent.instrument.BootClasses;

import dev.mapretention.testing.ForkedJvm;
import net.bytebuddy.jar.asm.ClassReader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pins what the built jars contain: our packages and relocated ASM only, the manifest, the boot side. */
class AgentJarIT {

    private static final List<String> ALLOWED_PREFIXES = List.of(
            "META-INF/MANIFEST.MF", "META-INF/licenses/", "META-INF/maven/dev.mapretention/",
            "dev/mapretention/agent/", "dev/mapretention/cli/",
            "dev/mapretention/shaded/bytebuddy/", "native/linux-x86_64/libmapretention.so");

    @Test
    void theAgentJarHoldsOnlyOurPackagesAndRelocatedByteBuddy() throws IOException {
        List<String> unexpected = new ArrayList<>();
        try (JarFile jar = new JarFile(ForkedJvm.agentJar().toFile())) {
            for (JarEntry entry : Collections.list(jar.entries())) {
                String name = entry.getName();
                if (entry.isDirectory()) {
                    continue;
                }
                if (ALLOWED_PREFIXES.stream().noneMatch(name::startsWith) || name.endsWith("module-info.class")) {
                    unexpected.add(name);
                }
            }
        }
        assertEquals(List.of(), unexpected, "entries outside the pinned packages");
    }

    /**
     * The Micrometer binder is its own jar ({@code map-retention-micrometer}): {@code -javaagent}
     * puts this jar on the system class path, where a binder class cannot see the micrometer-core
     * inside an application's class loader (a Spring Boot fat jar then fails to start with
     * {@code NoClassDefFoundError: io/micrometer/core/instrument/binder/MeterBinder}).
     */
    @Test
    void theAgentJarHoldsNoMicrometerBinderAndRefersToNoMicrometer() throws IOException {
        List<String> problems = new ArrayList<>();
        try (JarFile jar = new JarFile(ForkedJvm.agentJar().toFile())) {
            for (JarEntry entry : Collections.list(jar.entries())) {
                if (entry.getName().startsWith("dev/mapretention/micrometer/")) {
                    problems.add(entry.getName());
                } else if (entry.getName().endsWith(".class")) {
                    // Class names and descriptors are plain (modified UTF-8) strings in the constant pool.
                    String bytes = new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.ISO_8859_1);
                    if (bytes.contains("io/micrometer/")) {
                        problems.add(entry.getName() + " refers to io/micrometer/");
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    /** The census library, on the one platform it is built for, and nothing else native. */
    @Test
    void theAgentJarCarriesTheCensusLibraryForLinuxX8664() throws IOException {
        try (JarFile jar = new JarFile(ForkedJvm.agentJar().toFile())) {
            JarEntry library = jar.getJarEntry(CensusPlatform.RESOURCE);
            assertEquals(CensusPlatform.supported(), library != null, "the library is built on " + CensusPlatform.SUPPORTED);
            if (library != null) {
                byte[] head = jar.getInputStream(library).readNBytes(20);
                assertArrayEquals(new byte[] {0x7f, 'E', 'L', 'F', 2}, java.util.Arrays.copyOf(head, 5), "a 64-bit ELF");
                assertEquals(62, head[18] & 0xff, "for x86-64 (e_machine EM_X86_64)");
            }
        }
    }

    @Test
    void theManifestDeclaresTheAgentTheCliAndTheBootJar() throws IOException {
        try (JarFile jar = new JarFile(ForkedJvm.agentJar().toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            assertEquals("dev.mapretention.agent.AgentEntry", main.getValue("Premain-Class"));
            assertEquals("dev.mapretention.agent.AgentEntry", main.getValue("Agent-Class"));
            assertEquals("dev.mapretention.cli.Main", main.getValue("Main-Class"));
            assertEquals("true", main.getValue("Can-Retransform-Classes"));
            assertEquals("true", main.getValue("Can-Redefine-Classes"));
            assertEquals("map-retention-agent-boot.jar", main.getValue("Boot-Class-Path"));
        }
    }

    /** The boot jar is exactly the boot package, byte for byte the agent jar's copy (the fallback). */
    @Test
    void theBootJarIsTheBootPackageOfTheAgentJar() throws IOException {
        TreeMap<String, byte[]> boot = classes(bootJar(), "");
        TreeMap<String, byte[]> inAgent = classes(ForkedJvm.agentJar(), BootClasses.PACKAGE_PATH);
        assertFalse(boot.isEmpty());
        assertEquals(inAgent.keySet(), boot.keySet());
        for (String name : boot.keySet()) {
            assertTrue(name.startsWith(BootClasses.PACKAGE_PATH), name);
            assertArrayEquals(inAgent.get(name), boot.get(name), name);
        }
    }

    /**
     * What runs inside HashMap refers to the JDK and to itself only, never to one of the hash maps
     * the agent instruments (nor their nested classes), and has no invokedynamic (lambdas, string
     * concatenation), whose bootstrap would re-enter HashMap. Not the maps: a JDK map's compiled
     * code and type profiles are shared with the application's, so the tracker keeps its records
     * and sites in tables of its own ({@code TrackedMaps}, {@code SiteIndex}). The one exception is
     * {@code HookWriter}, which never runs inside a map: it patches the maps' class files, in the
     * agent's transformer, with the JDK's own ASM. The relocated ASM ({@code boot/asm}, which
     * patches where the JDK has no ASM) is in the boot package and held to the same rules.
     */
    @Test
    void theBootPackageIsJdkOnlyWithoutHashMapsOrInvokedynamic() throws IOException {
        List<String> problems = new ArrayList<>();
        for (var clazz : classes(bootJar(), "").entrySet()) {
            ClassReader reader = new ClassReader(clazz.getValue());
            char[] buffer = new char[reader.getMaxStringLength()];
            for (int i = 1; i < reader.getItemCount(); i++) {
                int offset = reader.getItem(i);
                if (offset == 0) {
                    continue;
                }
                int tag = reader.readByte(offset - 1);
                if (tag == 18) {
                    problems.add(clazz.getKey() + ": invokedynamic");
                } else if (tag == 7) {
                    String referenced = reader.readUTF8(offset, buffer).replaceFirst("^\\[+L?", "");
                    boolean jdk = referenced.startsWith("java/") || referenced.length() == 1;
                    boolean own = referenced.startsWith(BootClasses.PACKAGE_PATH)
                            || clazz.getKey().startsWith(BootClasses.PACKAGE_PATH + "HookWriter")
                            && referenced.startsWith("jdk/internal/org/objectweb/asm/");
                    boolean hashFamily = Arrays.asList("java/util/HashMap", "java/util/HashSet",
                            "java/util/LinkedHashMap", "java/util/LinkedHashSet", "java/util/concurrent/ConcurrentHashMap",
                            "java/util/Hashtable", "java/util/Properties", "java/util/IdentityHashMap",
                            "java/util/WeakHashMap").contains(referenced.replace(";", "").replaceFirst("\\$.*", ""));
                    if (!(jdk || own) || hashFamily) {
                        problems.add(clazz.getKey() + ": refers to " + referenced);
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    private static Path bootJar() {
        return ForkedJvm.agentJar().resolveSibling("map-retention-agent-boot.jar");
    }

    private static TreeMap<String, byte[]> classes(Path jarPath, String prefix) throws IOException {
        TreeMap<String, byte[]> classes = new TreeMap<>();
        try (JarFile jar = new JarFile(jarPath.toFile())) {
            for (JarEntry entry : Collections.list(jar.entries())) {
                if (entry.getName().startsWith(prefix) && entry.getName().endsWith(".class")) {
                    classes.put(entry.getName(), jar.getInputStream(entry).readAllBytes());
                }
            }
        }
        return classes;
    }
}
