/// Keeps the first `cap / 2` and the last `cap - cap / 2` bytes of a stream of any length: the start of a
/// build or test log says what ran, the end says how it failed (failures, the summary); the middle of a
/// flood is what we can afford to drop.
struct HeadTailBuffer {
  let headLimit: Int
  let tailLimit: Int
  private(set) var head: [UInt8] = []
  /// Grows to twice `tailLimit` before being trimmed, so a flood costs amortised O(1) per byte.
  private var tail: [UInt8] = []
  /// Bytes appended in total, kept or not.
  private(set) var total = 0

  init(cap: Int) {
    headLimit = max(0, cap / 2)
    tailLimit = max(0, cap - cap / 2)
  }

  mutating func append(_ bytes: UnsafeRawBufferPointer) {
    total += bytes.count
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

  /// Bytes cut from the middle.
  var dropped: Int { max(0, total - head.count - min(tail.count, tailLimit)) }
  var truncated: Bool { dropped > 0 }

  /// The kept text, with a note of how much was cut from the middle.
  func text() -> String {
    let kept = tail.suffix(tailLimit)
    guard truncated else { return String(decoding: head + kept, as: UTF8.self) }
    return String(decoding: head, as: UTF8.self)
      + "\n\n... [\(dropped) bytes truncated from the middle of \(total) bytes of output] ...\n\n"
      + String(decoding: kept, as: UTF8.self)
  }
}
