package dev.earshot.tensor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The listening socket of a rendezvous store hosted on a loopback address, bound to that address only.
 *
 * <p>c10d's {@code TCPStore} binds its server to every interface of the machine ({@code [::]:port}) whatever
 * address the ranks meet at, so a run that meets on 127.0.0.1 would still accept connections from the network.
 * For a loopback address, rank 0 therefore opens the socket itself, bound to that address, and hands its file
 * descriptor to the store ({@code TCPStoreOptions.masterListenFd}). The store owns the descriptor from then on;
 * the channel object is kept reachable for the life of the process and never closed, so its descriptor number is
 * never closed twice. Linux only (the descriptor is found through /proc), as are earshot's natives.
 */
final class LoopbackStoreSocket {
  /** Channels handed to a store: kept so that they are never collected (their descriptors belong to the store). */
  private static final List<ServerSocketChannel> HANDED_OVER = new ArrayList<>();

  private LoopbackStoreSocket() {}

  /**
   * For a loopback {@code address}: a socket listening on {@code address:port} only, as a file descriptor for
   * the store; empty for other addresses (the store binds as it does) or when the descriptor cannot be found.
   *
   * @throws IOException when the port is taken on that address
   */
  static OptionalInt listen(String address, int port) throws IOException {
    InetAddress host = InetAddress.getByName(address);
    if (!host.isLoopbackAddress() || !Files.isDirectory(Path.of("/proc/self/fd"))) {
      return OptionalInt.empty();
    }
    ServerSocketChannel channel = ServerSocketChannel.open();
    try {
      channel.bind(new InetSocketAddress(host, port), 128);
      int bound = ((InetSocketAddress) channel.getLocalAddress()).getPort();
      OptionalInt fd = descriptorOf(listenerInodes(bound));
      if (fd.isEmpty()) {
        channel.close();
        return OptionalInt.empty();
      }
      synchronized (HANDED_OVER) {
        HANDED_OVER.add(channel);
      }
      return fd;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** The socket inodes of every listener on {@code port} (any address, any process), from /proc/net/tcp{,6}. */
  private static Set<String> listenerInodes(int port) throws IOException {
    Set<String> inodes = new HashSet<>();
    String portHex = String.format(Locale.ROOT, ":%04X", port);
    for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
      Path path = Path.of(table);
      if (!Files.isReadable(path)) {
        continue;
      }
      for (String line : Files.readAllLines(path)) {
        // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
        String[] f = line.trim().split("\\s+");
        if (f.length > 9 && f[1].endsWith(portHex) && f[3].equals("0A")) {
          inodes.add("socket:[" + f[9] + "]");
        }
      }
    }
    return inodes;
  }

  /** This process's descriptor of one of {@code sockets} (as /proc/self/fd links name them). */
  private static OptionalInt descriptorOf(Set<String> sockets) throws IOException {
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
      for (Path fd : fds) {
        try {
          if (sockets.contains(Files.readSymbolicLink(fd).toString())) {
            return OptionalInt.of(Integer.parseInt(fd.getFileName().toString()));
          }
        } catch (IOException | NumberFormatException e) {
          // a descriptor closed while listing, or not a number: not ours
        }
      }
    }
    return OptionalInt.empty();
  }
}
