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
    guard pipe(&fds) == 0 else { return .unavailable }
    // Not inherited by programs other threads start meanwhile (their exec closes it).
    for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    let pid = fork()
    if pid < 0 {
      close(fds[0]); close(fds[1])
      return .unavailable
    }
    if pid == 0 {
      close(fds[0])
      let out = work()
      // Length first: children forked by other threads at the same time inherit this pipe's write end,
      // so its end-of-file can come late; the parent reads exactly this many bytes instead.
      var frame = withUnsafeBytes(of: UInt64(out.count).littleEndian) { Array($0) }
      frame += out
      var k = 0
      frame.withUnsafeBytes { buf in
        while k < buf.count {
          let n = write(fds[1], buf.baseAddress! + k, buf.count - k)
          if n > 0 { k += n } else if n < 0 && errno == EINTR { continue } else { _exit(1) }
        }
      }
      _exit(0)
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
