import FoundationEssentials
import Glibc

/// Line boundaries of one file's bytes, found with memchr so that counting lines costs one pass of
/// vectorised scanning. Everything else the scanner measures (code lines, markers, functions) indexes into it.
struct LineIndex {
  let bytes: UnsafeBufferPointer<UInt8>
  /// Offset of the first byte of each line. A trailing newline does not start an extra line.
  private(set) var starts: [Int] = []

  init(_ bytes: UnsafeBufferPointer<UInt8>) {
    self.bytes = bytes
    guard let base = bytes.baseAddress, bytes.count > 0 else { return }
    starts.reserveCapacity(bytes.count / 32 + 1)
    starts.append(0)
    var offset = 0
    while offset < bytes.count {
      guard let hit = memchr(base + offset, 0x0A, bytes.count - offset) else { break }
      let next = base.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + 1
      if next < bytes.count { starts.append(next) }
      offset = next
    }
  }

  var count: Int { starts.count }

  /// Byte range of line `i` (0-based) without its newline (and without a `\r` before it).
  func range(_ i: Int) -> Range<Int> {
    var end = i + 1 < starts.count ? starts[i + 1] - 1 : bytes.count
    if end > starts[i] && bytes[end - 1] == 0x0A { end -= 1 }
    if end > starts[i] && bytes[end - 1] == 0x0D { end -= 1 }
    return starts[i]..<end
  }

  /// The line range without leading and trailing whitespace (empty range for blank lines).
  func trimmed(_ i: Int) -> Range<Int> {
    var r = range(i)
    while r.lowerBound < r.upperBound && isSpace(bytes[r.lowerBound]) { r = (r.lowerBound + 1)..<r.upperBound }
    while r.upperBound > r.lowerBound && isSpace(bytes[r.upperBound - 1]) { r = r.lowerBound..<(r.upperBound - 1) }
    return r
  }

  /// Leading whitespace width; a tab counts as 8 so mixed Python indentation still orders correctly.
  func indent(_ i: Int) -> Int {
    var n = 0
    for o in range(i) {
      switch bytes[o] {
      case 0x20: n += 1
      case 0x09: n += 8 - n % 8
      default: return n
      }
    }
    return n
  }

  func isBlank(_ i: Int) -> Bool { trimmed(i).isEmpty }

  /// 0-based line containing byte `offset`.
  func line(containing offset: Int) -> Int {
    var lo = 0, hi = starts.count
    while lo + 1 < hi {
      let mid = (lo + hi) / 2
      if starts[mid] <= offset { lo = mid } else { hi = mid }
    }
    return lo
  }

  func string(_ r: Range<Int>) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: bytes[r]), as: UTF8.self)
  }

  func hasPrefix(_ r: Range<Int>, _ prefix: StaticString) -> Bool {
    let n = prefix.utf8CodeUnitCount
    guard r.count >= n else { return false }
    let p = prefix.utf8Start
    for k in 0..<n where bytes[r.lowerBound + k] != p[k] { return false }
    return true
  }

  /// Whether the bytes in `r` contain `needle`.
  func contains(_ r: Range<Int>, _ needle: StaticString) -> Bool {
    guard r.count >= needle.utf8CodeUnitCount, let base = bytes.baseAddress else { return false }
    return findBytes(base + r.lowerBound, r.count, needle.utf8Start, needle.utf8CodeUnitCount) != nil
  }
}

@inline(__always) func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A || b == 0x0C || b == 0x0B }
@inline(__always) func isIdentByte(_ b: UInt8) -> Bool {
  (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b >= 0x80
}

/// memmem is a GNU extension that Swift's Glibc module does not import; memchr for the first byte plus
/// memcmp for the rest is nearly as fast for the short needles used here.
func findBytes(_ haystack: UnsafeRawPointer, _ count: Int, _ needle: UnsafeRawPointer, _ needleCount: Int) -> UnsafeRawPointer? {
  guard needleCount > 0, count >= needleCount else { return nil }
  let first = Int32(needle.load(as: UInt8.self))
  var offset = 0
  let last = count - needleCount
  while offset <= last {
    guard let hit = memchr(haystack + offset, first, last - offset + 1) else { return nil }
    if memcmp(hit, needle, needleCount) == 0 { return UnsafeRawPointer(hit) }
    offset = haystack.distance(to: UnsafeRawPointer(hit)) + 1
  }
  return nil
}
