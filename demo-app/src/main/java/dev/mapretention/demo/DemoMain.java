package dev.mapretention.demo;

public final class DemoMain {
    public static void main(String[] args) {
    }
}
