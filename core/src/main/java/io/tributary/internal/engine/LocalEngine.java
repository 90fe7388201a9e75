package io.tributary.internal.engine;

import io.tributary.JobFailedException;
import io.tributary.TaskContext;
import io.tributary.engine.Engine;
import io.tributary.engine.StageTask;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the tasks of a stage on a fixed pool of threads in this JVM ({@code local[N]}), retrying a
 * failed task up to {@code task.maxFailures} attempts in all.
 */
public final class LocalEngine implements Engine {
  private static final Logger LOG = LoggerFactory.getLogger(LocalEngine.class);
  private static final int CLOSE_WAIT_SECONDS = 30;
  private static final ThreadLocal<Boolean> IN_TASK = ThreadLocal.withInitial(() -> false);

  private final int threads;
  private final int maxAttempts;
  private final ExecutorService pool;
  private final AtomicInteger stageIds = new AtomicInteger();
  private final AtomicLong taskIds = new AtomicLong();

  public LocalEngine(int threads, int maxAttempts) {
    this.threads = threads;
    this.maxAttempts = Math.max(1, maxAttempts);
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(() -> {
                IN_TASK.set(true);
                r.run();
              }, "tributary-task-" + n.getAndIncrement());
              t.setDaemon(true);
              return t;
            });
  }

  /** Parses {@code local}, {@code local[N]} or {@code local[*]} into a thread count. */
  public static int threadsOf(String master) {
    String m = master == null ? "" : master.trim();
    if (m.equals("local")) {
      return 1;
    }
    if (m.startsWith("local[") && m.endsWith("]")) {
      String n = m.substring(6, m.length() - 1).trim();
      if (n.equals("*")) {
        return Runtime.getRuntime().availableProcessors();
      }
      try {
        int threads = Integer.parseInt(n);
        if (threads >= 1) {
          return threads;
        }
      } catch (NumberFormatException ignored) {
        // falls through to the error below
      }
    }
    throw new IllegalArgumentException(
        "Cannot read master '" + master + "': use local, local[N] with N >= 1, or local[*]");
  }

  @Override
  public int parallelism() {
    return threads;
  }

  @Override
  public <U> List<U> runStage(int[] partitions, StageTask<U> task) {
    if (IN_TASK.get()) {
      throw new IllegalStateException(
          "An action (collect, count, foreach, ...) was called inside a task of another job: "
              + "datasets can only be used from the driver side, e.g. directly inside "
              + "foreachRDD or transform, not inside map or foreachPartition functions");
    }
    if (pool.isShutdown()) {
      throw new IllegalStateException("Cannot run a stage: this engine is closed");
    }
    return runStage(stageIds.getAndIncrement(), partitions, task);
  }

  /**
   * Runs one task per partition and returns their results in order. When a task fails, the others
   * are interrupted (those not started yet never start) and the failure is thrown only once every
   * task of the stage has ended: no task of a failed job outlives it.
   */
  private <U> List<U> runStage(int stage, int[] partitions, StageTask<U> task) {
    StageRun run = new StageRun();
    List<Future<U>> futures = new ArrayList<>(partitions.length);
    for (int p : partitions) {
      futures.add(pool.submit(() -> {
        if (!run.enter()) {
          return null;
        }
        try {
          return runTask(stage, p, task);
        } finally {
          run.exit();
        }
      }));
    }
    List<U> results = new ArrayList<>(partitions.length);
    try {
      for (Future<U> future : futures) {
        results.add(future.get());
      }
      return results;
    } catch (ExecutionException e) {
      run.abort(stage, futures);
      Throwable cause = e.getCause();
      if (cause instanceof JobFailedException jfe) {
        throw new JobFailedException(jfe.getMessage(), jfe.getCause());
      }
      throw new JobFailedException("Job failed: " + cause, cause);
    } catch (InterruptedException e) {
      run.abort(stage, futures);
      Thread.currentThread().interrupt();
      throw new JobFailedException("Job interrupted while waiting for stage " + stage, e);
    } catch (CancellationException e) {
      run.abort(stage, futures);
      throw new JobFailedException("Stage " + stage + " was cancelled", e);
    }
  }

  /** The tasks of one stage that are running; once aborted, tasks not started yet do nothing. */
  private static final class StageRun {
    private int running;
    private boolean aborted;

    synchronized boolean enter() {
      if (aborted) {
        return false;
      }
      running++;
      return true;
    }

    synchronized void exit() {
      running--;
      notifyAll();
    }

    /** Interrupts the running tasks and waits until every one has ended. */
    void abort(int stage, List<? extends Future<?>> futures) {
      synchronized (this) {
        aborted = true;
      }
      futures.forEach(f -> f.cancel(true));
      boolean interrupted = Thread.interrupted();
      long start = System.nanoTime();
      long nextWarning = 10;
      synchronized (this) {
        while (running > 0) {
          try {
            wait(1_000);
          } catch (InterruptedException e) {
            interrupted = true;
          }
          long waited = (System.nanoTime() - start) / 1_000_000_000L;
          if (running > 0 && waited >= nextWarning) {
            nextWarning *= 2;
            LOG.warn("Stage {} failed; still waiting for {} of its tasks to end after {} s (a task that ignores "
                + "interrupts, e.g. blocked in I/O, holds its job until it returns)", stage, running, waited);
          }
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private <U> U runTask(int stage, int partition, StageTask<U> task) {
    for (int attempt = 0; ; attempt++) {
      TaskContext context = new TaskContext(stage, partition, attempt, taskIds.getAndIncrement());
      TaskContext.set(context);
      try {
        return task.run(context);
      } catch (Throwable t) {
        if (attempt + 1 >= maxAttempts) {
          throw new JobFailedException(
              "Job failed: task for partition " + partition + " of stage " + stage
                  + " failed (attempt " + attempt + "): " + t,
              t);
        }
        LOG.warn("Task for partition {} of stage {} failed (attempt {}), retrying", partition,
            stage, attempt, t);
      } finally {
        TaskContext.set(null);
      }
    }
  }

  /**
   * Interrupts the running tasks and waits for them to end (at most {@link #CLOSE_WAIT_SECONDS}, with
   * a warning naming what still runs), so that nothing a task uses is closed under it.
   */
  @Override
  public void close() {
    pool.shutdownNow();
    if (IN_TASK.get()) {
      return; // a task closing its own engine would wait for itself
    }
    try {
      for (int waited = 0; !pool.awaitTermination(5, TimeUnit.SECONDS); waited += 5) {
        if (waited + 5 >= CLOSE_WAIT_SECONDS) {
          LOG.warn("Tasks still run {} s after the engine was closed and they were interrupted: they ignore "
              + "interrupts; closing without them", CLOSE_WAIT_SECONDS);
          return;
        }
        LOG.warn("Waiting for tasks that were interrupted {} s ago to end", waited + 5);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
