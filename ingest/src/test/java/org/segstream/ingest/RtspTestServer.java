package org.segstream.ingest;

import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Test support: a small real RTSP server (RFC 2326) on loopback for one live H.264 stream. A real
 * ffmpeg process encodes a clip in a loop at its own rate and sends it as RTP (and RTCP) to this
 * server, which answers OPTIONS, DESCRIBE (ffmpeg's SDP), SETUP, PLAY and TEARDOWN and relays every
 * packet to its playing clients: interleaved on the RTSP connection ({@code RTP/AVP/TCP}) or to the
 * client's UDP ports ({@code RTP/AVP}).
 */
final class RtspTestServer implements AutoCloseable {
    private static final Pattern INTERLEAVED = Pattern.compile("interleaved=(\\d+)-(\\d+)");
    private static final Pattern CLIENT_PORT = Pattern.compile("client_port=(\\d+)-(\\d+)");

    /** A client after SETUP: where its RTP and RTCP go. */
    private record Client(Socket connection, OutputStream out, int rtpChannel, int rtcpChannel,
                          InetSocketAddress rtpPort, InetSocketAddress rtcpPort) {
    }

    private final ServerSocket listener;
    private final DatagramSocket rtpIn;
    private final DatagramSocket rtcpIn;
    private final DatagramSocket rtpOut;
    private final DatagramSocket rtcpOut;
    private final Process encoder;
    private final String sdp;
    private final List<Client> playing = new CopyOnWriteArrayList<>();
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    /** The lower transport of every SETUP received: "tcp" or "udp". */
    final List<String> transports = new CopyOnWriteArrayList<>();
    /** Every session id handed out by SETUP. */
    final List<String> sessions = new CopyOnWriteArrayList<>();

    /** Serves {@code clip} (looped, at its native rate) on {@code rtsp://127.0.0.1:port/live}; port 0 picks a free one. */
    static RtspTestServer start(Path clip, int port, Path workDir) throws IOException, InterruptedException {
        return new RtspTestServer(clip, port, workDir);
    }

    private RtspTestServer(Path clip, int port, Path workDir) throws IOException, InterruptedException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        listener = new ServerSocket();
        listener.setReuseAddress(true); // restarted on the same port by the reconnect test
        listener.bind(new InetSocketAddress(loopback, port));
        rtpIn = new DatagramSocket(new InetSocketAddress(loopback, 0));
        rtcpIn = new DatagramSocket(new InetSocketAddress(loopback, 0));
        rtpOut = new DatagramSocket(new InetSocketAddress(loopback, 0));
        rtcpOut = new DatagramSocket(new InetSocketAddress(loopback, 0));
        Path sdpFile = workDir.resolve("rtsp-" + UUID.randomUUID() + ".sdp");
        encoder = new ProcessBuilder("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re", "-stream_loop", "-1",
                "-i", clip.toString(), "-an", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "5",
                "-pix_fmt", "yuv420p", "-f", "rtp", "-sdp_file", sdpFile.toString(),
                "rtp://127.0.0.1:" + rtpIn.getLocalPort() + "?rtcpport=" + rtcpIn.getLocalPort() + "&pkt_size=1200")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            await("ffmpeg's SDP file").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> hasSdp(sdpFile) || !encoder.isAlive());
        } catch (ConditionTimeoutException timedOut) {
            // reported just below, as when ffmpeg exits without one
        }
        if (!hasSdp(sdpFile)) {
            close();
            throw new IOException("ffmpeg wrote no SDP for its RTP stream");
        }
        sdp = describe(Files.readString(sdpFile));
        daemon("rtsp-relay-rtp", () -> relay(rtpIn, true));
        daemon("rtsp-relay-rtcp", () -> relay(rtcpIn, false));
        daemon("rtsp-accept", this::accept);
    }

    private static boolean hasSdp(Path sdpFile) throws IOException {
        return Files.exists(sdpFile) && Files.size(sdpFile) > 0 && Files.readString(sdpFile).contains("rtpmap");
    }

    int port() {
        return listener.getLocalPort();
    }

    String url() {
        return "rtsp://127.0.0.1:" + port() + "/live";
    }

    /** ffmpeg's SDP as an RTSP session description: no fixed port, one track with its control URL. */
    private static String describe(String rtpSdp) {
        StringBuilder out = new StringBuilder();
        for (String line : rtpSdp.split("\r?\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("m=video ")) {
                out.append(line.replaceFirst("^m=video \\d+", "m=video 0")).append("\r\n");
                out.append("a=control:trackID=0\r\n");
            } else if (line.startsWith("c=")) {
                out.append("c=IN IP4 0.0.0.0\r\n");
            } else {
                out.append(line).append("\r\n");
            }
        }
        return out.toString();
    }

    private static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                connections.add(socket);
                daemon("rtsp-connection", () -> serve(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** One RTSP connection: requests in, responses out; interleaved packets from the client (RTCP reports) are skipped. */
    private void serve(Socket socket) {
        Client client = null;
        try (socket) {
            var in = new DataInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            String session = null;
            while (true) {
                int first = in.read();
                if (first < 0) {
                    return;
                }
                if (first == '$') { // an interleaved frame from the client: channel, 16-bit length, data
                    in.readUnsignedByte();
                    in.skipNBytes(in.readUnsignedShort());
                    continue;
                }
                List<String> lines = readHead(in, (char) first);
                String[] requestLine = lines.get(0).split(" ");
                Map<String, String> headers = new LinkedHashMap<>();
                for (String line : lines.subList(1, lines.size())) {
                    int colon = line.indexOf(':');
                    if (colon > 0) {
                        headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                    }
                }
                int bodyLength = Integer.parseInt(headers.getOrDefault("content-length", "0"));
                in.skipNBytes(bodyLength);
                String cseq = headers.getOrDefault("cseq", "0");
                String method = requestLine[0];
                Map<String, String> reply = new LinkedHashMap<>();
                String body = "";
                switch (method) {
                    case "OPTIONS" -> reply.put("Public", "OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER");
                    case "DESCRIBE" -> {
                        reply.put("Content-Base", url() + "/");
                        reply.put("Content-Type", "application/sdp");
                        body = sdp;
                    }
                    case "SETUP" -> {
                        String transport = headers.getOrDefault("transport", "");
                        session = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
                        sessions.add(session);
                        Matcher tcp = INTERLEAVED.matcher(transport);
                        Matcher udp = CLIENT_PORT.matcher(transport);
                        InetAddress peer = socket.getInetAddress();
                        if (transport.contains("/TCP") && tcp.find()) {
                            int rtp = Integer.parseInt(tcp.group(1));
                            int rtcp = Integer.parseInt(tcp.group(2));
                            client = new Client(socket, out, rtp, rtcp, null, null);
                            transports.add("tcp");
                            reply.put("Transport", "RTP/AVP/TCP;unicast;interleaved=" + rtp + "-" + rtcp);
                        } else if (udp.find()) {
                            int rtp = Integer.parseInt(udp.group(1));
                            int rtcp = Integer.parseInt(udp.group(2));
                            client = new Client(socket, out, -1, -1, new InetSocketAddress(peer, rtp), new InetSocketAddress(peer, rtcp));
                            transports.add("udp");
                            reply.put("Transport", "RTP/AVP;unicast;client_port=" + rtp + "-" + rtcp
                                    + ";server_port=" + rtpOut.getLocalPort() + "-" + rtcpOut.getLocalPort());
                        } else {
                            respond(out, 461, "Unsupported Transport", cseq, null, Map.of(), "");
                            continue;
                        }
                    }
                    case "PLAY" -> {
                        reply.put("Range", "npt=0.000-");
                        respond(out, 200, "OK", cseq, session, reply, "");
                        if (client != null && !playing.contains(client)) {
                            playing.add(client);
                        }
                        continue;
                    }
                    case "TEARDOWN" -> {
                        playing.remove(client);
                        respond(out, 200, "OK", cseq, session, reply, "");
                        return;
                    }
                    default -> { // GET_PARAMETER and other keep-alives
                    }
                }
                respond(out, 200, "OK", cseq, session, reply, body);
            }
        } catch (IOException e) {
            // the client went away, or the server is closing
        } finally {
            if (client != null) {
                playing.remove(client);
            }
            connections.remove(socket);
        }
    }

    /** The request line and headers up to the blank line; {@code first} is the request's first character, already read. */
    private static List<String> readHead(InputStream in, char first) throws IOException {
        List<String> lines = new ArrayList<>();
        var line = new ByteArrayOutputStream();
        line.write(first);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException();
            }
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
                line.reset();
                if (text.isEmpty()) {
                    return lines;
                }
                lines.add(text);
            } else {
                line.write(b);
            }
        }
    }

    private static void respond(OutputStream out, int code, String reason, String cseq, String session, Map<String, String> headers,
                                String body) throws IOException {
        var text = new StringBuilder("RTSP/1.0 ").append(code).append(' ').append(reason).append("\r\n");
        text.append("CSeq: ").append(cseq).append("\r\n");
        if (session != null) {
            text.append("Session: ").append(session).append(";timeout=60\r\n");
        }
        headers.forEach((k, v) -> text.append(k).append(": ").append(v).append("\r\n"));
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        if (content.length > 0) {
            text.append("Content-Length: ").append(content.length).append("\r\n");
        }
        text.append("\r\n");
        synchronized (out) { // the relay writes interleaved packets on the same stream
            out.write(text.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
        }
    }

    /** Copies every packet ffmpeg sends to every playing client. */
    private void relay(DatagramSocket from, boolean rtp) {
        byte[] buffer = new byte[65536];
        var packet = new DatagramPacket(buffer, buffer.length);
        while (!from.isClosed()) {
            try {
                from.receive(packet);
            } catch (IOException closed) {
                return;
            }
            for (Client client : playing) {
                try {
                    if (client.rtpPort() != null) {
                        DatagramSocket out = rtp ? rtpOut : rtcpOut;
                        out.send(new DatagramPacket(buffer, packet.getLength(), rtp ? client.rtpPort() : client.rtcpPort()));
                    } else {
                        byte[] frame = new byte[4 + packet.getLength()];
                        frame[0] = '$';
                        frame[1] = (byte) (rtp ? client.rtpChannel() : client.rtcpChannel());
                        frame[2] = (byte) (packet.getLength() >> 8);
                        frame[3] = (byte) packet.getLength();
                        System.arraycopy(buffer, 0, frame, 4, packet.getLength());
                        synchronized (client.out()) {
                            client.out().write(frame);
                            client.out().flush();
                        }
                    }
                } catch (IOException gone) {
                    playing.remove(client);
                }
            }
        }
    }

    /** Stops serving: the listener, every connection and the encoder go away, as a camera that loses power. */
    @Override
    public void close() throws IOException, InterruptedException {
        listener.close();
        playing.clear();
        for (Socket socket : connections) {
            socket.close();
        }
        rtpIn.close();
        rtcpIn.close();
        rtpOut.close();
        rtcpOut.close();
        encoder.destroyForcibly();
        encoder.waitFor(10, TimeUnit.SECONDS);
    }
}
