import ArrakisCore
import CArrakisSystem
import Glibc

/// Work that cannot be interrupted, run in a forked child that can be: Swift's Regex has no progress
/// callback or step limit (ICU's had one, see RegexBudget), so a backtracking match such as `(a+)+$` on a
/// line of forty `a`s and a `!` runs for hours and no thread of ours can stop it. The child computes
/// `work` over the memory fork gave it and sends the bytes back; the parent waits, asks `stop` every few
/// milliseconds, and kills the child when it says so.
/// The child runs only `work` and `_exit`s: it calls no Dispatch and takes no lock of ours (other threads
/// held them at the fork). glibc's malloc is safe after fork (its fork handler takes every arena lock).
/// The Swift runtime's own locks are not: a child that needs one another thread held at the fork waits
/// forever, and is killed like a runaway match (BuiltinGrep warms the matching code up before it forks).
/// fork can fail where the parent's memory cannot be committed twice: then `unavailable`.
enum ForkedWork {
  /// `unavailable`: no child could be made (the work was not done); `failed`: the child died before it
  /// answered.
  enum Outcome: Equatable { case done([UInt8]), stopped, unavailable, failed }

  static func run(_ work: () -> [UInt8], stop: () -> Bool) -> Outcome {
    var fds: [Int32] = [0, 0]
    // Not inherited by programs other threads start meanwhile (their exec closes it).
    guard arrakis_pipe_cloexec(&fds) == 0 else { return .unavailable }
    let parent = getpid()
    let pid = fork()
    if pid < 0 {
      close(fds[0]); close(fds[1])
      return .unavailable
    }
    if pid == 0 {
      // A runaway match must not outlive arrakis killed with -9 (the forking thread waits below until the
      // child is done, so the thread-scoped death signal holds).
      if arrakis_die_with_parent(parent) != 0 { _exit(1) }
      close(fds[0])
      let out = work()
      // Length first: children forked by other threads at the same time inherit this pipe's write end,
      // so its end-of-file can come late; the parent reads exactly this many bytes instead.
      var frame = withUnsafeBytes(of: UInt64(out.count).littleEndian) { Array($0) }
      frame += out
      _exit(frame.withUnsafeBytes { Output.write(fds[1], bytes: $0) } ? 0 : 1)
    }
    close(fds[1])
    defer { close(fds[0]) }
    var got: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    func expected() -> Int? {
      guard got.count >= 8 else { return nil }
      return Int(got[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
    }
    while expected().map({ got.count < 8 + $0 }) ?? true {
      var p = pollfd(fd: fds[0], events: Int16(POLLIN), revents: 0)
      let ready = poll(&p, 1, 5)
      if ready > 0 {
        let n = chunk.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, $0.count) }
        if n > 0 { got += chunk[0..<n]; continue }
        if n < 0 && errno == EINTR { continue }
        break  // the child died before it sent everything
      }
      if ready < 0 && errno != EINTR { break }
      if stop() {
        kill(pid, SIGKILL)
        reap(pid)
        return .stopped
      }
    }
    let status = reap(pid)
    guard status == 0, let n = expected(), got.count == 8 + n else { return .failed }
    return .done(Array(got[8...]))
  }

  /// Waits for the child; its raw wait status (0: exited with status 0).
  @discardableResult private static func reap(_ pid: pid_t) -> Int32 {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return status
  }
}
