package io.tributary.flume;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.function.BiConsumer;

/**
 * Watches the Avro Netty framing of a connection's requests (a pack: serial and frame count, then
 * each frame as its length and bytes) and closes the connection when a request is over {@code
 * maxRequestBytes} or its framing makes no sense, before Avro's decoder buffers it. Passes the
 * bytes on unchanged. One instance per connection.
 */
final class RequestSizeLimit extends ChannelInboundHandlerAdapter {
  /** Avro's framing allows any count; no Flume client sends more frames than this in one request. */
  private static final int MAX_FRAMES = 1 << 20;

  private final long maxRequestBytes;
  private final BiConsumer<Boolean, String> onViolation;
  private final byte[] word = new byte[8];
  private int wordFilled;
  private boolean inHeader = true;
  private int framesLeft;
  private long bodyLeft = -1; // bytes left of the current frame; -1 while reading its length
  private long requestBytes;
  private boolean failed;

  /** @param onViolation called with (oversized, description) once, before the connection closes */
  RequestSizeLimit(long maxRequestBytes, BiConsumer<Boolean, String> onViolation) {
    this.maxRequestBytes = maxRequestBytes;
    this.onViolation = onViolation;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (failed) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof ByteBuf buf) {
      String problem = inspect(buf, buf.readerIndex(), buf.writerIndex());
      if (problem != null) {
        failed = true;
        ReferenceCountUtil.release(msg);
        onViolation.accept(problem.startsWith("request of"), problem);
        ctx.close();
        return;
      }
    }
    ctx.fireChannelRead(msg);
  }

  /** Advances the framing state over {@code buf[from, to)}; a description of what is wrong, or null. */
  private String inspect(ByteBuf buf, int from, int to) {
    int i = from;
    while (i < to) {
      if (inHeader || bodyLeft < 0) {
        int need = inHeader ? 8 : 4;
        while (wordFilled < need && i < to) {
          word[wordFilled++] = buf.getByte(i++);
        }
        if (wordFilled < need) {
          return null;
        }
        wordFilled = 0;
        requestBytes += need;
        if (inHeader) {
          int count = intAt(4);
          if (count < 0 || count > MAX_FRAMES) {
            return "a request announced " + count + " frames: not Avro RPC framing";
          }
          inHeader = count == 0;
          framesLeft = count;
          requestBytes = count == 0 ? 0 : 8;
        } else {
          int length = intAt(0);
          if (length < 0) {
            return "a request announced a frame of " + length + " bytes: not Avro RPC framing";
          }
          bodyLeft = length;
        }
      } else {
        int n = (int) Math.min(bodyLeft, to - i);
        i += n;
        bodyLeft -= n;
        requestBytes += n;
      }
      if (requestBytes > maxRequestBytes) {
        return "request of more than " + maxRequestBytes + " bytes, over streaming.flume.maxRequestBytes: lower "
            + "the sender's batch size (the avro sink's batch-size) or raise that setting";
      }
      if (!inHeader && bodyLeft == 0) {
        bodyLeft = -1;
        if (--framesLeft == 0) {
          inHeader = true;
          requestBytes = 0;
        }
      }
    }
    return null;
  }

  private int intAt(int offset) {
    return ((word[offset] & 0xff) << 24) | ((word[offset + 1] & 0xff) << 16) | ((word[offset + 2] & 0xff) << 8)
        | (word[offset + 3] & 0xff);
  }
}
