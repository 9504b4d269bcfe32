package dev.mapretention.agent.report;

import java.util.Objects;

/**
 * What holds a map, as a heap census found it: the reference a user can look up in their code.
 * Class names are written as {@code Class.getName()} writes them. Two owners are equal when they
 * name the same holder, so that maps held alike group together.
 *
 * <ul>
 *   <li>{@code field}: an instance field ({@code className} declares it; {@code objectClass} is
 *       the class of the object holding it, when that is a subclass);</li>
 *   <li>{@code static}: a static field of a class or interface;</li>
 *   <li>{@code local}: a local variable of a thread, in {@code frame};</li>
 *   <li>{@code array-element}: an element of an array of class {@code className}, itself held by
 *       {@code holder} when the census traced it; {@code container} names the list that keeps its
 *       elements in that array ({@code ArrayList}), if any;</li>
 *   <li>{@code map-value} (or {@code map-key}): a value (key) in another map, of container
 *       {@code container}, held by {@code holder} when the census traced it;</li>
 *   <li>{@code jni}: a JNI reference ({@code scope} global or local; a local has a thread and frame);</li>
 *   <li>{@code other}: another root of the heap ({@code root}: monitor, system class, ...), or
 *       {@code unknown}.</li>
 * </ul>
 */
public record Owner(String kind, String className, String field, String objectClass, String thread, String frame,
                    String container, String detail, Owner holder) {

    /** How many owners deep a description goes; deeper holders are left out. */
    static final int MAX_DEPTH = 6;

    public static Owner field(String declaringClass, String field, String objectClass) {
        return new Owner("field", declaringClass, field,
                Objects.equals(objectClass, declaringClass) ? null : objectClass, null, null, null, null, null);
    }

    public static Owner staticField(String className, String field) {
        return new Owner("static", className, field, null, null, null, null, null, null);
    }

    public static Owner local(String thread, String frame) {
        return new Owner("local", null, null, null, thread, frame, null, null, null);
    }

    /**
     * An element of an array of this class, held by {@code arrayHolder}; {@code container} is the
     * list that keeps its elements in the array ({@code ArrayList}), or null for a plain array.
     */
    public static Owner arrayElement(String arrayClass, String container, Owner arrayHolder) {
        return new Owner("array-element", arrayClass, null, null, null, null, container, null, arrayHolder);
    }

    /** A value ({@code key} false) or key of a map of this container, held by {@code mapHolder}. */
    public static Owner inMap(boolean key, String container, Owner mapHolder) {
        return new Owner(key ? "map-key" : "map-value", null, null, null, null, null, container, null, mapHolder);
    }

    public static Owner jni(boolean global, String thread, String frame) {
        return new Owner("jni", null, null, null, thread, frame, null, global ? "global" : "local", null);
    }

    public static Owner other(String root) {
        return new Owner("other", null, null, null, null, null, null, root, null);
    }

    /** The JSON object, as the report writes it: also the owner's identity for grouping. */
    public String toJsonString() {
        StringBuilder out = new StringBuilder(96);
        toJson(out);
        return out.toString();
    }

    /** Appends the JSON object ({"kind": "field", "class": ..., ...}). */
    void toJson(StringBuilder out) {
        toJson(out, 0);
    }

    private void toJson(StringBuilder out, int depth) {
        out.append("{\"kind\": ");
        Json.string(out, kind);
        member(out, "class", className);
        member(out, "field", field);
        member(out, "objectClass", objectClass);
        member(out, "thread", thread);
        member(out, "frame", frame);
        member(out, "container", container);
        member(out, kind.equals("jni") ? "scope" : "root", detail);
        if (holder != null && depth < MAX_DEPTH) {
            out.append(", \"holder\": ");
            holder.toJson(out, depth + 1);
        }
        out.append('}');
    }

    private static void member(StringBuilder out, String name, String value) {
        if (value != null) {
            out.append(", \"").append(name).append("\": ");
            Json.string(out, value);
        }
    }

    /** In words, for "held by ...": {@code com.example.Cache.sessions}. */
    public String describe() {
        return describe(0);
    }

    private String describe(int depth) {
        String heldBy = holder == null || depth >= MAX_DEPTH ? null : holder.describe(depth + 1);
        switch (kind) {
            case "field":
                return className + "." + field + (objectClass == null ? "" : " (of a " + objectClass + ")");
            case "static":
                return "static " + className + "." + field;
            case "local":
                return "a local variable of thread " + thread + (frame == null ? "" : " in " + frame);
            case "array-element":
                return "an element of a" + (container == null ? " " + readableArray(className) : "n " + container)
                        + (heldBy == null ? " (held by something the census did not trace)" : " held by " + heldBy);
            case "map-value":
            case "map-key":
                return "a " + (kind.equals("map-key") ? "key" : "value") + " in a " + container
                        + (heldBy == null ? " (held by something the census did not trace)" : " held by " + heldBy);
            case "jni":
                return "a JNI " + detail + " reference" + (thread == null ? "" : " of thread " + thread)
                        + (frame == null ? "" : " in " + frame);
            default:
                return detail == null || detail.equals("unknown") ? "something the census did not trace"
                        : "a JVM root (" + detail + ")";
        }
    }

    /** {@code [Ljava.lang.Object;} as {@code java.lang.Object[]}, {@code [[I} as {@code int[][]}. */
    static String readableArray(String name) {
        if (name == null || !name.startsWith("[")) {
            return String.valueOf(name);
        }
        int dimensions = 0;
        while (dimensions < name.length() && name.charAt(dimensions) == '[') {
            dimensions++;
        }
        String element = name.substring(dimensions);
        switch (element) {
            case "Z": element = "boolean"; break;
            case "B": element = "byte"; break;
            case "C": element = "char"; break;
            case "S": element = "short"; break;
            case "I": element = "int"; break;
            case "J": element = "long"; break;
            case "F": element = "float"; break;
            case "D": element = "double"; break;
            default: element = element.startsWith("L") && element.endsWith(";")
                    ? element.substring(1, element.length() - 1) : element;
        }
        return element + "[]".repeat(dimensions);
    }
}
