package dev.sealpost.api.interfaces.web;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The proxies ({@code sealpost.trusted-proxies}: addresses or CIDR blocks) whose {@code
 * X-Forwarded-For} / {@code X-Forwarded-Proto} are believed. Anyone else could forge them.
 */
public final class TrustedProxies {
  private record Block(byte[] network, int prefix) {}

  private final List<Block> blocks;

  public TrustedProxies(List<String> cidrs) {
    this.blocks = cidrs.stream().map(TrustedProxies::parse).toList();
  }

  private static Block parse(String cidr) {
    String[] parts = cidr.split("/", 2);
    byte[] addr = literal(parts[0]);
    if (addr == null) {
      throw new IllegalArgumentException("not an IP address: " + parts[0]);
    }
    int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : addr.length * 8;
    return new Block(addr, prefix);
  }

  /** Parses only IP literals: never a DNS lookup. */
  private static byte[] literal(String s) {
    if (!s.matches("[0-9a-fA-F:.]+")) {
      return null;
    }
    try {
      return InetAddress.getByName(s).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  public boolean trusts(String remoteAddr) {
    if (blocks.isEmpty() || remoteAddr == null) {
      return false;
    }
    byte[] addr = literal(remoteAddr);
    if (addr == null) {
      return false;
    }
    for (Block b : blocks) {
      if (b.network().length == addr.length && samePrefix(b.network(), addr, b.prefix())) {
        return true;
      }
    }
    return false;
  }

  private static boolean samePrefix(byte[] a, byte[] b, int prefix) {
    int bits = a.length * 8;
    if (prefix > bits) {
      return false;
    }
    BigInteger mask =
        BigInteger.ONE
            .shiftLeft(bits)
            .subtract(BigInteger.ONE)
            .shiftRight(bits - prefix)
            .shiftLeft(bits - prefix);
    return new BigInteger(1, a).and(mask).equals(new BigInteger(1, b).and(mask));
  }
}
