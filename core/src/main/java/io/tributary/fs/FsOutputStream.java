package io.tributary.fs;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A file being written, with the two durability points the write-ahead log relies on: {@link
 * #hflush} (what was written survives this process dying and is visible to new readers) and {@link
 * #hsync} (it also survives the machine losing power).
 */
public abstract class FsOutputStream extends OutputStream {
  /** The number of bytes written to this file so far: the offset of the next byte. */
  public abstract long position() throws IOException;

  /** Hands everything written so far to the file system: it survives this process dying. */
  public abstract void hflush() throws IOException;

  /** Like {@link #hflush}, and forces it to the storage device: it survives a power loss. */
  public abstract void hsync() throws IOException;
}
