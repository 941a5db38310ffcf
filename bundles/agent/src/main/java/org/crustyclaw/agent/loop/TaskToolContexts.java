package org.crustyclaw.agent.loop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.BiConsumer;

import org.crustyclaw.agent.store.TaskStore;
import org.crustyclaw.api.agent.SkillManifest;
import org.crustyclaw.api.policy.Subject;
import org.crustyclaw.api.sandbox.Sandboxes;
import org.crustyclaw.api.tool.ToolContext;

/**
 * One workspace per task, kept across resumes: the directory the request named (a checkout),
 * else {@code <tasks dir>/<task id>}, made on first use and recorded in the task row.
 */
public final class TaskToolContexts implements AgentLoop.TaskToolContextFactory {

    /** The sandbox user's ids: a fresh task workspace is theirs when the daemon is root. */
    static final int SANDBOX_UID = 65534;

    private final TaskStore store;
    private final Sandboxes sandboxes;
    private final Path tasksDir;
    private final int maxOutputChars;
    private final BiConsumer<String, String> progress;

    public TaskToolContexts(TaskStore store, Sandboxes sandboxes, Path tasksDir, int maxOutputChars,
            BiConsumer<String, String> progress) {
        this.store = store;
        this.sandboxes = sandboxes;
        this.tasksDir = tasksDir;
        this.maxOutputChars = maxOutputChars;
        this.progress = progress;
    }

    @Override
    public ToolContext create(String taskId, SkillManifest skill, Subject subject) {
        Path workspace = store.origin(taskId).workspace().orElseGet(() -> fresh(taskId));
        return new TaskToolContext(taskId, workspace, skill, subject, sandboxes, maxOutputChars,
                line -> progress.accept(taskId, line));
    }

    private Path fresh(String taskId) {
        Path dir = tasksDir.resolve(taskId);
        try {
            try {
                Files.createDirectory(dir);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // made before a crash that came before it was recorded: checked below like a new one
            }
            if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(dir + " is not a directory");
            }
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwx---"));
            if ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0) {
                Files.setAttribute(dir, "unix:uid", SANDBOX_UID, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(dir, "unix:gid", SANDBOX_UID, LinkOption.NOFOLLOW_LINKS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the workspace of task " + taskId + ": " + e.getMessage(), e);
        }
        store.setWorkspace(taskId, dir);
        return dir;
    }
}
