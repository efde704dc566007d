import FoundationEssentials
import Glibc

/// Unbuffered writes to stdout/stderr. Streaming answers must reach a pipe as they arrive,
/// and stdout carries only the result so that pipes work.
public enum Output {
  public static func out(_ text: String) { write(STDOUT_FILENO, text) }
  public static func err(_ text: String) { write(STDERR_FILENO, text) }

  public static func write(_ fd: Int32, _ text: String) {
    var text = text
    text.withUTF8 { _ = write(fd, bytes: UnsafeRawBufferPointer($0)) }
  }

  /// Writes all of `bytes`, retrying after signals; false when the descriptor refused (EPIPE, ENOSPC…).
  @discardableResult
  public static func write(_ fd: Int32, bytes: UnsafeRawBufferPointer) -> Bool {
    var offset = 0
    while offset < bytes.count {
      let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
      if n <= 0 {
        if n < 0, errno == EINTR { continue }
        return false
      }
      offset += n
    }
    return true
  }
}
