package dev.mapretention.testing;

import dev.mapretention.testing.ForkedJvm.Jdk;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;
import org.junit.jupiter.params.provider.ArgumentsSource;
import org.junit.jupiter.params.support.ParameterDeclarations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.stream.Stream;

/**
 * The source of a forked test's {@link Jdk} argument: one run for each JDK that
 * {@code -Dmapretention.jdks} selects ({@link Jdk#selected()}); a JDK left out is not run at all.
 * Used with {@code @ParameterizedTest} in place of {@code @EnumSource(Jdk.class)}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ArgumentsSource(JdkSource.SelectedJdks.class)
public @interface JdkSource {

    /** Provides {@link Jdk#selected()}. */
    final class SelectedJdks implements ArgumentsProvider {
        @Override
        public Stream<? extends Arguments> provideArguments(ParameterDeclarations parameters, ExtensionContext context) {
            return Jdk.selected().stream().map(Arguments::of);
        }
    }
}
