import FoundationEssentials
import Glibc

/// Identifies a finding across analyses: the same normalised title and file set, and the same content of
/// those files. Stored as `<finding>.<content>` so that an improvement rolled back earlier is recognised
/// while the code is unchanged, and proposed again once any of its files changed.
public enum Fingerprint {
  public static func of(title: String, files: [String], root: String) -> String {
    finding(title: title, files: files) + "." + content(files: files, root: root)
  }

  /// Lowercased, punctuation dropped, whitespace collapsed title, plus the sorted, de-duplicated paths.
  public static func finding(title: String, files: [String]) -> String {
    let words = title.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber })
    let key = words.joined(separator: " ") + "\n" + Set(files).sorted().joined(separator: "\n")
    return hex(fnv1a(Array(key.utf8)))
  }

  /// One hash over the files' paths and bytes; a missing file hashes as absent, so deleting it counts as a change.
  public static func content(files: [String], root: String) -> String {
    var h = fnvOffset
    for path in Set(files).sorted() {
      h = fnv1a(Array(path.utf8), seed: h)
      if let data = FileManager.default.contents(atPath: root + "/" + path) {
        h = data.withUnsafeBytes { fnv1a(UnsafeRawBufferPointer($0), seed: h) }
      } else {
        h = fnv1a(Array("\u{0}absent".utf8), seed: h)
      }
    }
    return hex(h)
  }

  // FNV-1a 64: not cryptographic, which a dedupe key does not need, and free of dependencies.
  static let fnvOffset: UInt64 = 0xcbf2_9ce4_8422_2325
  static func fnv1a<C: Collection>(_ bytes: C, seed: UInt64 = fnvOffset) -> UInt64 where C.Element == UInt8 {
    var h = seed
    for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
    return h
  }

  static func hex(_ v: UInt64) -> String {
    let s = String(v, radix: 16)
    return String(repeating: "0", count: 16 - s.count) + s
  }
}
