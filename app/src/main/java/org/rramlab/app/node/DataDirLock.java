package org.rramlab.app.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * An exclusive lock on a data directory, held for the life of a node. A second node on the same
 * directory is refused before it touches the journal or the broker's log. The operating system
 * releases the lock when the process dies, so a crash never leaves the directory locked.
 */
public final class DataDirLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws DataDirInUseException when another node holds the directory */
    public static DataDirLock acquire(Path dataDir) {
        Path file = dataDir.resolve("node.lock");
        try {
            Files.createDirectories(dataDir);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
                channel.close();
                throw new DataDirInUseException("data directory " + dataDir + " is in use by another rramlab node ("
                        + (holder.isEmpty() ? "unknown holder" : holder) + "); stop that node first, or start this one"
                        + " with --data-dir pointing at another directory");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + ", since " + Instant.now())
                    .getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
            return new DataDirLock(channel, lock);
        } catch (IOException e) {
            throw new IllegalStateException("cannot lock data directory " + dataDir + ": " + e.getMessage()
                    + "; check that it exists and is writable", e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
    }

    /** Another node holds the data directory. */
    public static final class DataDirInUseException extends RuntimeException {
        public DataDirInUseException(String message) {
            super(message);
        }
    }
}
