package de.prokommun.insights.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The TCP sockets this JVM and its child processes (Pinot's JVM) listen on, read from Linux's /proc the way a port
 * scanner on the machine would see them: /proc/net/tcp{,6} lists every listening socket with its local address and
 * inode, /proc/PID/fd tells which inodes belong to our process tree.
 */
final class ListeningSockets {

    /** One listening socket: its address as /proc shows it (hex, IPv4 or IPv6) and port. */
    record Listener(String address, int port, boolean ipv6) {
        /** 127.0.0.0/8, ::1, or 127.x mapped into IPv6 (::ffff:127.x.y.z). */
        boolean loopback() {
            if (!ipv6) return address.endsWith("7F"); // little-endian: the first octet is last
            if (address.equals("00000000000000000000000001000000")) return true; // ::1
            return address.startsWith("0000000000000000FFFF0000") && address.endsWith("7F");
        }

        String readable() {
            if (ipv6) return "[" + address + "]:" + port;
            int a = Integer.parseUnsignedInt(address, 16);
            return (a & 0xff) + "." + (a >> 8 & 0xff) + "." + (a >> 16 & 0xff) + "." + (a >>> 24) + ":" + port;
        }
    }

    private static final String LISTEN = "0A";
    private static final Pattern SOCKET = Pattern.compile("socket:\\[(\\d+)]");

    private ListeningSockets() {}

    /** Every socket in LISTEN state owned by this process or one of its descendants. */
    static List<Listener> ofThisProcessTree() {
        Set<String> ours = socketInodes(ProcessHandle.current());
        ProcessHandle.current().descendants().forEach(p -> ours.addAll(socketInodes(p)));
        List<Listener> listeners = new ArrayList<>();
        listeners.addAll(read(Path.of("/proc/net/tcp"), false, ours));
        listeners.addAll(read(Path.of("/proc/net/tcp6"), true, ours));
        return listeners;
    }

    private static List<Listener> read(Path table, boolean ipv6, Set<String> inodes) {
        List<Listener> found = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.exists(table) ? Files.readAllLines(table) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.trim().split("\\s+");
            // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
            if (f.length < 10 || !f[3].equals(LISTEN) || !inodes.contains(f[9])) continue;
            String[] local = f[1].split(":");
            found.add(new Listener(local[0], Integer.parseInt(local[1], 16), ipv6));
        }
        return found;
    }

    private static Set<String> socketInodes(ProcessHandle process) {
        Set<String> inodes = new HashSet<>();
        Path fds = Path.of("/proc", String.valueOf(process.pid()), "fd");
        try (Stream<Path> links = Files.list(fds)) {
            links.forEach(link -> {
                try {
                    Matcher m = SOCKET.matcher(Files.readSymbolicLink(link).toString());
                    if (m.matches()) inodes.add(m.group(1));
                } catch (IOException closedMeanwhile) {
                    // a descriptor closed between listing and reading is not a listener
                }
            });
        } catch (IOException goneMeanwhile) {
            // a process that ended between listing and reading has no listeners
        }
        return inodes;
    }
}
