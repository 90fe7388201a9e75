/**
 * The file-system SPI: every file Tributary reads or writes (checkpoints, the write-ahead log,
 * file streams, part files) goes through a {@link io.tributary.fs.FileSystem} found by the path's
 * URI scheme with {@link io.tributary.fs.FileSystems#forPath}. Local paths are built in; add
 * {@code io.tributary:tributary-hadoop} for {@code hdfs://}, {@code s3a://} and any Hadoop
 * FileSystem, or implement a {@link io.tributary.fs.FileSystemProvider}. This package depends on
 * nothing else in Tributary.
 */
package io.tributary.fs;
