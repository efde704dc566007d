import FoundationEssentials
import Glibc

/// Unbuffered writes to stdout/stderr. Streaming answers must reach a pipe as they arrive,
/// and stdout carries only the result so that pipes work.
public enum Output {
  public static func out(_ text: String) { write(STDOUT_FILENO, text) }
  public static func err(_ text: String) { write(STDERR_FILENO, text) }

  public static func write(_ fd: Int32, _ text: String) {
    var text = text
    text.withUTF8 { buf in
      var offset = 0
      while offset < buf.count {
        let n = Glibc.write(fd, buf.baseAddress! + offset, buf.count - offset)
        if n <= 0 { if errno == EINTR { continue }; return }
        offset += n
      }
    }
  }
}
