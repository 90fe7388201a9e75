package bench.jmh;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The run settings all micro-benchmarks inherit: one fork with a 3 GB heap, 3 warm-up and 5
 * measured iterations of 2 s each. The command line overrides them ({@code -f -wi -i -w -r}).
 */
@Fork(value = 1, jvmArgsAppend = "-Xmx3g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public abstract class MicroBenchmark {}
