package dev.mapretention.agent.kinds;

import java.util.List;

/**
 * One call that the instrumentation puts into a JDK map class: in method {@code method} (by name
 * and descriptor), at its start or before each of its returns, a static call of
 * {@code hookMethod} on the boot-side class {@code hookClass} with {@code arguments}. The call
 * adds no locals and no branches, so the method's stack map frames stay valid.
 *
 * @param method     the method's name ({@code <init>} for a constructor)
 * @param descriptor the method's descriptor
 * @param atEntry    true: at the start; false: before every return
 * @param hookClass  the internal name of the boot-side hooks class
 * @param hookMethod its static method, which must take the arguments' types and return void
 * @param arguments  what is passed, in order
 */
public record Hook(String method, String descriptor, boolean atEntry, String hookClass, String hookMethod,
                   List<Argument> arguments) {

    /** The boot-side package, as an internal name prefix. */
    static final String BOOT = "dev/mapretention/agent/boot/";

    /** Before each return of {@code method}. */
    static Hook atReturn(String method, String descriptor, String hooks, String hookMethod, Argument... arguments) {
        return new Hook(method, descriptor, false, BOOT + hooks, hookMethod, List.of(arguments));
    }

    /** At the start of {@code method}. */
    static Hook atEntry(String method, String descriptor, String hooks, String hookMethod, Argument... arguments) {
        return new Hook(method, descriptor, true, BOOT + hooks, hookMethod, List.of(arguments));
    }

    /** The hook method's descriptor, from its arguments. */
    public String hookDescriptor() {
        StringBuilder d = new StringBuilder("(");
        for (Argument a : arguments) {
            d.append(a.parameterType());
        }
        return d.append(")V").toString();
    }

    /**
     * One argument of the hook call.
     *
     * @param source        where it comes from
     * @param fieldName     for a field of {@code this}: its name
     * @param fieldType     for a field: its descriptor as declared
     * @param parameterType its type in the hook method's descriptor
     */
    public record Argument(Source source, String fieldName, String fieldType, String parameterType) {

        /** Where an argument comes from. */
        public enum Source { RETURNED_TABLE, THIS, FIELD }

        static final String TABLE = "[Ljava/lang/Object;";

        /** The table the method is about to return (only before an {@code areturn}). */
        static Argument returnedTable() {
            return new Argument(Source.RETURNED_TABLE, null, null, TABLE);
        }

        /** The map itself. */
        static Argument map() {
            return new Argument(Source.THIS, null, null, "Ljava/lang/Object;");
        }

        /** An int field of the map (its size). */
        static Argument intField(String name) {
            return new Argument(Source.FIELD, name, "I", "I");
        }

        /** The map's table field, declared as {@code type}, passed as {@code Object[]}. */
        static Argument tableField(String name, String type) {
            return new Argument(Source.FIELD, name, type, TABLE);
        }
    }
}
