package dev.mapretention.agent.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The JFR event committed once for each map when it becomes oversized (retained or never-filled),
 * once per episode: from then until the map is refilled. A reused map's cycles commit none; once
 * its refills stop, it is retained and has one. Its stack trace is off:
 * it is committed on the agent's scanner thread, and the {@code site} field carries the code that
 * grew the map.
 */
@Name(OversizedMapEvent.NAME)
@Label("Oversized Map")
@Category({"Java Application", "Map Retention"})
@Description("A JDK hash map has stayed sparse for the grace period while keeping its peak-size table, and is not reused")
@StackTrace(false)
final class OversizedMapEvent extends Event {

    static final String NAME = "dev.mapretention.OversizedMap";

    @Label("Site")
    @Description("The frames of the stack that grew the map (or drained it, after a late attach), innermost first")
    String site;

    @Label("Site Kind")
    @Description("growth, drain-after-attach or regrowth-after-attach")
    String siteKind;

    @Label("Container")
    @Description("What the application holds: HashMap, ConcurrentHashMap, Hashtable, IdentityHashMap, WeakHashMap, a set or Properties built on one, or a subclass")
    String container;

    @Label("Map Type")
    @Description("The class of the map object itself")
    String mapType;

    @Label("Capacity")
    @Description("The length of the map's table, in slots")
    int capacity;

    @Label("Size")
    @Description("The number of entries in the map")
    int size;

    @Label("Wasted")
    @Description("The map's table minus the table the copy its advice makes would allocate")
    @DataAmount
    long wastedBytes;

    @Label("Pattern")
    @Description("retained (drained and left sparse) or never-filled (sized far above anything it held)")
    String pattern;

    @Label("Refills")
    @Description("How many times the map went back to the sparse limit after being sparse")
    int refills;

    @Label("Peak Size")
    @Description("The most entries the map was seen holding")
    int peakSize;

    @Label("Sparse For")
    @Description("How long the map has been sparse")
    @Timespan(Timespan.MILLISECONDS)
    long sparseFor;
}
