package dev.mapretention.agent.instrument;

import dev.mapretention.agent.boot.HookWriter;
import dev.mapretention.agent.kinds.MapKind;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent patches the maps' classes with the JDK's own ASM where the JDK has one (Java 17 to 23)
 * and with its relocated copy elsewhere: on every kind's class file, as this JDK ships it, both
 * put in every hook and write the same bytes. Run on the build's Java 17, with the JDK's ASM
 * exported to the tests as the agent exports it to the tracker.
 */
class HookWritersTest {

    @Test
    void theJdksAsmAndTheRelocatedOneWriteTheSameClassFiles() throws IOException {
        assertTrue(HookWriter.available(), "this JDK's ASM is not exported to the tests (surefire's argLine)");
        for (MapKind kind : MapKind.all()) {
            byte[] original = classFile(kind.mapClass());

            int[] relocatedPatched = new int[1];
            byte[] relocated = MapInstrumentation.RelocatedAsm.patch(original, kind, relocatedPatched);

            int[] patched = new int[1];
            byte[] jdks = HookWriter.patch(original, MapInstrumentation.describe(kind.hooks()), patched);

            String name = kind.mapClass().getName();
            assertEquals(kind.hooks().size(), relocatedPatched[0], name);
            assertEquals(kind.hooks().size(), patched[0], name);
            assertFalse(java.util.Arrays.equals(original, jdks), name + " unchanged");
            assertArrayEquals(relocated, jdks, name);
        }
    }

    /**
     * A class file of a newer version than the JDK's ASM knows (as on the last JDKs that carry
     * it, which stopped updating it): the JDK's ASM refuses it, and the patch falls back to the
     * relocated ASM, which puts every hook in.
     */
    @Test
    void aClassFileTheJdksAsmRefusesIsPatchedWithTheRelocatedOne() throws IOException {
        MapKind kind = MapKind.all().get(0);
        byte[] newer = classFile(kind.mapClass());
        newer[6] = 0;
        newer[7] = 69; // Java 25's major version; Java 17's ASM reads up to its own
        int[] refused = new int[1];
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> HookWriter.patch(newer, MapInstrumentation.describe(kind.hooks()), refused));

        int[] patched = new int[1];
        byte[] result = MapInstrumentation.patch(newer, kind, true, patched);
        assertEquals(kind.hooks().size(), patched[0]);
        int[] relocated = new int[1];
        assertArrayEquals(MapInstrumentation.RelocatedAsm.patch(newer, kind, relocated), result);
    }

    private static byte[] classFile(Class<?> type) throws IOException {
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            return in.readAllBytes();
        }
    }
}
