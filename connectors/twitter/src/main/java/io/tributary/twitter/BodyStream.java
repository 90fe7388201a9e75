package io.tributary.twitter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.net.http.HttpResponse;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A response body as an {@link InputStream} that hands out every byte received before an error,
 * then the error. (The JDK's {@code BodyHandlers.ofInputStream()} throws as soon as the connection
 * breaks and drops the buffers it still holds: the last posts before a disconnect would be lost.)
 * Reads ask the client for one more list of buffers at a time, so a slow reader slows the
 * connection instead of filling the heap. {@link #close()} from any thread ends a blocked read.
 */
final class BodyStream extends InputStream implements HttpResponse.BodySubscriber<InputStream> {
  private static final Object END = new Object();

  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private volatile Flow.Subscription subscription;
  private volatile boolean closed;
  private Iterator<ByteBuffer> buffers;
  private ByteBuffer current;
  private boolean ended;
  private Throwable error;

  /** The stream itself, at once: reading starts while the body is still arriving. */
  @Override
  public CompletionStage<InputStream> getBody() {
    return CompletableFuture.completedFuture(this);
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (closed) {
      s.cancel();
    } else {
      s.request(1);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> item) {
    queue.add(item);
  }

  @Override
  public void onError(Throwable t) {
    queue.add(t);
  }

  @Override
  public void onComplete() {
    queue.add(END);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    ByteBuffer buffer = nextBuffer();
    if (buffer == null) {
      return -1;
    }
    int n = Math.min(len, buffer.remaining());
    buffer.get(b, off, n);
    return n;
  }

  /** The current buffer with bytes left, waiting for one; null at the end. */
  @SuppressWarnings("unchecked")
  private ByteBuffer nextBuffer() throws IOException {
    while (current == null || !current.hasRemaining()) {
      if (buffers != null && buffers.hasNext()) {
        current = buffers.next();
        continue;
      }
      if (closed) {
        throw new IOException("closed");
      }
      if (ended) {
        return null;
      }
      if (error != null) {
        throw new IOException(error.getMessage(), error);
      }
      if (buffers != null) {
        buffers = null;
        Flow.Subscription s = subscription;
        if (s != null) {
          s.request(1);
        }
      }
      Object next;
      try {
        next = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      if (next == END) {
        ended = !closed;
      } else if (next instanceof Throwable t) {
        error = t;
      } else {
        buffers = ((List<ByteBuffer>) next).iterator();
      }
    }
    return current;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
    queue.add(END);   // wakes a blocked reader, which then sees closed
  }
}
