package io.segfx.stats;

import java.nio.charset.StandardCharsets;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.core.source64.XoRoShiRo128PlusPlus;

/**
 * Deterministic random streams keyed by what they are for. A stream depends only on the run seed
 * and the key parts (for example experiment, metric and variant), never on partitioning, task order
 * or retries. Key parts are hashed with 64-bit FNV-1a over their UTF-8 bytes, mixed with the
 * SplitMix64 finaliser (Steele, Lea &amp; Flood, "Fast splittable pseudorandom number generators",
 * OOPSLA 2014), and the two words of state of an XoRoShiRo128++ generator (Blackman &amp; Vigna,
 * 2018) are the next two SplitMix64 outputs.
 */
public final class Seeds {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private Seeds() {}

  /** A generator for the stream named by {@code parts} under {@code runSeed}. */
  public static UniformRandomProvider of(long runSeed, String... parts) {
    long h = mix(runSeed ^ GOLDEN);
    for (String part : parts) {
      h = mix(h ^ fnv1a(part) + GOLDEN);
    }
    long s0 = mix(h + GOLDEN);
    long s1 = mix(h + 2 * GOLDEN);
    if (s0 == 0 && s1 == 0) {
      s1 = GOLDEN;
    }
    return new XoRoShiRo128PlusPlus(s0, s1);
  }

  static long fnv1a(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= (b & 0xff);
      h *= 0x100000001b3L;
    }
    return h;
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
