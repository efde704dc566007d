/// Keeps the first and last `limit / 2` bytes of a stream. Test output is most useful at both ends:
/// the start shows what ran, the end shows the failures and the summary; the middle of a 50 MB log is noise.
struct OutputCapture {
  let headLimit: Int
  let tailLimit: Int
  private(set) var head: [UInt8] = []
  /// Grows to twice `tailLimit` before being trimmed, so trimming is amortised.
  private var tail: [UInt8] = []
  private(set) var total = 0

  init(limit: Int) {
    headLimit = max(0, limit / 2)
    tailLimit = max(0, limit - limit / 2)
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

  var truncated: Bool { total > head.count + min(tail.count, tailLimit) }

  /// The captured text, with a note where bytes were dropped.
  var text: String {
    let kept = tail.suffix(tailLimit)
    let omitted = total - head.count - kept.count
    if omitted <= 0 { return String(decoding: head + kept, as: UTF8.self) }
    return String(decoding: head, as: UTF8.self) + "\n… [\(omitted) bytes of output omitted] …\n"
      + String(decoding: kept, as: UTF8.self)
  }
}

/// Splits a byte stream into lines for the parser, which must see every line even when the
/// captured output is capped. Over-long lines are cut (a minified bundle is not a test result).
struct LineSplitter {
  static let maxLine = 4096
  private var pending: [UInt8] = []

  mutating func feed(_ bytes: UnsafeRawBufferPointer, _ emit: (String) -> Void) {
    for b in bytes {
      if b == 0x0A {
        flush(emit)
      } else if pending.count < LineSplitter.maxLine {
        pending.append(b)
      }
    }
  }

  mutating func flush(_ emit: (String) -> Void) {
    if pending.last == 0x0D { pending.removeLast() }
    emit(String(decoding: pending, as: UTF8.self))
    pending.removeAll(keepingCapacity: true)
  }

  mutating func finish(_ emit: (String) -> Void) {
    if !pending.isEmpty { flush(emit) }
  }
}
