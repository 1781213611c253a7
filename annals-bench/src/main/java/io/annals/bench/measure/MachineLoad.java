package io.annals.bench.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What else the machine is doing: printed with each run, since other work skews the figures. */
public final class MachineLoad {

    private static final Path LOADAVG = Path.of("/proc/loadavg");

    private MachineLoad() {
    }

    /** E.g. {@code 2 cores, load average 1.52 1.20 0.98}, or just the cores where /proc is absent. */
    public static String describe() {
        String cores = Runtime.getRuntime().availableProcessors() + " cores";
        try {
            String[] fields = Files.readString(LOADAVG).trim().split("\\s+");
            return cores + ", load average " + fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return cores;
        }
    }
}
