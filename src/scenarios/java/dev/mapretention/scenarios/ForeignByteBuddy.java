package dev.mapretention.scenarios;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.implementation.FixedValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static net.bytebuddy.matcher.ElementMatchers.named;

/**
 * An application that brings its own Byte Buddy (an older version than the agent's, on the class
 * path as {@code net.bytebuddy}) and uses it while the agent runs: it generates a subclass of one
 * of its own classes and a subclass of HashMap, and calls both. It also grows and drains a plain
 * HashMap and a generated HashMap subclass, which the agent must flag.
 *
 * <p>Compiled against the agent build's Byte Buddy, run against the application's: it uses only API
 * that both have. Prints the jar its Byte Buddy came from and what the generated classes returned.
 */
public final class ForeignByteBuddy {

    static final int ENTRIES = 20_000;

    /** Keeps the maps alive until the JVM exits. */
    static final List<Object> LIVE = new ArrayList<>();

    /** A class of the application's that it proxies. */
    public static class Greeter {
        public String greet() {
            return "hello";
        }
    }

    private ForeignByteBuddy() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("application Byte Buddy: "
                + ByteBuddy.class.getProtectionDomain().getCodeSource().getLocation().getPath());

        Greeter greeter = new ByteBuddy()
                .subclass(Greeter.class)
                .method(named("greet")).intercept(FixedValue.value("proxied hello"))
                .make()
                .load(ForeignByteBuddy.class.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER)
                .getLoaded()
                .getDeclaredConstructor()
                .newInstance();
        System.out.println("generated Greeter says: " + greeter.greet());

        @SuppressWarnings("unchecked")
        Map<Integer, String> generatedMap = new ByteBuddy()
                .subclass(HashMap.class)
                .name("dev.mapretention.scenarios.GeneratedMap")
                .method(named("toString")).intercept(FixedValue.value("generated map"))
                .make()
                .load(ForeignByteBuddy.class.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER)
                .getLoaded()
                .getDeclaredConstructor()
                .newInstance();
        System.out.println("generated HashMap subclass says: " + generatedMap);

        Map<Integer, String> plain = growPlainMap();
        for (int i = 0; i < ENTRIES; i++) {
            plain.remove(i);
        }
        growGeneratedMap(generatedMap).clear();
        System.out.println("maps drained: plain " + plain.size() + ", generated " + generatedMap.size());
        System.out.println("FOREIGN BYTE BUDDY DONE");
    }

    static Map<Integer, String> growPlainMap() {
        Map<Integer, String> map = new HashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            map.put(i, "v");
        }
        LIVE.add(map);
        return map;
    }

    static Map<Integer, String> growGeneratedMap(Map<Integer, String> map) {
        for (int i = 0; i < ENTRIES; i++) {
            map.put(i, "v");
        }
        LIVE.add(map);
        return map;
    }
}
