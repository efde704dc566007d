import FoundationEssentials
import Glibc

/// "⠋ waiting for claude-sonnet-4-6" on stderr while nothing has arrived yet, so that a terminal user
/// can tell a slow model from a hung one. Only on a terminal: pipes, hooks and cron never see it.
///
/// The model call blocks the thread that started it, so the frames come from a thread of their own.
/// Every write and the final clear happen under one lock, so `stop()` returns with the line erased and
/// nothing drawn after it; text written to stdout afterwards never shares a line with a frame.
public final class Spinner: @unchecked Sendable {
  private static let frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]
  private let label: String
  private let fd: Int32
  private let lock = Lock()
  private var stopped = false
  private var drawn = false

  /// nil when `fd` is not a terminal (or TERM=dumb): callers need no checks of their own.
  public static func start(_ label: String, fd: Int32 = STDERR_FILENO, environment: Environment = Environment()) -> Spinner? {
    guard isatty(fd) == 1, environment["TERM"] != "dumb" else { return nil }
    let spinner = Spinner(label: label, fd: fd)
    DetachedThread.start { spinner.spin() }
    return spinner
  }

  private init(label: String, fd: Int32) {
    self.label = label
    self.fd = fd
  }

  /// Erases the line; safe to call more than once and from any thread.
  public func stop() {
    lock.lock()
    defer { lock.unlock() }
    guard !stopped else { return }
    stopped = true
    if drawn { Output.write(fd, "\r\u{1B}[K") }
  }

  private func spin() {
    // A short grace period: an answer that starts at once should not flash a spinner.
    usleep(150_000)
    var i = 0
    while true {
      lock.lock()
      if stopped { lock.unlock(); return }
      Output.write(fd, "\r\(Self.frames[i % Self.frames.count]) \(label)")
      drawn = true
      lock.unlock()
      i += 1
      usleep(80_000)
    }
  }
}
