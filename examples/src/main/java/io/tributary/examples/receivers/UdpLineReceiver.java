package io.tributary.examples.receivers;

import io.tributary.StorageLevel;
import io.tributary.streaming.receiver.Receiver;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * An unreliable receiver: each UDP datagram on a port is one record (its text, UTF-8). UDP cannot
 * be acknowledged or replayed, so records go through the fast buffered {@code store(record)} and
 * what is buffered when the process dies is lost, as are datagrams the network drops. Use it for
 * metrics and logs where that is acceptable. The socket is bound in {@code onStart} and closed in
 * {@code onStop}; a socket error restarts the receiver.
 */
public final class UdpLineReceiver extends Receiver<String> {
  private static final int MAX_DATAGRAM = 65_507;
  private final String host;
  private final int port;
  private transient volatile DatagramSocket socket;

  /** Listens on {@code host:port} ({@code port} 0 picks a free one: see {@link #boundPort()}). */
  public UdpLineReceiver(String host, int port) {
    super(StorageLevel.MEMORY_AND_DISK_SER_2);
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("UDP port must be in 0..65535, got " + port);
    }
    this.host = host;
    this.port = port;
  }

  /** The port the socket is bound to while the receiver runs, else -1. */
  public int boundPort() {
    DatagramSocket s = socket;
    return s == null ? -1 : s.getLocalPort();
  }

  @Override
  public void onStart() {
    try {
      socket = new DatagramSocket(new InetSocketAddress(host, port));
    } catch (SocketException e) {
      throw new IllegalStateException("Cannot listen for UDP on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    Thread thread = new Thread(this::receive, "udp-receiver-" + streamId());
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void onStop() {
    DatagramSocket s = socket;
    if (s != null) {
      s.close(); // ends the blocking receive below
    }
  }

  private void receive() {
    DatagramSocket s = socket;
    byte[] buffer = new byte[MAX_DATAGRAM];
    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
    try {
      while (!isStopped()) {
        packet.setLength(buffer.length);
        s.receive(packet);
        store(new String(packet.getData(), packet.getOffset(), packet.getLength(), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      if (!isStopped() && !s.isClosed()) {
        restart("UDP socket on " + host + ":" + port + " failed", e);
      }
    }
  }
}
