package dev.mapretention.agent.kinds;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CopyCapacityTest {

    @Test
    void matchesTheTableOfARealCopyOnThisJdk() throws Exception {
        Field table = HashMap.class.getDeclaredField("table");
        table.setAccessible(true);
        Map<Integer, Integer> source = new HashMap<>();
        for (int size = 0; size <= 20_000; size++) {
            Object[] copyTable = (Object[]) table.get(new HashMap<>(source));
            assertEquals(copyTable == null ? 0 : copyTable.length, CopyCapacity.of(size), "size " + size);
            source.put(size, size);
            if (size > 2_000) {
                size += 97; // sample the larger sizes
                for (int k = size - 96; k <= size; k++) {
                    source.put(k, k);
                }
            }
        }
    }

    @Test
    void theTwoRulesDifferWhereJdk19ChangedThem() {
        // JDK 17: (int) (12 / 0.75f + 1) = 17 -> 32 slots; JDK 19+: ceil(12 / 0.75) = 16 -> 16 slots.
        assertEquals(32, CopyCapacity.of(12, false));
        assertEquals(16, CopyCapacity.of(12, true));
        assertEquals(256, CopyCapacity.of(96, false));
        assertEquals(128, CopyCapacity.of(96, true));
        assertEquals(0, CopyCapacity.of(0, true));
        assertEquals(2, CopyCapacity.of(1, false));
        assertEquals(2, CopyCapacity.of(1, true));
    }
}
