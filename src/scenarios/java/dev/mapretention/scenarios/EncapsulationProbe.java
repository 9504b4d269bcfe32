package dev.mapretention.scenarios;

import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.util.HashMap;

/**
 * Tries to make a private field of java.base accessible from the application's class path, in
 * each package the agent opens to its own tracker, and prints what happened: the agent must leave
 * the application exactly as encapsulated as it was.
 */
public final class EncapsulationProbe {

    public static void main(String[] args) throws Exception {
        probe("java.util", HashMap.class, "table");
        probe("java.lang", String.class, "value");
        probe("java.lang.invoke", Class.forName("java.lang.invoke.MemberName"), "method");
        // Something large enough to be tracked, so the agent is at work while we look.
        HashMap<Integer, Integer> map = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            map.put(i, i);
        }
        System.out.println("PROBE DONE " + map.size());
    }

    private static void probe(String pkg, Class<?> type, String field) throws NoSuchFieldException {
        Field f = type.getDeclaredField(field);
        String result;
        try {
            f.setAccessible(true);
            result = "OPEN";
        } catch (InaccessibleObjectException e) {
            result = "closed";
        }
        System.out.println(pkg + ": " + result);
    }
}
