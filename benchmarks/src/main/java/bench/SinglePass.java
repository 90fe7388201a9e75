package bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * W1-limit, the physical reference for W1: the plain program a Java developer writes, one thread
 * that reads the bulk generator's socket line by line and counts words in a {@code HashMap} in one
 * pass. No engine, no batches, no tricks. Usage: {@code bench.Main W1-LIMIT --port P [--gen-status
 * FILE] [--lines N] [--vocab V] [--seed S]} (started by {@code run.sh W1-LIMIT} like W1).
 *
 * <p>{@code seconds} runs from the first line read to the end of the input (W1's {@code seconds}
 * likewise starts when data first arrives); {@code gen_seconds}, as in W1, from the generator's
 * {@code start_ms} (connection accepted). Verified against {@link Verifier}'s direct recomputation:
 * N lines, Σcount = 10·N, #keys = distinct words, checksum Σ wordHash(w)·count.
 */
final class SinglePass {
  private SinglePass() {}

  /** Runs the limit and prints its RESULT line; returns whether it verified. */
  static boolean run(Args a) throws Exception {
    long n = a.lng("lines", 20_000_000L);
    int vocab = a.integer("vocab", 10_000);
    long seed = a.lng("seed", DataGen.DEFAULT_SEED);
    HeapMonitor hm = new HeapMonitor().start();
    CpuMonitor cpu = new CpuMonitor().start();
    Map<String, Integer> counts = new HashMap<>();
    long lines = 0;
    long t0 = 0;
    try (Socket s = new Socket(a.str("host", "127.0.0.1"), a.integer("port", 9999));
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; lines++) {
        if (lines == 0) {
          t0 = System.nanoTime();
        }
        for (String w : line.split(" ")) {
          counts.merge(w, 1, Integer::sum);
        }
      }
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    long endMs = System.currentTimeMillis();
    hm.stop();
    String cpuSummary = cpu.summary();

    long sum = 0, checksum = 0;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      sum += e.getValue();
      checksum += DataGen.wordHash(e.getKey()) * e.getValue();
    }
    long[] exp = Verifier.summarize(Verifier.globalCounts(n, vocab, seed), DataGen.vocabHashes(vocab));
    boolean verified = lines == n && counts.size() == exp[0] && sum == exp[1] && sum == n * DataGen.WORDS_PER_LINE
        && checksum == exp[2];
    Long genStart = Main.readGenStart(a.str("gen-status", null), 5000);
    System.out.println(Main.throughput("W1-limit", n, secs) + Main.genSeconds(n, endMs, genStart)
        + " lines_read=" + lines + " keys=" + counts.size() + " expected_keys=" + exp[0] + " sum_counts=" + sum
        + " " + hm.summary() + " " + cpuSummary + " verified=" + verified);
    return verified;
  }
}
