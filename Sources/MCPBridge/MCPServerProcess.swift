import Agent
import ArrakisCore
import CArrakisSystem
import Dispatch
import Glibc

/// One MCP server child: started with posix_spawn in a process group of its own (POSIX_SPAWN_SETPGROUP),
/// its stdin and stdout the protocol pipes, its stderr kept (the last few KB) for error messages.
///
/// The child must not outlive arrakis, nor leave helpers behind: `stop()` closes its stdin (the MCP way
/// to ask a stdio server to end), then signals the whole group, SIGTERM then SIGKILL, and only then
/// reaps the leader. Its exit is noticed with waitid(WNOWAIT), so until `stop()` the leader stays an
/// unreaped zombie and the group id cannot pass to an unrelated process that our signals would then hit
/// (the same reasoning as Sources/ArrakisCore/Processes/ProcessRunner.swift).
public final class MCPServerProcess: @unchecked Sendable {
  public let name: String
  public let pid: pid_t
  /// The ends arrakis uses: it writes requests to `toServer` and reads replies from `fromServer`.
  public let toServer: Int32
  public let fromServer: Int32

  private let lock = Lock()
  private var stderrTail: [UInt8] = []
  private var exitStatus: Int32?
  private var reaped = false
  private var exitHandlers: [@Sendable () -> Void] = []
  private let exited = DispatchSemaphore(value: 0)
  private static let tailBytes = 4096

  /// Starts `spec.command` (looked up on PATH) in `directory` with our environment plus `spec.env`.
  public init(_ spec: MCPServerSpec, directory: String) throws {
    name = spec.name
    var input: [Int32] = [-1, -1], output: [Int32] = [-1, -1], errors: [Int32] = [-1, -1]
    guard arrakis_pipe_cloexec(&input) == 0, arrakis_pipe_cloexec(&output) == 0, arrakis_pipe_cloexec(&errors) == 0 else {
      throw ArrakisError(.usage, "MCP server '\(spec.name)' failed to start: pipe: \(String(cString: strerror(errno)))")
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, input[0], 0)
    posix_spawn_file_actions_adddup2(&actions, output[1], 1)
    posix_spawn_file_actions_adddup2(&actions, errors[1], 2)
    _ = arrakis_spawn_close_from(&actions, 3)
    _ = arrakis_spawn_chdir(&actions, directory)

    var attr = posix_spawnattr_t()
    posix_spawnattr_init(&attr)
    defer { posix_spawnattr_destroy(&attr) }
    posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
    posix_spawnattr_setpgroup(&attr, 0)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for s in [SIGINT, SIGTERM, SIGPIPE, SIGQUIT, SIGHUP, SIGCHLD] { sigaddset(&defaults, s) }
    posix_spawnattr_setsigdefault(&attr, &defaults)
    var mask = sigset_t()
    sigemptyset(&mask)
    posix_spawnattr_setsigmask(&attr, &mask)

    let environment = ProcessRunner.inheritedEnvironment.merging(spec.env) { _, configured in configured }
    let argv = ([spec.command] + spec.args).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { (argv + envp).forEach { free($0) } }
    var child: pid_t = 0
    let rc = posix_spawnp(&child, spec.command, &actions, &attr, argv, envp)
    for fd in [input[0], output[1], errors[1]] { close(fd) }
    guard rc == 0 else {
      for fd in [input[1], output[0], errors[0]] { close(fd) }
      throw ArrakisError(
        .usage, "MCP server '\(spec.name)' failed to start: cannot run \(spec.command): \(String(cString: strerror(rc)))",
        hint: "check \"command\" for '\(spec.name)' in the MCP config")
    }
    pid = child
    toServer = input[1]
    fromServer = output[0]
    // A server that dies while we write to it is an error of that call, not the end of arrakis: the stop
    // handlers `arrakis code` installs first (Interrupt.install, Sources/CSystem/StopSignals.c) turn a
    // SIGPIPE from any pipe but our own stdout/stderr into EPIPE.
    startStderrReader(errors[0])
    startExitWatcher()
  }

  /// The last lines the server wrote to stderr (what a failing server says about itself).
  public var stderrText: String {
    String(decoding: lock.withLock { stderrTail }, as: UTF8.self).trimmed
  }

  /// nil while the server runs; else how it ended, in words.
  public var exitDescription: String? {
    guard let status = lock.withLock({ exitStatus }) else { return nil }
    if status & 0x7f == 0 { return "exited with status \((status >> 8) & 0xff)" }
    return "was killed by signal \(status & 0x7f)"
  }

  /// Called once, on the watcher thread, when the server exits (at once if it already has).
  public func onExit(_ handler: @escaping @Sendable () -> Void) {
    let already = lock.withLock { () -> Bool in
      if exitStatus != nil { return true }
      exitHandlers.append(handler)
      return false
    }
    if already { handler() }
  }

  /// Ends the server and everything it started. Idempotent; blocks for at most about 1.5 s.
  public func stop() {
    let first = lock.withLock { () -> Bool in
      defer { reaped = true }
      return !reaped
    }
    guard first else { return }
    // The pipes are not closed but replaced by /dev/null: the server sees EOF on stdin all the same, and the
    // JSON-RPC client's reader and writer (Sources/MCPBridge/JSONRPC), which may still read or write these
    // descriptor numbers for a moment, cannot reach a file that reused them (the ledger, say). Two
    // descriptors per server, for the rest of the run.
    Self.retire(toServer, flags: O_WRONLY)
    if exited.wait(timeout: .now() + 0.5) == .timedOut {
      kill(-pid, SIGTERM)
      _ = exited.wait(timeout: .now() + 1)
    } else {
      exited.signal()
    }
    // Helpers the server started in its group go too, whether or not the leader has ended; the
    // unreaped leader still holds the group id, so the signal cannot reach anyone else.
    kill(-pid, SIGKILL)
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    Self.retire(fromServer, flags: O_RDONLY)
  }

  private static func retire(_ fd: Int32, flags: Int32) {
    let null = open("/dev/null", flags | O_CLOEXEC)
    guard null >= 0 else { return }
    dup2(null, fd)
    close(null)
  }

  deinit { stop() }

  private func startStderrReader(_ fd: Int32) {
    DetachedThread.start { [weak self] in
      var chunk = [UInt8](repeating: 0, count: 4096)
      while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        guard n > 0, let self else { break }
        self.lock.withLock {
          self.stderrTail.append(contentsOf: chunk[0..<n])
          if self.stderrTail.count > 2 * Self.tailBytes { self.stderrTail = Array(self.stderrTail.suffix(Self.tailBytes)) }
        }
      }
      close(fd)
    }
  }

  private func startExitWatcher() {
    let pid = self.pid
    let exited = self.exited
    DetachedThread.start { [weak self] in
      var info = siginfo_t()
      while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR {}
      // waitid(WNOWAIT) leaves the status unread; it is decoded from siginfo the way wait(2) would give it.
      let code = info._sifields._sigchld.si_status
      let status: Int32 = info.si_code == Int32(CLD_EXITED) ? (code & 0xff) << 8 : (code & 0x7f)
      // Give the stderr reader a moment to take the last words the server wrote.
      usleep(50_000)
      guard let self else { exited.signal(); return }
      let handlers = self.lock.withLock { () -> [@Sendable () -> Void] in
        self.exitStatus = status
        defer { self.exitHandlers = [] }
        return self.exitHandlers
      }
      self.exited.signal()
      handlers.forEach { $0() }
    }
  }
}
