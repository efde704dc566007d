import FoundationEssentials
import Glibc

/// Keeps the first `cap / 2` and the last `cap - cap / 2` bytes of a stream of any length: the start of a
/// build or test log says what ran, the end says how it failed (failures, the summary); the middle of a
/// flood is what we can afford to drop. When something is dropped, the kept parts end and start on whole
/// lines and the marker between them states how many bytes and lines were really cut.
struct HeadTailBuffer {
  let headLimit: Int
  let tailLimit: Int
  private(set) var head: [UInt8] = []
  /// Grows to twice `tailLimit` before being trimmed, so a flood costs amortised O(1) per byte.
  private var tail: [UInt8] = []
  /// Bytes appended in total, kept or not.
  private(set) var total = 0
  /// Newlines appended in total, kept or not.
  private(set) var totalLines = 0

  init(cap: Int) {
    headLimit = max(0, cap / 2)
    tailLimit = max(0, cap - cap / 2)
  }

  mutating func append(_ bytes: UnsafeRawBufferPointer) {
    total += bytes.count
    totalLines += Self.newlines(bytes)
    var rest = bytes[...]
    if head.count < headLimit {
      let take = min(headLimit - head.count, rest.count)
      head.append(contentsOf: rest.prefix(take))
      rest = rest.dropFirst(take)
    }
    guard !rest.isEmpty else { return }
    tail.append(contentsOf: rest)
    if tail.count > 2 * tailLimit { tail.removeFirst(tail.count - tailLimit) }
  }

  var truncated: Bool { total > head.count + min(tail.count, tailLimit) }

  /// What is kept: all of it, or the head up to its last newline and the tail from after its first one.
  private var kept: (head: ArraySlice<UInt8>, tail: ArraySlice<UInt8>) {
    let tailPart = tail.suffix(tailLimit)
    guard truncated else { return (head[...], tailPart) }
    let headEnd = head.lastIndex(of: 0x0A).map { $0 + 1 } ?? head.count
    let tailStart = tailPart.firstIndex(of: 0x0A).map { $0 + 1 } ?? tailPart.startIndex
    return (head[..<headEnd], tailPart[tailStart...])
  }

  /// Bytes cut from the middle.
  var dropped: Int {
    let k = kept
    return total - k.head.count - k.tail.count
  }

  /// The kept text, with a note of how much was cut from the middle.
  func text() -> String {
    let k = kept
    guard truncated else { return String(decoding: k.head + k.tail, as: UTF8.self) }
    let bytes = total - k.head.count - k.tail.count
    let lines = totalLines - k.head.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } - k.tail.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    return String(decoding: k.head, as: UTF8.self)
      + "\n... [\(lines) lines, \(bytes) bytes truncated from the middle of \(total) bytes of output] ...\n\n"
      + String(decoding: k.tail, as: UTF8.self)
  }

  private static func newlines(_ bytes: UnsafeRawBufferPointer) -> Int {
    guard var at = bytes.baseAddress else { return 0 }
    var left = bytes.count, count = 0
    while left > 0, let hit = memchr(at, 0x0A, left) {
      count += 1
      let next = hit + 1
      left -= at.distance(to: UnsafeRawPointer(next))
      at = UnsafeRawPointer(next)
    }
    return count
  }
}
