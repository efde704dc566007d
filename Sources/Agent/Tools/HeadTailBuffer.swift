/// Keeps the first and last `cap/2` bytes of a stream of any length: the start of a build log says
/// what ran, the end says how it failed; the middle of a flood is what we can afford to drop.
struct HeadTailBuffer {
  let half: Int
  private(set) var head: [UInt8] = []
  private var tail: [UInt8] = []
  private(set) var total = 0

  init(cap: Int) { half = max(cap / 2, 1) }

  mutating func append(_ bytes: UnsafeRawBufferPointer) {
    total += bytes.count
    var rest = bytes[...]
    if head.count < half {
      let take = min(half - head.count, rest.count)
      head.append(contentsOf: rest.prefix(take))
      rest = rest.dropFirst(take)
    }
    guard !rest.isEmpty else { return }
    tail.append(contentsOf: rest)
    // Trim in batches so a flood costs amortised O(1) per byte.
    if tail.count > half * 2 { tail.removeFirst(tail.count - half) }
  }

  var dropped: Int { max(0, total - head.count - min(tail.count, half)) }

  /// The kept text, with a note of how much was cut from the middle.
  func text() -> String {
    if total <= half * 2 { return String(decoding: head + tail, as: UTF8.self) }
    let end = tail.suffix(half)
    return String(decoding: head, as: UTF8.self)
      + "\n\n... [\(dropped) bytes truncated from the middle of \(total) bytes of output] ...\n\n"
      + String(decoding: end, as: UTF8.self)
  }
}
