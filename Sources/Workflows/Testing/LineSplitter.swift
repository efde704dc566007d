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
