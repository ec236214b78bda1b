package de.prokommun.insights.bench.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Resident set size of this process and all its descendants (the Pinot child JVM), from /proc/PID/status. */
final class ProcessTreeMemory {
    private ProcessTreeMemory() {}

    record Sample(long totalKb, long ownKb, long childrenKb, int processes) {}

    static Sample sample() {
        long own = vmRssKb(ProcessHandle.current().pid());
        List<ProcessHandle> children = new ArrayList<>(ProcessHandle.current().descendants().toList());
        long childKb = 0;
        for (ProcessHandle c : children) childKb += vmRssKb(c.pid());
        return new Sample(own + childKb, own, childKb, 1 + children.size());
    }

    private static long vmRssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
            }
        } catch (IOException | RuntimeException gone) {
            // the process ended between listing and reading
        }
        return 0;
    }
}
