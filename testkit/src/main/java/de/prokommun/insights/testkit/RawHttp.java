package de.prokommun.insights.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 request with the request target exactly as given, over a plain socket: Java's and Vert.x's clients
 * refuse or re-encode a malformed target such as "/api/v1/%zz", which a careless client still sends.
 */
public final class RawHttp {
    private RawHttp() {}

    public record Response(int status, String head, String body) {}

    public static Response get(String host, int port, String rawTarget) throws IOException {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + rawTarget + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String response = readAll(socket.getInputStream());
            int headEnd = response.indexOf("\r\n\r\n");
            String head = headEnd < 0 ? response : response.substring(0, headEnd);
            String body = headEnd < 0 ? "" : response.substring(headEnd + 4);
            int status = Integer.parseInt(head.split(" ", 3)[1]);
            return new Response(status, head, body);
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
