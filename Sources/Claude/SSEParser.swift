import FoundationEssentials
import Glibc

/// Incremental Server-Sent Events framing. Bytes arrive in arbitrary chunks (a line can be split anywhere,
/// even inside a UTF-8 sequence), so only complete lines are interpreted; the tail waits for the next chunk.
public struct SSEParser {
  public struct Message: Equatable {
    public var event: String
    public var data: Data
  }

  private var pending: [UInt8] = []
  private var event = ""
  private var data: [UInt8] = []
  private var hasData = false

  public init() {}

  /// Feeds one chunk; `onMessage` runs synchronously for every event completed by it.
  public mutating func feed(_ chunk: UnsafeRawBufferPointer, _ onMessage: (Message) throws -> Void) rethrows {
    let bytes = chunk.bindMemory(to: UInt8.self)
    var start = 0
    if !pending.isEmpty {
      // Only the new bytes are searched for the end of the pending line: rescanning the pending part on
      // every chunk made one long `data:` line quadratic (10 MB took 5 s).
      guard let newline = Self.newline(in: bytes, from: 0) else {
        pending.append(contentsOf: bytes)
        return
      }
      pending.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[0..<newline]))
      let complete = pending
      pending.removeAll(keepingCapacity: false)
      try complete.withUnsafeBufferPointer { try line($0, onMessage) }
      start = newline + 1
    }
    // Lines straight from curl's buffer, copying only an incomplete tail.
    while let i = Self.newline(in: bytes, from: start) {
      try line(UnsafeBufferPointer(rebasing: bytes[start..<i]), onMessage)
      start = i + 1
    }
    if start < bytes.count { pending.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...])) }
  }

  /// The index of the next "\n" at or after `from` (memchr: a 10 MB line is one pass at memory speed).
  private static func newline(in bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
    guard from < bytes.count, let base = bytes.baseAddress else { return nil }
    guard let hit = memchr(base + from, 0x0A, bytes.count - from) else { return nil }
    return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
  }

  /// Convenience for tests and fixtures.
  public mutating func feed(_ data: Data, _ onMessage: (Message) throws -> Void) rethrows {
    try data.withUnsafeBytes { try feed($0, onMessage) }
  }

  private mutating func line(_ raw: UnsafeBufferPointer<UInt8>, _ onMessage: (Message) throws -> Void) rethrows {
    var end = raw.count
    if end > 0, raw[end - 1] == 0x0D { end -= 1 }  // CRLF
    if end == 0 {
      // A blank line ends the event.
      if hasData { try onMessage(Message(event: event.isEmpty ? "message" : event, data: Data(data))) }
      event = ""
      data.removeAll(keepingCapacity: true)
      hasData = false
      return
    }
    let l = UnsafeBufferPointer(rebasing: raw[0..<end])
    if l[0] == 0x3A { return }  // ":" comment
    let colon = l.firstIndex(of: 0x3A) ?? end
    var valueStart = min(colon + 1, end)
    if valueStart < end, l[valueStart] == 0x20 { valueStart += 1 }
    let value = UnsafeBufferPointer(rebasing: l[valueStart..<end])
    switch String(decoding: UnsafeBufferPointer(rebasing: l[0..<colon]), as: UTF8.self) {
    case "event": event = String(decoding: value, as: UTF8.self)
    case "data":
      if hasData { data.append(0x0A) }
      data.append(contentsOf: value)
      hasData = true
    default: break  // id, retry: unused by the Messages API
    }
  }
}
