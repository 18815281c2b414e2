package io.paystream.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Directories for one test JVM's (or one benchmark's) files, deleted with everything in them when
 * the JVM exits. A run leaves nothing in the temporary directory behind: the tests write servers'
 * data, clusters and sandboxes there (a mapped sandbox alone is 670 MB), and a full build once
 * filled a 250 GB disk across runs, after which MariaDB's install failed with no hint why.
 */
public final class ScratchDirectories {
    private static final List<Path> CREATED = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ScratchDirectories::deleteAll, "scratch-directories-delete"));
    }

    private ScratchDirectories() {}

    /** A new empty directory under java.io.tmpdir whose name begins with {@code prefix}. */
    public static Path create(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            synchronized (CREATED) {
                CREATED.add(dir);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create a directory under " + System.getProperty("java.io.tmpdir"), e);
        }
    }

    private static void deleteAll() {
        List<Path> dirs;
        synchronized (CREATED) {
            dirs = new ArrayList<>(CREATED);
        }
        dirs.forEach(ScratchDirectories::deleteRecursively);
    }

    // Here, not in SharedServers: a class first loaded during shutdown (SharedServers registers a
    // hook in its static initializer) fails there, and nothing was deleted.
    /** Deletes {@code root} and everything under it, as far as it can; nothing if it is null or absent. */
    public static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp files are the OS's to clean otherwise
        }
    }
}
