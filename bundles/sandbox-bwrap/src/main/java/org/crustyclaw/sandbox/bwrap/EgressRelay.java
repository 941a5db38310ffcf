package org.crustyclaw.sandbox.bwrap;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs inside a bwrap sandbox, in its empty network namespace, as the sandbox user: listens
 * on {@code 127.0.0.1:PORT} and carries each connection to the egress proxy's Unix socket
 * bound in from the host. It only moves bytes; what may go out is the proxy's business, and
 * the socket is the sandbox's only way out (the namespace has nothing but loopback).
 * A standalone program on the JDK alone, one class file (no lambdas or nested classes), so
 * that the backend can copy it out of its bundle.
 *
 * <p>Arguments: port, socket path, the file to create once listening.
 */
public final class EgressRelay implements Runnable {

    private final Socket tcp;
    private final SocketChannel unix;
    private final boolean up;

    private EgressRelay(Socket tcp, SocketChannel unix, boolean up) {
        this.tcp = tcp;
        this.unix = unix;
        this.up = up;
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        UnixDomainSocketAddress proxy = UnixDomainSocketAddress.of(args[1]);
        try (ServerSocket server = new ServerSocket(port, 64, InetAddress.getLoopbackAddress())) {
            Files.createFile(Path.of(args[2]));
            while (true) {
                Socket client = server.accept();
                SocketChannel channel;
                try {
                    channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                    channel.connect(proxy);
                } catch (IOException e) {
                    System.err.println("crustyclaw egress relay: cannot reach the proxy at " + args[1] + ": " + e);
                    client.close();
                    continue;
                }
                client.setTcpNoDelay(true);
                Thread upThread = new Thread(new EgressRelay(client, channel, true), "up");
                upThread.setDaemon(true);
                upThread.start();
                Thread down = new Thread(new EgressRelay(client, channel, false), "down");
                down.setDaemon(true);
                down.start();
            }
        }
    }

    @Override
    public void run() {
        byte[] bytes = new byte[65536];
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        try {
            if (up) {
                InputStream in = tcp.getInputStream();
                int n;
                while ((n = in.read(bytes)) > 0) {
                    buffer.clear().limit(n);
                    while (buffer.hasRemaining()) {
                        unix.write(buffer);
                    }
                }
                unix.shutdownOutput();
            } else {
                OutputStream out = tcp.getOutputStream();
                int n;
                while ((n = unix.read(buffer.clear())) > 0) {
                    out.write(bytes, 0, n);
                }
                tcp.shutdownOutput();
            }
        } catch (IOException e) {
            close();
            return;
        }
        if (!up) {
            // the proxy ends every exchange by closing: nothing more will come either way
            close();
        }
    }

    private void close() {
        try {
            tcp.close();
        } catch (IOException e) {
            // gone already
        }
        try {
            unix.close();
        } catch (IOException e) {
            // gone already
        }
    }
}
