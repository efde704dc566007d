import ArrakisCore
import Glibc

/// The reading half of the MCP stdio framing: messages are delimited by newlines and hold none themselves.
/// Reads `fd` on a thread of its own and hands each non-blank line to `onLine`, in order; at end of file or
/// on a read error it calls `onEnd`, once, after the last line.
enum LineReader {
  static func start(
    fd: Int32, onLine: @escaping @Sendable ([UInt8]) -> Void, onEnd: @escaping @Sendable () -> Void
  ) {
    DetachedThread.start {
      var line: [UInt8] = []
      var chunk = [UInt8](repeating: 0, count: 64 * 1024)
      while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else { break }
        var start = 0
        for i in 0..<n where chunk[i] == 0x0A {
          line.append(contentsOf: chunk[start..<i])
          deliver(line, onLine)
          line.removeAll(keepingCapacity: true)
          start = i + 1
        }
        line.append(contentsOf: chunk[start..<n])
      }
      deliver(line, onLine)  // a last message without its newline still counts
      onEnd()
    }
  }

  /// A CR before the newline (a peer writing CRLF) is dropped; blank lines are not messages.
  private static func deliver(_ line: [UInt8], _ onLine: ([UInt8]) -> Void) {
    var end = line.count
    while end > 0, line[end - 1] == 0x0D || line[end - 1] == 0x20 || line[end - 1] == 0x09 { end -= 1 }
    guard end > 0 else { return }
    onLine(end == line.count ? line : Array(line[..<end]))
  }
}
