package io.tributary.streaming;

import io.tributary.rdd.Dependency;
import io.tributary.rdd.Rdd;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.stream.Stream;

/** Looks at the state datasets in a stateful stream's lineage, for tests. */
final class StateLineage {
  private StateLineage() {}

  /** How many state datasets the lineage of {@code rdd} reaches (the length of its state chain). */
  static int stateDepth(Rdd<?> rdd) {
    return (int) states(rdd).count();
  }

  /** How many state datasets in the lineage of {@code rdd} are checkpointed. */
  static int checkpointedStates(Rdd<?> rdd) {
    return (int) states(rdd).filter(Rdd::isCheckpointed).count();
  }

  /** The number of dataset checkpoints written under {@code dir}. */
  static long checkpointFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith("rdd-")).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The data checkpoint directories the lineages of {@code rdds} reach (what computing them may read). */
  static Set<String> reachableCheckpoints(java.util.Collection<? extends Rdd<?>> rdds) {
    Set<Rdd<?>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    rdds.forEach(rdd -> collect(rdd, seen));
    Set<String> dirs = new java.util.TreeSet<>();
    seen.forEach(rdd -> rdd.getCheckpointFile().ifPresent(dirs::add));
    return dirs;
  }

  private static Stream<Rdd<?>> states(Rdd<?> rdd) {
    Set<Rdd<?>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    collect(rdd, seen);
    return seen.stream().filter(r -> r.name() != null && r.name().startsWith("state "));
  }

  private static void collect(Rdd<?> rdd, Set<Rdd<?>> seen) {
    if (seen.add(rdd)) {
      for (Dependency dep : rdd.dependencies()) {
        collect(dep.parent(), seen);
      }
    }
  }
}
