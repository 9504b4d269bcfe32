package dev.mapretention.agent.census;

import java.util.Locale;

/** Where the census library is built for, and where it sits in the agent jar. */
public final class CensusPlatform {

    /** The one platform the library is built for. */
    public static final String SUPPORTED = "linux-x86_64";

    /** The library in the agent jar. */
    public static final String RESOURCE = "native/" + SUPPORTED + "/libmapretention.so";

    private CensusPlatform() {
    }

    /** This JVM's platform, as {@link #SUPPORTED} writes it. */
    public static String current() {
        String os = System.getProperty("os.name", "unknown").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "unknown").toLowerCase(Locale.ROOT);
        String osName = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "macos"
                : os.startsWith("windows") ? "windows" : os.replace(' ', '-');
        String archName = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch;
        return osName + "-" + archName;
    }

    public static boolean supported() {
        return SUPPORTED.equals(current());
    }

    /** The one line for a platform the census is not built for. */
    public static String notAvailable() {
        return "the heap census is available on " + SUPPORTED + " only, not on " + current()
                + "; everything else works here";
    }
}
