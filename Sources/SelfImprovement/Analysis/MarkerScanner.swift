import Foundation

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
        var text = index.string(at..<index.trimmed(line).upperBound)
        if text.count > maxText { text = String(text.prefix(maxText)) }
        found.append(Marker(path: path, line: line + 1, kind: kind, text: text))
      }
    }
    found.sort { ($0.line, $0.kind.rawValue) < ($1.line, $1.kind.rawValue) }
    return found
  }
}
