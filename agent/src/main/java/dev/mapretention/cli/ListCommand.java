package dev.mapretention.cli;

import com.sun.tools.attach.VirtualMachineDescriptor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Future;

/**
 * {@code list}: the JVMs the attach API sees on this machine, each with whether the agent is
 * loaded. That is read from the system property {@code dev.mapretention.agent.loaded}, which the
 * agent sets while it runs: reading it needs only the attach API, not a JMX connector started in
 * every JVM on the machine.
 *
 * <p>It answers within {@link ListedJvm#ANSWER_LIMIT} (plus its own start-up) whatever the other
 * JVMs do: they are all asked at once, and one that has not answered by then, or cannot be asked,
 * is shown with {@code ?} and a short reason.
 */
final class ListCommand implements Command {

    /** The attach API's wait for a JVM to start its attach listener; see {@link ListedJvm#ATTACH_TIMEOUT_MILLIS}. */
    private static final String ATTACH_TIMEOUT_PROPERTY = "sun.tools.attach.attachTimeout";

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
    public void run(Arguments args, Console console) throws UsageException {
        args.end(null);
        long deadline = System.nanoTime() + ListedJvm.ANSWER_LIMIT.toNanos();
        boolean ownTimeout = System.getProperty(ATTACH_TIMEOUT_PROPERTY) == null;
        if (ownTimeout) {
            System.setProperty(ATTACH_TIMEOUT_PROPERTY, Long.toString(ListedJvm.ATTACH_TIMEOUT_MILLIS));
        }
        try {
            List<VirtualMachineDescriptor> vms = new ArrayList<>(TargetJvm.listed());
            String self = Long.toString(ProcessHandle.current().pid());
            vms.removeIf(vm -> vm.id().equals(self));
            vms.sort(Comparator.comparingLong(vm -> Long.parseLong(vm.id())));
            List<Future<ListedJvm.Answer>> answers = new ArrayList<>();
            for (VirtualMachineDescriptor vm : vms) {
                answers.add(ListedJvm.ask(vm));
            }
            console.out().printf("%-8s %-6s %s%n", "PID", "AGENT", "MAIN CLASS");
            for (int i = 0; i < vms.size(); i++) {
                VirtualMachineDescriptor vm = vms.get(i);
                ListedJvm.Answer answer = ListedJvm.await(answers.get(i), Long.parseLong(vm.id()), deadline);
                if (answer != null) {
                    console.out().printf("%-8s %-6s %s%s%n", vm.id(), answer.agent(), mainClass(vm),
                            answer.reason().isEmpty() ? "" : "  (" + answer.reason() + ")");
                }
            }
        } finally {
            if (ownTimeout) {
                System.clearProperty(ATTACH_TIMEOUT_PROPERTY);
            }
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
