package dev.mapretention.agent;

import dev.mapretention.agent.boot.MapTracker;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.scaffold.TypeValidation;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.is;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Puts the tracker's advice into {@code java.util.HashMap}: {@code resize}, {@code removeNode}
 * and {@code clear}, each a single call into {@link MapTracker}. HashMap is loaded long before any
 * agent, so this retransforms it in place (no new fields or methods) and can put the original
 * bytecode back with {@link Installed#reset}.
 */
final class HashMapInstrumentation {

    private HashMapInstrumentation() {
    }

    /** The installed advice, which can be taken out again. */
    static final class Installed {
        private final ResettableClassFileTransformer transformer;
        private final Instrumentation instrumentation;

        Installed(ResettableClassFileTransformer transformer, Instrumentation instrumentation) {
            this.transformer = transformer;
            this.instrumentation = instrumentation;
        }

        /** Retransforms HashMap back to its original bytecode; true when that worked. */
        boolean reset() {
            return transformer.reset(instrumentation, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION);
        }
    }

    /**
     * Installs the advice.
     *
     * @throws IllegalStateException when HashMap could not be retransformed, with the reason
     */
    static Installed install(Instrumentation instrumentation) {
        // Byte Buddy's Nexus is not needed (advice is inlined) and on JDK 25 it warns about Unsafe.
        System.setProperty("net.bytebuddy.nexus.disabled", "true");
        List<Throwable> errors = new ArrayList<>();
        ResettableClassFileTransformer transformer = new AgentBuilder.Default(
                        new ByteBuddy().with(TypeValidation.DISABLED))
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                // A failed retransformation is reported only here, not to the ordinary listener.
                .with(new AgentBuilder.RedefinitionStrategy.Listener.Adapter() {
                    @Override
                    public Iterable<? extends List<Class<?>>> onError(int index, List<Class<?>> batch,
                                                                      Throwable throwable, List<Class<?>> types) {
                        errors.add(throwable);
                        return List.of();
                    }
                })
                .with(new AgentBuilder.Listener.Adapter() {
                    @Override
                    public void onError(String typeName, ClassLoader classLoader, net.bytebuddy.utility.JavaModule module,
                                        boolean loaded, Throwable throwable) {
                        errors.add(throwable);
                    }
                })
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.REDEFINE)
                // The default ignores java.*: HashMap would silently be left alone.
                .ignore(none())
                .type(is(HashMap.class))
                .transform((builder, type, classLoader, module, protectionDomain) -> builder
                        .visit(Advice.to(ResizeAdvice.class).on(named("resize").and(takesArguments(0))))
                        .visit(Advice.to(RemoveNodeAdvice.class).on(named("removeNode")))
                        .visit(Advice.to(ClearAdvice.class).on(named("clear").and(takesArguments(0)))))
                .installOn(instrumentation);
        if (!errors.isEmpty()) {
            transformer.reset(instrumentation, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION);
            IllegalStateException failure = new IllegalStateException(
                    "could not retransform java.util.HashMap: " + errors.get(0));
            errors.forEach(failure::addSuppressed);
            throw failure;
        }
        return new Installed(transformer, instrumentation);
    }

    /** {@code HashMap.resize()}: after the new table is in place. */
    static final class ResizeAdvice {
        private ResizeAdvice() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class, backupArguments = false)
        static void exit(@Advice.This Object map, @Advice.FieldValue("size") int size,
                         @Advice.Return Object[] table) {
            MapTracker.resized(map, size, table);
        }
    }

    /**
     * {@code HashMap.removeNode(...)}: after a removal. Kept to one call so that removeNode stays
     * under C2's inlining limit for hot methods; the tracker acts only on the sparse edge.
     */
    static final class RemoveNodeAdvice {
        private RemoveNodeAdvice() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class, backupArguments = false)
        static void exit(@Advice.This Object map, @Advice.FieldValue("size") int size,
                         @Advice.FieldValue("table") Object[] table) {
            MapTracker.removed(map, size, table);
        }
    }

    /** {@code HashMap.clear()}: the size before, and the table kept after. */
    static final class ClearAdvice {
        private ClearAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static int enter(@Advice.FieldValue("size") int size) {
            return size;
        }

        @Advice.OnMethodExit(suppress = Throwable.class, backupArguments = false)
        static void exit(@Advice.This Object map, @Advice.Enter int sizeBefore,
                         @Advice.FieldValue("table") Object[] table) {
            MapTracker.cleared(map, sizeBefore, table);
        }
    }
}
