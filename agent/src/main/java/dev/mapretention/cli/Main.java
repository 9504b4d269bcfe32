package dev.mapretention.cli;

/** The command line: {@code java -jar map-retention-agent.jar COMMAND ...}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("usage: java -jar map-retention-agent.jar help");
    }
}
