import CSystem
import Foundation

/// One `bash -c` child in its own process group, with stdout and stderr on one pipe. posix_spawn with
/// POSIX_SPAWN_SETPGROUP rather than Foundation.Process: the group is what lets a timeout or Ctrl-C kill
/// the whole tree (`sleep 1000 &` grandchildren included), and signalling before reaping keeps the
/// group id from being reused while we still signal it.
final class ProcessGroup {
  let pid: pid_t
  /// Read end of the combined output pipe (non-blocking).
  let output: Int32
  private var reaped = false

  init(command: String, directory: String, environment: [String: String]) throws {
    var fds: [Int32] = [0, 0]
    guard arrakis_pipe_cloexec(&fds) == 0 else { throw ProcessGroupError.spawn("pipe: \(String(cString: strerror(errno)))") }
    defer { close(fds[1]) }

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
    posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
    _ = arrakis_spawn_close_from(&actions, 3)

    var attr = posix_spawnattr_t()
    posix_spawnattr_init(&attr)
    defer { posix_spawnattr_destroy(&attr) }
    // Own process group; default dispositions and an empty mask, whatever arrakis itself ignores or blocks.
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for s in [SIGINT, SIGTERM, SIGQUIT, SIGPIPE, SIGHUP, SIGCHLD] { sigaddset(&defaults, s) }
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigdefault(&attr, &defaults)
    posix_spawnattr_setsigmask(&attr, &empty)
    posix_spawnattr_setpgroup(&attr, 0)
    posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

    // posix_spawn_file_actions_addchdir_np is not imported either, so a first bash changes directory
    // and execs the real one; directory and command travel as arguments, never spliced into a script.
    let arguments = ["bash", "-c", "cd -- \"$1\" && exec bash -c \"$2\"", "arrakis-test", directory, command]
    let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      argv.forEach { free($0) }
      envp.forEach { free($0) }
    }
    var child = pid_t()
    let rc = posix_spawnp(&child, "bash", &actions, &attr, argv, envp)
    guard rc == 0 else {
      close(fds[0])
      throw ProcessGroupError.spawn("cannot start bash: \(String(cString: strerror(rc)))")
    }
    pid = child
    output = fds[0]
    _ = fcntl(output, F_SETFL, fcntl(output, F_GETFL) | O_NONBLOCK)
  }

  deinit {
    if !reaped { signalGroup(SIGKILL); _ = reap() }
    close(output)
  }

  /// Whether the leader has exited, without reaping it (WNOWAIT): until it is reaped the group id stays ours.
  func leaderExited() -> Bool {
    var info = siginfo_t()
    let rc = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
    // With WNOHANG and no state change, waitid returns 0 and leaves si_pid zero.
    return rc == 0 && info._sifields._sigchld.si_pid == pid
  }

  func signalGroup(_ signal: Int32) {
    guard !reaped else { return }
    kill(-pid, signal)
  }

  /// Reaps the leader; returns the shell convention: exit status, or 128 + signal.
  func reap() -> Int32 {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    reaped = true
    let signal = status & 0x7F
    return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
  }
}

enum ProcessGroupError: Error {
  case spawn(String)
}
