package io.tributary.internal.fs;

import io.tributary.fs.FileStatus;
import io.tributary.fs.FileSystem;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The input files a path names: a file, the visible files of a directory, or a glob's matches. */
public final class FileListing {
  private FileListing() {}

  /** Hidden files start with {@code .} or {@code _} (in-progress copies, markers, checksums). */
  public static boolean isVisible(String name) {
    return !name.startsWith(".") && !name.startsWith("_");
  }

  /** The last component of a path. */
  public static String nameOf(String path) {
    String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    return p.substring(p.lastIndexOf('/') + 1);
  }

  /**
   * Visible files at {@code path}, sorted: the file itself, the visible files of a directory, or
   * those of a glob's matches ({@code *}, {@code ?}, {@code [abc]}, {@code {a,b}} in any component).
   * Fails with {@link IllegalArgumentException} naming the path when nothing is there.
   */
  public static List<String> visibleFiles(FileSystem fs, String path) {
    try {
      List<FileStatus> matches = glob(fs, path);
      if (matches.isEmpty()) {
        throw new IllegalArgumentException(
            "Input path '" + path + "' does not exist: check the path and the file system URI");
      }
      List<String> files = new ArrayList<>();
      for (FileStatus status : matches) {
        if (status.directory()) {
          for (FileStatus child : fs.list(status.path())) {
            if (child.isFile() && isVisible(child.name())) {
              files.add(child.path());
            }
          }
        } else {
          files.add(status.path());
        }
      }
      Collections.sort(files);
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list input path '" + path + "'", e);
    }
  }

  private static boolean hasGlob(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '*' || c == '?' || c == '[' || c == '{') {
        return true;
      }
    }
    return false;
  }

  /** What {@code path} matches, as a glob; a path without glob characters matches itself if it exists. */
  static List<FileStatus> glob(FileSystem fs, String path) throws IOException {
    if (!hasGlob(path)) {
      try {
        return List.of(fs.status(path));
      } catch (FileNotFoundException e) {
        return List.of();
      }
    }
    String qualified = fs.qualify(path);
    int first = -1;
    for (int i = 0; i < qualified.length() && first < 0; i++) {
      if ("*?[{".indexOf(qualified.charAt(i)) >= 0) {
        first = i;
      }
    }
    int base = qualified.lastIndexOf('/', first);
    List<String> current = List.of(qualified.substring(0, base + 1));
    List<FileStatus> statuses = List.of();
    for (String component : qualified.substring(base + 1).split("/")) {
      if (component.isEmpty()) {
        continue;
      }
      List<FileStatus> next = new ArrayList<>();
      PathMatcher matcher = hasGlob(component)
          ? java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + component.replace("[^", "[!"))
          : null;
      for (String dir : current) {
        if (matcher == null) {
          try {
            next.add(fs.status(fs.child(dir, component)));
          } catch (FileNotFoundException e) {
            // no match below this directory
          }
          continue;
        }
        List<FileStatus> children;
        try {
          if (!fs.status(dir).directory()) {
            continue;
          }
          children = fs.list(dir);
        } catch (FileNotFoundException e) {
          continue;
        }
        for (FileStatus child : children) {
          if (matcher.matches(java.nio.file.Path.of(child.name()))) {
            next.add(child);
          }
        }
      }
      statuses = next;
      current = next.stream().map(FileStatus::path).toList();
    }
    return statuses;
  }
}
