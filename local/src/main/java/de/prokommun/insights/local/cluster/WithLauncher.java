package de.prokommun.insights.local.cluster;

import java.util.Arrays;

/**
 * Entry point of every node of {@code ./run-cluster}: {@code WithLauncher LAUNCHER_PID MAIN_CLASS ARGS...} runs
 * {@code MAIN_CLASS} and ends this JVM (its shutdown hooks run) when the launcher's process is gone — a launcher
 * killed without its shutdown hooks must not leave fifteen JVMs holding ports and data.
 */
public final class WithLauncher {
    private WithLauncher() {}

    public static void main(String[] args) throws Throwable {
        if (args.length < 2) {
            System.err.println("usage: WithLauncher LAUNCHER_PID MAIN_CLASS [ARGS...]");
            System.exit(2);
        }
        long launcher = Long.parseLong(args[0]);
        ProcessHandle.of(launcher).ifPresentOrElse(
                parent -> parent.onExit().thenRun(() -> System.exit(0)),
                () -> System.exit(3));
        try {
            Class.forName(args[1]).getMethod("main", String[].class).invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
