package dev.earshot.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/**
 * Each rank's Gloo device binds to this machine's address on the route to rank 0: loopback for a run on one
 * machine, the machine's own address where rank 0 is that machine (never rank 0's address on another machine,
 * which no socket here could bind).
 */
class GlooAddressTest {
  @Test
  void theDeviceAddressIsThisMachinesOnTheRouteToRankZero() throws Exception {
    assertThat(ProcessGroup.localAddressTowards("127.0.0.1", 29500)).isEqualTo("127.0.0.1");
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InetAddress a : Collections.list(nic.getInetAddresses())) {
        if (nic.isUp() && !a.isLoopbackAddress() && a instanceof java.net.Inet4Address) {
          assertThat(ProcessGroup.localAddressTowards(a.getHostAddress(), 29500)).isEqualTo(a.getHostAddress());
        }
      }
    }
  }
}
