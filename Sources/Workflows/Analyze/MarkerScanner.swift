import FoundationEssentials
import Glibc

/// Finds TODO/FIXME/HACK/XXX markers. a byte search over the whole file per marker is far cheaper than
/// looking at every line; only hits are mapped back to line numbers.
enum MarkerScanner {
  static let maxText = 200

  static func scan(_ index: LineIndex, path: String) -> [Marker] {
    guard let base = index.bytes.baseAddress else { return [] }
    let count = index.bytes.count
    var found: [Marker] = []
    for kind in Marker.Kind.allCases {
      let needle = Array(kind.rawValue.utf8)
      var offset = 0
      while offset < count {
        guard let hit = findBytes(base + offset, count - offset, needle, needle.count) else { break }
        let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        offset = at + needle.count
        // Whole words only: "XXXX", "HACKING" and "todoList" identifiers are not markers.
        if at > 0 && isIdentByte(index.bytes[at - 1]) { continue }
        if at + needle.count < count && isIdentByte(index.bytes[at + needle.count]) { continue }
        let line = index.line(containing: at)
        guard isMarkerUse(index, at: at, length: needle.count, lineStart: index.trimmed(line).lowerBound) else { continue }
        var text = index.string(at..<index.trimmed(line).upperBound)
        if text.count > maxText { text = String(text.prefix(maxText)) }
        found.append(Marker(path: path, line: line + 1, kind: kind, text: text))
      }
    }
    found.sort { ($0.line, $0.kind.rawValue) < ($1.line, $1.kind.rawValue) }
    return found
  }

  /// A marker is `TODO:` / `TODO(name)` anywhere, or the keyword as the first word of a comment
  /// (`// TODO fix`, `# XXX`, a line `# FIXME` of its own). Up to three `!` or `?` may follow the keyword
  /// (`FIXME! …`, `TODO?: …`). Prose that mentions the words ("TODO/FIXME markers", "a HACK here",
  /// "is this a FIXME? no") is not one.
  static func isMarkerUse(_ index: LineIndex, at: Int, length: Int, lineStart: Int) -> Bool {
    let bytes = index.bytes
    var end = at + length
    while end < bytes.count, end < at + length + 3, bytes[end] == UInt8(ascii: "!") || bytes[end] == UInt8(ascii: "?") {
      end += 1
    }
    let after = end < bytes.count ? bytes[end] : 0x0A
    if after == UInt8(ascii: ":") || after == UInt8(ascii: "(") { return true }
    guard after == 0x20 || after == 0x09 || after == 0x0A || after == 0x0D else { return false }
    // Back over spaces, then a run of comment-leader characters, which must start the line or follow a space.
    func isLeader(_ b: UInt8) -> Bool { b == 47 || b == 42 || b == 35 || b == 45 || b == 59 || b == 33 }  // / * # - ; !
    var i = at - 1
    while i >= lineStart, bytes[i] == 0x20 || bytes[i] == 0x09 { i -= 1 }
    let leaderEnd = i
    while i >= lineStart, isLeader(bytes[i]) { i -= 1 }
    guard i < leaderEnd else { return false }
    return i < lineStart || bytes[i] == 0x20 || bytes[i] == 0x09
  }
}
