package dev.mapretention.agent.jmx;

import java.util.List;

/**
 * What {@code detach()} did, as JMX open data (a CompositeData with these items), so that a
 * client reads which classes were restored rather than parsing a sentence.
 */
public final class DetachOutcome {

    private final List<String> restored;
    private final List<String> notRestored;
    private final String message;

    DetachOutcome(List<String> restored, List<String> notRestored, String message) {
        this.restored = List.copyOf(restored);
        this.notRestored = List.copyOf(notRestored);
        this.message = message;
    }

    /** The JDK classes whose original bytecode is back. */
    public String[] getRestored() {
        return restored.toArray(new String[0]);
    }

    /** The classes that could not be retransformed back; their hooks do nothing any more. */
    public String[] getNotRestored() {
        return notRestored.toArray(new String[0]);
    }

    /** One line saying what was done. */
    public String getMessage() {
        return message;
    }
}
