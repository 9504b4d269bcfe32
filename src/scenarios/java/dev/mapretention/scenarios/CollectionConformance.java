package dev.mapretention.scenarios;

import com.google.common.collect.testing.ConcurrentMapTestSuiteBuilder;
import com.google.common.collect.testing.MapTestSuiteBuilder;
import com.google.common.collect.testing.SetTestSuiteBuilder;
import com.google.common.collect.testing.TestStringMapGenerator;
import com.google.common.collect.testing.TestStringSetGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.Feature;
import com.google.common.collect.testing.features.MapFeature;
import com.google.common.collect.testing.features.SetFeature;
import junit.framework.Test;
import org.junit.runner.JUnitCore;
import org.junit.runner.Result;
import org.junit.runner.notification.Failure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Guava's collection conformance suites (guava-testlib) for HashMap, LinkedHashMap, HashSet,
 * LinkedHashSet, ConcurrentHashMap ({@code ConcurrentMapTestSuiteBuilder}), Hashtable, WeakHashMap
 * and {@code ConcurrentHashMap.newKeySet()}, with every feature the JDK classes have, run with
 * JUnit 4's {@link JUnitCore}. The test runs this with and without the agent and compares the
 * results, failures included: where a Guava tester disagrees with the JDK, it does so either way.
 *
 * <p>Under the test's options ({@code minCapacity=16}) every map the suites put an entry into is
 * tracked, and any with fewer than two entries is sparse, so the scanner flags maps while the
 * suites work on them.
 *
 * <p>Prints one line per suite, {@code SUITE <name> run=<n> failures=<n> ignored=<n>}, then each
 * failure, then {@code TOTAL run=<n> failures=<n>}. Exits 1 when any test failed.
 */
public final class CollectionConformance {

    private static final Feature<?>[] MAP_FEATURES = {
        MapFeature.GENERAL_PURPOSE,
        MapFeature.ALLOWS_NULL_KEYS,
        MapFeature.ALLOWS_NULL_VALUES,
        MapFeature.ALLOWS_ANY_NULL_QUERIES,
        MapFeature.FAILS_FAST_ON_CONCURRENT_MODIFICATION,
        CollectionFeature.SUPPORTS_ITERATOR_REMOVE,
        CollectionFeature.SERIALIZABLE,
        CollectionSize.ANY};

    private static final Feature<?>[] SET_FEATURES = {
        SetFeature.GENERAL_PURPOSE,
        CollectionFeature.ALLOWS_NULL_VALUES,
        CollectionFeature.FAILS_FAST_ON_CONCURRENT_MODIFICATION,
        CollectionFeature.SERIALIZABLE,
        CollectionSize.ANY};

    /** ConcurrentHashMap and Hashtable: no null keys or values, and null queries throw. */
    private static final Feature<?>[] NO_NULLS_MAP_FEATURES = {
        MapFeature.GENERAL_PURPOSE,
        CollectionFeature.SUPPORTS_ITERATOR_REMOVE,
        CollectionFeature.SERIALIZABLE,
        CollectionSize.ANY};

    /** WeakHashMap: nulls allowed, fail-fast iterators, not serializable. */
    private static final Feature<?>[] WEAK_MAP_FEATURES = {
        MapFeature.GENERAL_PURPOSE,
        MapFeature.ALLOWS_NULL_KEYS,
        MapFeature.ALLOWS_NULL_VALUES,
        MapFeature.ALLOWS_ANY_NULL_QUERIES,
        MapFeature.FAILS_FAST_ON_CONCURRENT_MODIFICATION,
        CollectionFeature.SUPPORTS_ITERATOR_REMOVE,
        CollectionSize.ANY};

    private CollectionConformance() {
    }

    public static void main(String[] args) {
        List<Test> suites = new ArrayList<>();
        suites.add(mapSuite("HashMap", false));
        suites.add(mapSuite("LinkedHashMap", true));
        suites.add(setSuite("HashSet", false));
        suites.add(setSuite("LinkedHashSet", true));
        suites.add(ConcurrentMapTestSuiteBuilder.using(generator(ConcurrentHashMap::new))
                .named("ConcurrentHashMap").withFeatures(NO_NULLS_MAP_FEATURES).createTestSuite());
        suites.add(MapTestSuiteBuilder.using(generator(Hashtable::new))
                .named("Hashtable").withFeatures(NO_NULLS_MAP_FEATURES)
                .withFeatures(MapFeature.FAILS_FAST_ON_CONCURRENT_MODIFICATION).createTestSuite());
        suites.add(MapTestSuiteBuilder.using(generator(WeakHashMap::new))
                .named("WeakHashMap").withFeatures(WEAK_MAP_FEATURES).createTestSuite());
        suites.add(SetTestSuiteBuilder.using(new TestStringSetGenerator() {
            @Override
            protected Set<String> create(String[] elements) {
                Set<String> set = ConcurrentHashMap.newKeySet();
                Collections.addAll(set, elements);
                return set;
            }
        }).named("ConcurrentHashMap.newKeySet").withFeatures(SetFeature.GENERAL_PURPOSE,
                CollectionFeature.SERIALIZABLE, CollectionSize.ANY).createTestSuite());
        int run = 0;
        int failures = 0;
        List<Failure> all = new ArrayList<>();
        JUnitCore junit = new JUnitCore();
        for (Test suite : suites) {
            Result result = junit.run(suite);
            run += result.getRunCount();
            failures += result.getFailureCount();
            all.addAll(result.getFailures());
            System.out.println("SUITE " + suite + " run=" + result.getRunCount() + " failures="
                    + result.getFailureCount() + " ignored=" + result.getIgnoreCount());
        }
        for (Failure failure : all) {
            System.out.println("FAILED " + failure.getTestHeader());
            System.out.println(failure.getTrace());
        }
        System.out.println("TOTAL run=" + run + " failures=" + failures);
        System.exit(failures == 0 ? 0 : 1);
    }

    private static TestStringMapGenerator generator(Supplier<Map<String, String>> newMap) {
        return new TestStringMapGenerator() {
            @Override
            protected Map<String, String> create(Map.Entry<String, String>[] entries) {
                Map<String, String> map = newMap.get();
                for (Map.Entry<String, String> e : entries) {
                    map.put(e.getKey(), e.getValue());
                }
                return map;
            }
        };
    }

    private static Test mapSuite(String name, boolean linked) {
        MapTestSuiteBuilder<String, String> builder = MapTestSuiteBuilder.using(new TestStringMapGenerator() {
            @Override
            protected Map<String, String> create(Map.Entry<String, String>[] entries) {
                Map<String, String> map = linked ? new LinkedHashMap<>() : new HashMap<>();
                for (Map.Entry<String, String> e : entries) {
                    map.put(e.getKey(), e.getValue());
                }
                return map;
            }
        }).named(name).withFeatures(MAP_FEATURES);
        if (linked) {
            builder.withFeatures(CollectionFeature.KNOWN_ORDER);
        }
        return builder.createTestSuite();
    }

    private static Test setSuite(String name, boolean linked) {
        SetTestSuiteBuilder<String> builder = SetTestSuiteBuilder.using(new TestStringSetGenerator() {
            @Override
            protected Set<String> create(String[] elements) {
                Set<String> set = linked ? new LinkedHashSet<>() : new HashSet<>();
                Collections.addAll(set, elements);
                return set;
            }
        }).named(name).withFeatures(SET_FEATURES);
        if (linked) {
            builder.withFeatures(CollectionFeature.KNOWN_ORDER);
        }
        return builder.createTestSuite();
    }
}
