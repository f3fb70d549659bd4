package dev.earshot.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.earshot.testing.LoopbackPort;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** A rendezvous on a loopback address listens on loopback only: nothing on the network can reach the store. */
class LoopbackStoreTest {
  private static final String IPV4_MAPPED = "0000000000000000FFFF0000";

  @Test
  void theStoreOfALoopbackRunListensOnLoopbackOnly() throws Exception {
    assumeThat(Path.of("/proc/net/tcp")).as("Linux /proc").exists();
    int port = LoopbackPort.free();
    try (ProcessGroup group = ProcessGroup.join(0, 1, "127.0.0.1", port, Duration.ofSeconds(60))) {
      List<String> listeners = listenersOn(port);
      assertThat(listeners).as("listening addresses on port %d", port).containsExactly("0100007F");
      // the store works through that socket: a one-rank all-reduce goes through the store's rendezvous
      try (TensorScope scope = TensorScope.newBaseScope()) {
        Tensor x = scope.ones(new Shape(3));
        group.allReduceSum(List.of(x));
        assertThat(x.toFloatArray()).containsExactly(1f, 1f, 1f);
      }
    }
  }

  @Test
  void aTakenPortIsNamed() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      int port = taken.getLocalPort();
      assertThatThrownBy(() -> ProcessGroup.join(0, 1, "127.0.0.1", port, Duration.ofSeconds(10)))
          .isInstanceOf(ProcessGroup.Failure.class)
          .hasMessageContaining("127.0.0.1:" + port);
    }
  }

  /**
   * Local IPv4 addresses (hex, as /proc/net/tcp writes them) of the sockets listening on {@code port}; an IPv6
   * socket bound to an IPv4-mapped address (Java's default socket family) counts as that IPv4 address.
   */
  private static List<String> listenersOn(int port) throws Exception {
    String portHex = String.format(Locale.ROOT, ":%04X", port);
    List<String> addresses = new ArrayList<>();
    for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
      if (!Files.isReadable(Path.of(table))) {
        continue;
      }
      for (String line : Files.readAllLines(Path.of(table))) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 3 && f[1].endsWith(portHex) && f[3].equals("0A")) {
          String address = f[1].substring(0, f[1].length() - portHex.length());
          addresses.add(address.startsWith(IPV4_MAPPED) ? address.substring(IPV4_MAPPED.length()) : address);
        }
      }
    }
    return addresses;
  }
}
