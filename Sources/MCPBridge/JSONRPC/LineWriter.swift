import ArrakisCore
import Dispatch
import Glibc

/// The writing half of the MCP stdio framing: one compact JSON message per line (the serialiser escapes
/// newlines inside strings, so a message never holds one). Writes go through a serial queue: messages
/// never interleave, and a peer slow to read (a pipe holds 64 KB) stalls that queue, not the cooperative
/// thread that produced the message.
final class LineWriter: Sendable {
  private let fd: Int32
  private let queue: DispatchQueue

  init(fd: Int32, label: String) {
    self.fd = fd
    queue = DispatchQueue(label: label)
  }

  /// Queues `message`; a peer that has gone (EPIPE) is noticed by its reader or its exit, not here.
  func send(_ message: JSONValue) {
    var bytes: [UInt8] = []
    message.appendSerialized(to: &bytes)
    bytes.append(0x0A)
    queue.async { [fd, bytes] in bytes.withUnsafeBytes { _ = Output.write(fd, bytes: $0) } }
  }

  /// Returns once everything sent so far has been written (before the process exits).
  func flush() async {
    await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in queue.async { done.resume() } }
  }
}
