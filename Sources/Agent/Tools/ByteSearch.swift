import FoundationEssentials
import Glibc

/// Substring search on bytes. glibc's memmem (SIMD two-way) is not exported to Swift because it is a
/// GNU extension, so we look it up once with dlsym; memchr+memcmp is the fallback.
enum ByteSearch {
  typealias MemmemFn = @convention(c) (UnsafeRawPointer?, Int, UnsafeRawPointer?, Int) -> UnsafeMutableRawPointer?

  static let memmemFn: MemmemFn? = {
    guard let sym = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "memmem") else { return nil }
    return unsafeBitCast(sym, to: MemmemFn.self)
  }()

  /// Offset of the first occurrence of `needle` at or after `from`, or nil.
  static func find(_ hay: UnsafeRawBufferPointer, _ needle: [UInt8], from: Int) -> Int? {
    guard from <= hay.count, let base = hay.baseAddress else { return nil }
    let sub = UnsafeRawBufferPointer(start: base + from, count: hay.count - from)
    if let f = memmemFn {
      guard let p = needle.withUnsafeBytes({ f(sub.baseAddress, sub.count, $0.baseAddress, needle.count) }) else { return nil }
      return UnsafeRawPointer(p) - base
    }
    var k = from
    while k + needle.count <= hay.count {
      if contains(UnsafeRawBufferPointer(start: base + k, count: needle.count), needle) { return k }
      k += 1
    }
    return nil
  }

  static func contains(_ hay: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
    guard needle.count <= hay.count, let base = hay.baseAddress else { return needle.isEmpty }
    if let f = memmemFn { return needle.withUnsafeBytes { f(base, hay.count, $0.baseAddress, needle.count) != nil } }
    var p = base
    let end = base + hay.count - needle.count
    while p <= end {
      guard let hit = memchr(p, Int32(needle[0]), end - p + 1) else { return false }
      if needle.withUnsafeBytes({ memcmp(hit, $0.baseAddress!, needle.count) }) == 0 { return true }
      p = UnsafeRawPointer(hit) + 1
    }
    return false
  }
}
