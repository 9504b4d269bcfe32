package dev.mapretention.cli;

import dev.mapretention.agent.census.CensusPlatform;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * The census library ({@code libmapretention.so}), carried in the agent jar: copied out to a
 * private temporary file, loaded into the target as a JVMTI agent, and deleted again (the target
 * keeps what it mapped). Loading it twice into one JVM is fine: the later copy takes over.
 */
final class CensusLibrary {

    private CensusLibrary() {
    }

    static void loadInto(TargetJvm target, long pid, Path agentJar) throws CommandFailedException {
        Path library = null;
        try {
            library = extract(agentJar);
            target.loadAgentLibrary(library, code -> refusal(pid, code));
        } catch (IOException e) {
            throw new CommandFailedException("cannot copy the census library out of " + agentJar + ": "
                    + TargetJvm.reason(e));
        } finally {
            if (library != null) {
                try {
                    Files.deleteIfExists(library);
                } catch (IOException ignored) {
                    // a temporary file of our own; the next clean-up of the temporary directory takes it
                }
            }
        }
    }

    private static Path extract(Path agentJar) throws IOException {
        try (JarFile jar = new JarFile(agentJar.toFile())) {
            ZipEntry entry = jar.getEntry(CensusPlatform.RESOURCE);
            if (entry == null) {
                throw new IOException("this build of the agent jar has no " + CensusPlatform.RESOURCE);
            }
            // createTempFile makes it readable by this user only; the target runs as this user too.
            Path library = Files.createTempFile("map-retention-census-", ".so");
            try (InputStream in = jar.getInputStream(entry)) {
                Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                Files.deleteIfExists(library);
                throw e;
            }
            return library;
        }
    }

    /** The census library's answers from Agent_OnAttach (agent.c), each as one line. */
    static String refusal(long pid, int code) {
        switch (code) {
            case 101: return "the census library found no JVMTI environment in " + pid;
            case 102: return "the JVM " + pid + " cannot tag objects (JVMTI can_tag_objects): no census there";
            case 103: return "the census library found no map-retention agent classes in " + pid;
            case 104: return "the census library could not bind its natives in " + pid;
            default: return "the census library refused to start in " + pid + " (answer " + code + ")";
        }
    }
}
