import ArrakisCore
import CSystem
import Foundation

/// Runs a child in its own process group with posix_spawn (POSIX_SPAWN_SETPGROUP), stdin /dev/null and
/// stdout+stderr on one pipe. On timeout, Ctrl-C (`Interrupt.requested`) or task cancellation the whole
/// group gets SIGTERM, then SIGKILL after a short grace. Background processes left behind after the
/// child exits are killed the same way, so a `sleep 1000 &` holding the pipe cannot keep a call alive.
/// posix_spawn is used rather than swift-subprocess because we need the poll loop to own the deadline,
/// the interrupt check and the group kill in one place.
enum ProcessRunner {
  struct Result: Sendable {
    var output: String
    var exitCode: Int32
    var signal: Int32?
    var timedOut = false
    var interrupted = false
    var spawnError: String?
  }

  final class CancelFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
  }

  static let graceMs = 500

  static func which(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for dir in path.split(separator: ":") {
      let candidate = "\(dir)/\(name)"
      if access(candidate, X_OK) == 0, FileIO.kind(candidate) == .file { return candidate }
    }
    return nil
  }

  /// Runs off the cooperative pool (a blocking poll loop would starve it); cancellation kills the group.
  static func run(
    _ argv: [String], environment: [String: String]? = nil, directory: String? = nil, timeoutMs: Int,
    outputCap: Int = 30_000
  ) async -> Result {
    let flag = CancelFlag()
    return await withTaskCancellationHandler {
      await withCheckedContinuation { (cont: CheckedContinuation<Result, Never>) in
        let thread = Thread {
          cont.resume(returning: runSync(
            argv, environment: environment, directory: directory, timeoutMs: timeoutMs, outputCap: outputCap, cancel: flag))
        }
        thread.start()
      }
    } onCancel: {
      flag.set()
    }
  }

  static func runSync(
    _ argv: [String], environment: [String: String]? = nil, directory: String? = nil, timeoutMs: Int,
    outputCap: Int = 1 << 20, cancel: CancelFlag? = nil
  ) -> Result {
    var fds: [Int32] = [-1, -1]
    guard arrakis_pipe_cloexec(&fds) == 0 else { return failure("pipe: \(String(cString: strerror(errno)))") }
    let (readEnd, writeEnd) = (fds[0], fds[1])

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
    posix_spawn_file_actions_adddup2(&actions, writeEnd, 2)
    _ = arrakis_spawn_close_from(&actions, 3)
    if let directory { _ = arrakis_spawn_chdir(&actions, directory) }

    var attr = posix_spawnattr_t()
    posix_spawnattr_init(&attr)
    defer { posix_spawnattr_destroy(&attr) }
    posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
    posix_spawnattr_setpgroup(&attr, 0)
    // Our SIGINT handler and any ignored SIGPIPE must not leak into the child.
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for s in [SIGINT, SIGTERM, SIGPIPE, SIGQUIT, SIGHUP, SIGCHLD] { sigaddset(&defaults, s) }
    posix_spawnattr_setsigdefault(&attr, &defaults)
    var mask = sigset_t()
    sigemptyset(&mask)
    posix_spawnattr_setsigmask(&attr, &mask)

    let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
    let cArgv = argv.map { strdup($0) } + [nil]
    let cEnv = env.map { strdup($0) } + [nil]
    defer { (cArgv + cEnv).forEach { free($0) } }

    var pid: pid_t = 0
    let rc = posix_spawnp(&pid, argv[0], &actions, &attr, cArgv, cEnv)
    close(writeEnd)
    guard rc == 0 else {
      close(readEnd)
      return failure("cannot start \(argv[0]): \(String(cString: strerror(rc)))")
    }
    defer { close(readEnd) }
    _ = fcntl(readEnd, F_SETFL, fcntl(readEnd, F_GETFL) | O_NONBLOCK)

    var buffer = HeadTailBuffer(cap: outputCap)
    var result = Result(output: "", exitCode: -1)
    let deadline = now() + Double(timeoutMs) / 1000
    var status: Int32 = 0
    var exited = false
    var eof = false
    var idleNaps = 0

    // Main loop: until the child exits (pipe EOF alone is not enough: the child may close its stdout).
    while !exited {
      if now() >= deadline { result.timedOut = true; break }
      if Interrupt.requested || cancel?.isSet == true { result.interrupted = true; break }
      // After EOF the child is usually exiting: check often at first (a 20 ms nap here was most of a
      // Grep call), then back off for a child that closed its output but keeps running.
      if !eof { eof = pump(readEnd, into: &buffer, waitMs: 50) } else { usleep(idleNaps < 100 ? 500 : 20_000); idleNaps += 1 }
      if waitpid(pid, &status, WNOHANG) == pid { exited = true }
    }

    if !exited {
      exited = terminate(group: pid, leader: pid, status: &status, readEnd: readEnd, buffer: &buffer, eof: &eof)
    } else if kill(-pid, 0) == 0 {
      // The child is gone but its group lives on (backgrounded jobs): they do not outlive the call.
      _ = terminate(group: pid, leader: nil, status: &status, readEnd: readEnd, buffer: &buffer, eof: &eof)
    }
    // Drain what is left; bounded in case something outside the group inherited the pipe.
    let drainUntil = now() + 1
    while !eof && now() < drainUntil { eof = pump(readEnd, into: &buffer, waitMs: 50) }

    if status & 0x7f == 0 {
      result.exitCode = (status >> 8) & 0xff
    } else {
      result.signal = status & 0x7f
      result.exitCode = 128 + (status & 0x7f)
    }
    result.output = buffer.text()
    return result
  }

  /// SIGTERM to the group, grace period, then SIGKILL until the group is empty (bounded).
  /// Returns whether the leader was reaped.
  private static func terminate(
    group: pid_t, leader: pid_t?, status: inout Int32, readEnd: Int32, buffer: inout HeadTailBuffer, eof: inout Bool
  ) -> Bool {
    var reaped = leader == nil
    kill(-group, SIGTERM)
    let graceEnd = now() + Double(graceMs) / 1000
    while now() < graceEnd {
      if !eof { eof = pump(readEnd, into: &buffer, waitMs: 20) } else { usleep(10_000) }
      if let l = leader, !reaped, waitpid(l, &status, WNOHANG) == l { reaped = true }
      if reaped && kill(-group, 0) != 0 { return true }
    }
    let killEnd = now() + 3
    while now() < killEnd {
      kill(-group, SIGKILL)
      if let l = leader, !reaped, waitpid(l, &status, WNOHANG) == l { reaped = true }
      if reaped && kill(-group, 0) != 0 { break }
      if !eof { eof = pump(readEnd, into: &buffer, waitMs: 10) } else { usleep(10_000) }
    }
    if !reaped, let l = leader, waitpid(l, &status, 0) == l { reaped = true }
    return reaped
  }

  /// Reads what is available (waiting up to `waitMs`). Returns true at EOF.
  private static func pump(_ fd: Int32, into buffer: inout HeadTailBuffer, waitMs: Int32) -> Bool {
    var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    let r = poll(&p, 1, waitMs)
    guard r > 0 else { return false }
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n > 0 { chunk.withUnsafeBytes { buffer.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }; continue }
      if n == 0 { return true }
      if errno == EINTR { continue }
      return errno != EAGAIN && errno != EWOULDBLOCK
    }
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
