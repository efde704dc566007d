import ArrakisCore
import CArrakisSystem
import FoundationEssentials
import Glibc

/// Runs a child under a guardian (`arrakis_spawn_guarded`, Sources/CSystem/Guardian.c) in its own process
/// group, stdin /dev/null and stdout+stderr on one pipe. On timeout, Ctrl-C (`Interrupt.requested`) or
/// cancellation the group gets SIGTERM and the guardian stops every descendant, SIGKILL after a grace
/// period. Background processes left behind after the child exits are killed the same way, so a
/// `sleep 1000 &` holding the pipe cannot keep a call alive (nor can a test command leak servers); the
/// guardian is a child subreaper, so a descendant that moved to another group or session (`setsid`,
/// `timeout`, `set -m`) is found and killed too, and it dies with arrakis, even by SIGKILL.
/// Not Foundation.Process nor swift-subprocess: the poll loop owns the deadline, the interrupt check and
/// the group kill in one place, and the guardian must be forked by the thread that waits for it.
///
/// The leader is reaped only at the very end: its exit is noticed with waitid(WNOWAIT), and while it is
/// an unreaped zombie its pid, and so the group id, cannot be reused by an unrelated process that our
/// signals to the group would then hit.
///
/// Used by Bash, Grep (ripgrep), the test runner of `improve`, MCP servers' environment and `doctor`; so it
/// lives here, below the agent's tools and the workflows alike.
public enum ProcessRunner {
  public struct Result: Sendable {
    /// Combined stdout and stderr, capped: the head and the tail are kept, the middle is replaced by a note.
    public var output: String
    /// Bytes the child wrote in total (before capping).
    public var totalBytes = 0
    /// The exit status; 128 + signal number when the child was killed by a signal.
    public var exitCode: Int32
    public var signal: Int32?
    public var timedOut = false
    public var interrupted = false
    public var spawnError: String?
  }

  public static let defaultKillGraceMs = 500

  /// What every child gets from us unless told otherwise: the allow-listed part of our environment
  /// (`ChildEnvironment`: PATH, HOME, USER, LANG/LC_*, TERM, TMPDIR, SHELL and what `pass_env` names), so
  /// no credential of ours reaches the model's commands or the project's tests, and no outer make's
  /// settings either (a nested make would look for a jobserver whose descriptors the child never gets).
  public static var inheritedEnvironment: [String: String] {
    ChildEnvironment.filter(ProcessInfo.processInfo.environment)
  }

  public static func which(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for dir in path.split(separator: ":") {
      let candidate = "\(dir)/\(name)"
      if isExecutableFile(candidate) { return candidate }
    }
    return nil
  }

  /// `runSync` off the cooperative pool (a blocking poll loop would starve it); task cancellation
  /// stops the child like Ctrl-C does and returns the partial result.
  public static func run(
    _ argv: [String], environment: [String: String]? = nil, directory: String? = nil, timeoutMs: Int,
    outputCap: Int = 30_000, killGraceMs: Int = defaultKillGraceMs, isolated: Bool = false,
    isCancelled: @escaping @Sendable () -> Bool = { false },
    onOutput: @escaping @Sendable (UnsafeRawBufferPointer) -> Void = { _ in }
  ) async -> Result {
    await onDedicatedThread(name: "arrakis-process") { taskCancelled in
      runSync(
        argv, environment: environment, directory: directory, timeoutMs: timeoutMs, outputCap: outputCap,
        killGraceMs: killGraceMs, isolated: isolated, isCancelled: { taskCancelled() || isCancelled() }, onOutput: onOutput)
    }
  }

  /// Runs blocking `body` on a thread of its own (the wait can last a whole timeout; it must not hold a
  /// cooperative thread). `body` is handed a check that turns true once the calling task is cancelled.
  public static func onDedicatedThread<T: Sendable>(
    name: String, _ body: @escaping @Sendable (_ isCancelled: @escaping @Sendable () -> Bool) -> T
  ) async -> T {
    let flag = CancelFlag()
    return await withTaskCancellationHandler {
      await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
        DetachedThread.start { continuation.resume(returning: body { flag.isSet }) }
      }
    } onCancel: {
      flag.set()
    }
  }

  /// Runs `argv` to completion, blocking the calling thread. `isCancelled` is polled alongside
  /// `Interrupt.requested`; `onOutput` sees every byte the child writes, also those cut from `output`.
  /// `isolated`: see `spawn`.
  public static func runSync(
    _ argv: [String], environment: [String: String]? = nil, directory: String? = nil, timeoutMs: Int,
    outputCap: Int = 1 << 20, killGraceMs: Int = defaultKillGraceMs, isolated: Bool = false, isCancelled: () -> Bool = { false },
    onOutput: (UnsafeRawBufferPointer) -> Void = { _ in }
  ) -> Result {
    var fds: [Int32] = [-1, -1]
    guard arrakis_pipe_cloexec(&fds) == 0 else { return failure("pipe: \(String(cString: strerror(errno)))") }
    let (readEnd, writeEnd) = (fds[0], fds[1])
    let spawned = spawn(argv, environment: environment, directory: directory, output: writeEnd, killGraceMs: killGraceMs, isolated: isolated)
    close(writeEnd)
    guard case .success(let pid) = spawned else {
      close(readEnd)
      if case .failure(let message) = spawned { return failure(message.text) }
      return failure("cannot start \(argv[0])")
    }
    defer { ChildProcesses.shared.remove(pid) }
    var reader = OutputReader(fd: readEnd, cap: outputCap)
    defer { close(readEnd) }
    _ = fcntl(readEnd, F_SETFL, fcntl(readEnd, F_GETFL) | O_NONBLOCK)

    var result = Result(output: "", exitCode: -1)
    let deadline = now() + Double(timeoutMs) / 1000
    let grace = Double(killGraceMs) / 1000
    var exited = false
    var idleNaps = 0
    // The leader's exit wakes the same poll as its output does, so neither the end of the output nor the
    // end of the process waits for a nap; -1 (no pidfd, Linux before 5.3): naps after EOF instead.
    let exitFd = arrakis_pidfd_open(pid)
    defer { if exitFd >= 0 { close(exitFd) } }

    // Main loop: until the child exits (pipe EOF alone is not enough: the child may close its stdout).
    while !exited {
      if now() >= deadline { result.timedOut = true; break }
      if Interrupt.requested || isCancelled() { result.interrupted = true; break }
      if exitFd >= 0 {
        reader.pump(waitMs: 50, orExitOf: exitFd, onOutput)
      } else if !reader.eof {
        reader.pump(waitMs: 50, onOutput)
      } else {
        // After EOF the child is usually exiting: check often at first, then back off for a child that
        // closed its output but keeps running.
        usleep(idleNaps < 100 ? 500 : 20_000)
        idleNaps += 1
      }
      exited = leaderExited(pid)
    }

    // Timed out or interrupted: SIGTERM to the group reaches the command and its guardian, which then
    // stops every descendant, whatever group or session it moved to (SIGKILL after the grace) and exits.
    // SIGKILL to the group is the last resort, for a guardian that did not finish in time.
    if !exited {
      kill(-pid, SIGTERM)
      let guardianEnd = now() + grace + 6
      while now() < guardianEnd && !leaderExited(pid) { reader.pump(waitMs: 20, orExitOf: exitFd, onOutput) }
    }
    // A guardian that exited by itself left nothing behind; one killed by SIGKILL (the last resort above,
    // or someone else's) may have: then the group is checked.
    if !leaderExited(pid) || (killedByKill(pid) && groupAlive(pid)) {
      let killEnd = now() + 3
      while (!leaderExited(pid) || groupAlive(pid)) && now() < killEnd {
        kill(-pid, SIGKILL)
        reader.pump(waitMs: 10, onOutput)
      }
    }
    // Drain what is left; bounded in case something outside the group inherited the pipe.
    let drainUntil = now() + 1
    while !reader.eof && now() < drainUntil { reader.pump(waitMs: 50, onOutput) }

    // Only now, with nothing left to signal, may the group id be given up.
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    if status & 0x7f == 0 {
      result.exitCode = (status >> 8) & 0xff
    } else {
      result.signal = status & 0x7f
      result.exitCode = 128 + (status & 0x7f)
    }
    result.output = reader.buffer.text()
    result.totalBytes = reader.buffer.total
    return result
  }

  public struct SpawnError: Error { public var text: String }

  /// Starts `argv` under a guardian with stdin /dev/null and stdout+stderr on `output`, registered in
  /// `ChildProcesses` (the caller removes it once reaped). The calling thread must outlive the child: the
  /// guardian's parent-death signal fires when it exits. `isolated` (policy-sandbox Bash): the command runs
  /// without the capabilities that reach other processes' memory and, where the kernel allows
  /// (`CommandIsolation`), in a PID namespace of its own with a fresh /proc, blind to every process outside.
  public static func spawn(
    _ argv: [String], environment: [String: String]?, directory: String?, output: Int32, killGraceMs: Int, isolated: Bool = false
  ) -> Swift.Result<pid_t, SpawnError> {
    guard let path = argv.first.flatMap({ $0.contains("/") ? $0 : which($0) }),
      isExecutableFile(path)
    else { return .failure(SpawnError(text: "cannot start \(argv.first ?? ""): \(String(cString: strerror(ENOENT)))")) }
    let devNull = open("/dev/null", O_RDONLY | O_CLOEXEC)
    defer { if devNull >= 0 { close(devNull) } }
    let env = (environment ?? inheritedEnvironment).map { "\($0.key)=\($0.value)" }
    let cArgv = argv.map { strdup($0) } + [nil]
    let cEnv = env.map { strdup($0) } + [nil]
    let cPath = strdup(path), cDir = directory.map { strdup($0) }
    defer { (cArgv + cEnv + [cPath, cDir ?? nil]).forEach { free($0) } }
    let pid: pid_t
    if let guardPath = guardianExecutable {
      pid = spawnGuardian(
        guardPath, path: path, argv: argv, env: cEnv, directory: directory, stdin: devNull, output: output, killGraceMs: killGraceMs,
        isolated: isolated)
    } else {
      // No arrakis-guard beside us: the same guardian, forked out of this process (slower for a large one).
      pid = cArgv.withUnsafeBufferPointer { argvBuffer in
        cEnv.withUnsafeBufferPointer { envBuffer in
          var request = arrakis_spawn_request(
            path: cPath, argv: argvBuffer.baseAddress, envp: envBuffer.baseAddress, dir: cDir ?? nil,
            stdin_fd: devNull, out_fd: output, kill_grace_ms: Int32(killGraceMs), isolate: isolated ? 1 : 0)
          return arrakis_spawn_guarded(&request)
        }
      }
    }
    guard pid > 0 else { return .failure(SpawnError(text: "cannot start \(argv[0]): \(String(cString: strerror(-pid)))")) }
    ChildProcesses.shared.add(pid)
    return .success(pid)
  }

  /// `arrakis-guard`, the guardian program: beside our executable (the arrakis binary, or the test bundle in
  /// the same build folder), else on PATH; nil when neither has it.
  static let guardianExecutable: String? = {
    var buffer = [CChar](repeating: 0, count: 4096)
    let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    if n > 0 {
      let dir = String(cString: buffer).deletingLastPathComponent
      var candidates = [dir + "/arrakis-guard"]
      // A test bundle lives one level down (…/debug/arrakisPackageTests.xctest/…) on some layouts.
      candidates.append(dir.deletingLastPathComponent + "/arrakis-guard")
      if let found = candidates.first(where: { access($0, X_OK) == 0 }) { return found }
    }
    return which("arrakis-guard")
  }()

  /// posix_spawn (no copy of our memory) of `arrakis-guard GRACE PARENT [--isolate] -- PATH ARGV…` in a new process
  /// group, with the stop signals blocked (the guardian waits for them with sigtimedwait) and every
  /// other disposition reset. Returns the pid or -errno.
  private static func spawnGuardian(
    _ guardPath: String, path: String, argv: [String], env: [UnsafeMutablePointer<CChar>?], directory: String?,
    stdin: Int32, output: Int32, killGraceMs: Int, isolated: Bool
  ) -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    if stdin >= 0 { posix_spawn_file_actions_adddup2(&actions, stdin, 0) }
    posix_spawn_file_actions_adddup2(&actions, output, 1)
    posix_spawn_file_actions_adddup2(&actions, output, 2)
    _ = arrakis_spawn_close_from(&actions, 3)
    if let directory { _ = arrakis_spawn_chdir(&actions, directory) }

    var attr = posix_spawnattr_t()
    posix_spawnattr_init(&attr)
    defer { posix_spawnattr_destroy(&attr) }
    posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
    posix_spawnattr_setpgroup(&attr, 0)
    var defaults = sigset_t()
    sigfillset(&defaults)
    for s in [SIGKILL, SIGSTOP] { sigdelset(&defaults, s) }
    posix_spawnattr_setsigdefault(&attr, &defaults)
    var mask = sigset_t()
    sigemptyset(&mask)
    for s in [SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGQUIT] { sigaddset(&mask, s) }
    posix_spawnattr_setsigmask(&attr, &mask)

    let guardArgv = ["arrakis-guard", String(killGraceMs), String(getpid())] + (isolated ? ["--isolate"] : []) + ["--", path] + argv
    let cGuardArgv = guardArgv.map { strdup($0) } + [nil]
    defer { cGuardArgv.forEach { free($0) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, guardPath, &actions, &attr, cGuardArgv, env)
    return rc == 0 ? pid : -rc
  }

  /// Whether the exited, unreaped leader died of SIGKILL.
  private static func killedByKill(_ pid: pid_t) -> Bool {
    var info = siginfo_t()
    guard waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 else { return true }
    return info.si_code == CLD_KILLED && info._sifields._sigchld.si_status == SIGKILL
  }

  /// Whether the leader has exited, without reaping it (WNOWAIT): until it is reaped the group id stays ours.
  private static func leaderExited(_ pid: pid_t) -> Bool {
    var info = siginfo_t()
    let rc = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
    // With WNOHANG and no state change, waitid returns 0 and leaves si_pid zero.
    return rc == 0 && info._sifields._sigchld.si_pid == pid
  }

  /// Whether any process of the group is still running. `kill(-group, 0)` cannot tell: it succeeds for
  /// our unreaped leader, and for killed orphans that whatever adopted them has not reaped (in a
  /// container PID 1 may never do so). So /proc is read and zombies do not count.
  private static func groupAlive(_ group: pid_t) -> Bool {
    guard let dir = opendir("/proc") else { return kill(-group, 0) == 0 }
    defer { closedir(dir) }
    var stat = [UInt8](repeating: 0, count: 512)
    while let entry = readdir(dir) {
      let pid = withUnsafeBytes(of: entry.pointee.d_name) { name -> Int32 in
        var n: Int32 = 0
        for c in name {
          if c == 0 { break }
          guard c >= 0x30 && c <= 0x39 else { return 0 }
          n = n * 10 + Int32(c - 0x30)
        }
        return n
      }
      guard pid > 0 else { continue }
      let fd = open("/proc/\(pid)/stat", O_RDONLY | O_CLOEXEC)
      guard fd >= 0 else { continue }
      let count = stat.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      close(fd)
      guard count > 0 else { continue }
      // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so parse after the last ')'.
      let line = stat[0..<count]
      guard let paren = line.lastIndex(of: UInt8(ascii: ")")) else { continue }
      let fields = line[(paren + 1)...].split(separator: UInt8(ascii: " "), maxSplits: 4)
      guard fields.count >= 4, Int32(String(decoding: fields[2], as: UTF8.self)) == group else { continue }
      let state = fields[0].first
      if state != UInt8(ascii: "Z") && state != UInt8(ascii: "X") { return true }
    }
    return false
  }

  /// The read end of the output pipe, the capped copy of what came through it, and whether it hit EOF.
  private struct OutputReader {
    let fd: Int32
    var buffer: HeadTailBuffer
    private(set) var eof = false
    private var chunk = [UInt8](repeating: 0, count: 65536)

    init(fd: Int32, cap: Int) {
      self.fd = fd
      buffer = HeadTailBuffer(cap: cap)
    }

    /// Reads what is available (waiting up to `waitMs`) into the buffer and `onOutput`.
    mutating func pump(waitMs: Int32, _ onOutput: (UnsafeRawBufferPointer) -> Void) {
      pump(waitMs: waitMs, orExitOf: -1, onOutput)
    }

    /// The same, but the wait also ends as soon as `exitFd` (a pidfd; -1: none) polls readable, which is
    /// when that process has exited.
    mutating func pump(waitMs: Int32, orExitOf exitFd: Int32, _ onOutput: (UnsafeRawBufferPointer) -> Void) {
      var fds = [pollfd]()
      if !eof { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
      if exitFd >= 0 { fds.append(pollfd(fd: exitFd, events: Int16(POLLIN), revents: 0)) }
      guard !fds.isEmpty else { usleep(useconds_t(waitMs) * 1000); return }
      guard poll(&fds, nfds_t(fds.count), waitMs) > 0, !eof, fds[0].revents != 0 else { return }
      while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n > 0 {
          chunk.withUnsafeBytes { raw in
            let bytes = UnsafeRawBufferPointer(rebasing: raw[0..<n])
            buffer.append(bytes)
            onOutput(bytes)
          }
          continue
        }
        if n == 0 { eof = true; return }
        if errno == EINTR { continue }
        if errno != EAGAIN && errno != EWOULDBLOCK { eof = true }
        return
      }
    }
  }

  /// Set from the task-cancellation handler, read from the runner thread.
  private final class CancelFlag: @unchecked Sendable {
    private let lock = Lock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
  }

  /// A regular file we may execute (following symlinks, as exec does).
  private static func isExecutableFile(_ path: String) -> Bool {
    var st = stat()
    return access(path, X_OK) == 0 && stat(path, &st) == 0 && st.st_mode & S_IFMT == S_IFREG
  }

  private static func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
  }

  private static func failure(_ message: String) -> Result {
    Result(output: message, exitCode: 127, spawnError: message)
  }
}
