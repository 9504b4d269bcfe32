package dev.mapretention.agent.census;

/**
 * What the application holds, by class name, as the report names it: a JDK class by its simple
 * name with nesting as in source ({@code HashMap}, {@code ConcurrentHashMap.KeySetView}), a user
 * subclass by its simple name.
 */
final class Containers {

    private Containers() {
    }

    static String name(String className) {
        String simple = className.substring(className.lastIndexOf('.') + 1);
        if (className.startsWith("java.") || className.startsWith("javax.") || className.startsWith("jdk.")) {
            return simple.replace('$', '.');
        }
        int nested = simple.lastIndexOf('$');
        if (nested >= 0 && nested + 1 < simple.length() && !Character.isDigit(simple.charAt(nested + 1))) {
            return simple.substring(nested + 1);
        }
        return simple;
    }

    /** The map an entry class belongs to: {@code java.util.HashMap$Node} is a {@code HashMap}'s. */
    static String ofEntry(String entryClass) {
        int nested = entryClass.indexOf('$');
        return name(nested > 0 ? entryClass.substring(0, nested) : entryClass);
    }
}
