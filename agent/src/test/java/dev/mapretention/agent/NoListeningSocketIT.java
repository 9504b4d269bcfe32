package dev.mapretention.agent;

import dev.mapretention.scenarios.IdleTarget;
import dev.mapretention.testing.ForkedJvm;
import dev.mapretention.testing.ForkedJvm.Jdk;
import dev.mapretention.testing.JdkSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Security: the agent opens no listening socket. The listening TCP sockets, bound UDP sockets and
 * listening Unix sockets of a running target ({@link IdleTarget}) are read from {@code /proc} once
 * the agent's scanner runs and its MXBean is registered and has answered, and must be the same as
 * the target's without the agent.
 */
class NoListeningSocketIT {

    @ParameterizedTest
    @JdkSource
    void agentOpensNoListeningSocket(Jdk jdk) throws Exception {
        Set<String> without = listeningSocketsOf(ForkedJvm.on(jdk).main(IdleTarget.class));
        Set<String> with = listeningSocketsOf(ForkedJvm.on(jdk).agent("minCapacity=16,grace=0s,scanInterval=10ms")
                .main(IdleTarget.class, "await-agent"));
        assertEquals(without, with);
    }

    /** The reader itself: a socket this JVM listens on is seen, so an empty set means something. */
    @Test
    void readerSeesAListeningSocket() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Set<String> sockets = listeningSockets(ProcessHandle.current().pid());
            String port = String.format("%04X", server.getLocalPort());
            assertTrue(sockets.stream().anyMatch(s -> s.startsWith("tcp") && s.endsWith(":" + port)),
                    "port " + server.getLocalPort() + " not in " + sockets);
        }
    }

    private static Set<String> listeningSocketsOf(ForkedJvm jvm) throws Exception {
        try (ForkedJvm.Running running = jvm.start()) {
            running.awaitOutput("READY", Duration.ofSeconds(60));
            Set<String> sockets = listeningSockets(running.pid());
            try (OutputStream stdin = running.process().getOutputStream()) {
                stdin.write("exit\n".getBytes(StandardCharsets.UTF_8));
            }
            ForkedJvm.Result result = running.await(Duration.ofSeconds(30));
            assertEquals(0, result.exitCode(), result.describe());
            assertTrue(result.stdout().contains("BYE"), result.describe());
            return sockets;
        }
    }

    /**
     * The process's listening sockets, as {@code protocol local-address:port} (hex, as /proc writes
     * them) or {@code unix path}: the socket inodes among its file descriptors, matched against the
     * TCP sockets in state LISTEN, all UDP sockets, and Unix sockets that accept connections.
     */
    static Set<String> listeningSockets(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // a descriptor closed while listing: not a socket that stays open
                }
            }
        }
        Set<String> sockets = new TreeSet<>();
        Path net = Path.of("/proc", String.valueOf(pid), "net");
        for (String protocol : List.of("tcp", "tcp6", "udp", "udp6")) {
            List<String> lines = Files.readAllLines(net.resolve(protocol));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                boolean listening = protocol.startsWith("udp") || f[3].equals("0A");
                if (listening && inodes.contains(f[9])) {
                    sockets.add(protocol + " " + f[1]);
                }
            }
        }
        List<String> unix = Files.readAllLines(net.resolve("unix"));
        for (String line : unix.subList(1, unix.size())) {
            // Num RefCount Protocol Flags Type St Inode [Path]; flag 00010000 is __SO_ACCEPTCON (listening)
            String[] f = line.trim().split("\\s+");
            if (f[3].equals("00010000") && inodes.contains(f[6])) {
                sockets.add("unix " + (f.length > 7 ? f[7] : "(unnamed)"));
            }
        }
        return sockets;
    }
}
