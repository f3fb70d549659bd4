package dev.earshot.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A port that was free on the loopback address a moment ago, for tests that start ranks or servers. */
public final class LoopbackPort {
  private LoopbackPort() {}

  public static int free() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
