package io.tributary.rdd;

import io.tributary.StreamingConf;
import io.tributary.TaskContext;
import java.io.Serializable;
import java.util.Iterator;
import java.util.Map;

/**
 * What a result task of a {@link LineageJob} does with the records of its partition (collect,
 * count, foreach, write a part file, ...), for the tasks of another JVM.
 */
public final class ResultTask implements Serializable {
  private static final long serialVersionUID = 1L;
  private final byte[] function;
  private final StreamingConf conf;

  ResultTask(byte[] function, StreamingConf conf) {
    this.function = function;
    this.conf = conf;
  }

  /**
   * Runs the task on {@code records} (of {@link LineageSegment#compute}) and returns its result
   * and its accumulator updates encoded with the context's serializer, for {@link
   * LineageJob#result(byte[])} on the driver.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public byte[] run(TaskContext engineTask, Map<String, String> localProperties, Iterator<?> records) throws Exception {
    RddContext context = RddContext.forExecutor(conf);
    TaskFunction f = (TaskFunction) LineageStreams.read(function, o -> {});
    TaskContext task = LineageSegment.jobTask(engineTask, localProperties, context);
    Jobs.TaskResult<?> result = Jobs.withAccumulators(() -> f.apply(task, records)); // updates travel with it
    Map<Long, Serializable> updates = new java.util.HashMap<>(result.accumulatorUpdates()); // serializer-neutral
    return context.serializer().serialize(new Jobs.TaskResult<>(result.value(), updates));
  }
}
