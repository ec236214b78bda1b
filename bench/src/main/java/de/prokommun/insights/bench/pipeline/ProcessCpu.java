package de.prokommun.insights.bench.pipeline;

import java.lang.management.ManagementFactory;

/**
 * The CPU this JVM has used (all its threads: Kafka, Flink, RocksDB's native threads, GC, JIT) and the time its JIT
 * compilers spent compiling (the JVM's own count, wall time of the compilations), at one moment; the difference of two
 * is what a run cost.
 */
record ProcessCpu(double cpuSeconds, double compilationSeconds) {

    static ProcessCpu now() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var jit = ManagementFactory.getCompilationMXBean();
        double compiling = jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() / 1e3 : 0;
        return new ProcessCpu(os.getProcessCpuTime() / 1e9, compiling);
    }

    ProcessCpu minus(ProcessCpu earlier) {
        return new ProcessCpu(cpuSeconds - earlier.cpuSeconds, compilationSeconds - earlier.compilationSeconds);
    }
}
