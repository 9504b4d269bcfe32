package dev.mapretention.cli;

import com.sun.tools.attach.VirtualMachineDescriptor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code list}: the JVMs the attach API sees on this machine, each with whether the agent is
 * loaded. That is read from the system property {@code dev.mapretention.agent.loaded}, which the
 * agent sets while it runs: reading it needs only the attach API, not a JMX connector started in
 * every JVM on the machine.
 */
final class ListCommand implements Command {

    /** JVMs probed at once. */
    private static final int PROBES = 8;

    @Override
    public String label() {
        return "list";
    }

    @Override
    public String synopsis() {
        return "";
    }

    @Override
    public String description() {
        return "the JVMs on this machine: pid, whether the agent is loaded, main class";
    }

    @Override
    public void run(Arguments args, Console console) throws UsageException, CommandFailedException {
        args.end(null);
        List<VirtualMachineDescriptor> vms = new ArrayList<>(TargetJvm.listed());
        String self = Long.toString(ProcessHandle.current().pid());
        vms.removeIf(vm -> vm.id().equals(self));
        vms.sort(Comparator.comparingLong(vm -> Long.parseLong(vm.id())));
        // Probed side by side: a JVM that does not answer holds the list up for the attach
        // timeout (10 s) once, not once for each such JVM.
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(PROBES, vms.size())), r -> {
            Thread thread = new Thread(r, "map-retention-list");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<String[]>> probes = new ArrayList<>();
            for (VirtualMachineDescriptor vm : vms) {
                probes.add(pool.submit(() -> probe(vm)));
            }
            console.out().printf("%-8s %-6s %s%n", "PID", "AGENT", "MAIN CLASS");
            for (int i = 0; i < vms.size(); i++) {
                String[] agent = probes.get(i).get();
                if (agent != null) {
                    console.out().printf("%-8s %-6s %s%s%n", vms.get(i).id(), agent[0], mainClass(vms.get(i)), agent[1]);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailedException("interrupted");
        } catch (ExecutionException e) {
            throw new CommandFailedException("list failed: " + TargetJvm.reason(e));
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@code yes}, {@code no} or {@code ?} and why; null when the JVM ended while being listed. */
    private static String[] probe(VirtualMachineDescriptor vm) {
        try (TargetJvm target = TargetJvm.attach(vm)) {
            return new String[] {target.agentOptions() == null ? "no" : "yes", ""};
        } catch (CommandFailedException e) {
            boolean alive = ProcessHandle.of(Long.parseLong(vm.id())).map(ProcessHandle::isAlive).orElse(false);
            return alive ? new String[] {"?", "  (" + e.getMessage() + ")"} : null;
        }
    }

    /** The main class or jar, without the program's arguments (which may hold secrets). */
    static String mainClass(VirtualMachineDescriptor vm) {
        String name = vm.displayName().trim();
        if (name.isEmpty() || name.equals(vm.id())) {
            return "(unknown)";
        }
        int space = name.indexOf(' ');
        return space < 0 ? name : name.substring(0, space);
    }
}
