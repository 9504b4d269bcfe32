package dev.mapretention.scenarios;

import com.sun.tools.attach.VirtualMachine;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A JVM that runs but does not answer the attach API, as a busy or hung one would not: its attach
 * listener, one thread that serves one request at a time, is kept waiting inside an agent's
 * {@code agentmain} that this JVM loaded into itself. Driven like {@link AttachTarget}: it prints
 * {@code READY pid} and answers each line with {@code COMMAND -> RESULT}.
 *
 * <ul>
 *   <li>{@code hog}: loads the waiting agent (a jar holding only a manifest that names this
 *       class) through the attach API; answers once {@code agentmain} waits</li>
 *   <li>{@code release}: lets {@code agentmain} return; the attach listener serves again</li>
 *   <li>{@code quit}: ends the JVM</li>
 * </ul>
 *
 * <p>Needs {@code -Djdk.attach.allowAttachSelf=true}, and on Java 21 and later
 * {@code -XX:+EnableDynamicAgentLoading} to load the agent without a warning.
 */
public final class BusyAttachListener {

    private static final CountDownLatch WAITING = new CountDownLatch(1);
    private static final CountDownLatch RELEASE = new CountDownLatch(1);

    private BusyAttachListener() {
    }

    /** Runs on the attach listener's thread, and keeps it until released (or for two minutes). */
    public static void agentmain(String args, Instrumentation instrumentation) throws InterruptedException {
        WAITING.countDown();
        RELEASE.await(2, TimeUnit.MINUTES);
    }

    public static void main(String[] args) throws Exception {
        System.out.println("READY " + ProcessHandle.current().pid());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Thread loader = null;
        for (String line; (line = in.readLine()) != null; ) {
            String result;
            switch (line.trim()) {
                case "hog": loader = hog(); result = "hogging"; break;
                case "release":
                    RELEASE.countDown();
                    if (loader != null) {
                        loader.join(TimeUnit.MINUTES.toMillis(1));
                    }
                    result = loader != null && loader.isAlive() ? "still loading" : "released";
                    break;
                case "quit": System.out.println(line + " -> bye"); return;
                default: result = "unknown command";
            }
            System.out.println(line + " -> " + result);
        }
    }

    private static Thread hog() throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Agent-Class", BusyAttachListener.class.getName());
        Path jar = Files.createTempFile("busy-attach-listener", ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.flush();
        }
        Thread loader = new Thread(() -> {
            try {
                VirtualMachine self = VirtualMachine.attach(Long.toString(ProcessHandle.current().pid()));
                try {
                    self.loadAgent(jar.toString());
                } finally {
                    self.detach();
                }
            } catch (Exception e) {
                e.printStackTrace();
            }
        }, "busy-attach-listener");
        loader.setDaemon(true);
        loader.start();
        try {
            if (!WAITING.await(1, TimeUnit.MINUTES)) {
                throw new IllegalStateException("agentmain did not start within a minute");
            }
        } finally {
            // The JVM read the manifest before it called agentmain; the class itself is on the class path.
            Files.delete(jar);
        }
        return loader;
    }
}
