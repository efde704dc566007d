/// Edit's matching on bytes, against the file as Read showed it. Read shows each line without its "\r",
/// so a model's old_string has "\n" line ends whatever the file uses: it is matched against the file
/// with every "\r\n" seen as "\n", the match is mapped back to the file's own bytes, and the "\n"s of
/// new_string take the line ends of the text they replace, so a CRLF or mixed file keeps its line ends.
struct LineEndEdit {
  let original: [UInt8]
  /// The file with each "\r\n" as "\n".
  let normalized: [UInt8]
  /// Offsets in `normalized` of the "\n"s that were "\r\n" (ascending).
  let crlfAt: [Int]

  init(_ bytes: [UInt8]) {
    original = bytes
    var n: [UInt8] = []
    n.reserveCapacity(bytes.count)
    var at: [Int] = []
    var k = 0
    while k < bytes.count {
      if bytes[k] == 13, k + 1 < bytes.count, bytes[k + 1] == 10 { at.append(n.count); n.append(10); k += 2; continue }
      n.append(bytes[k])
      k += 1
    }
    normalized = n
    crlfAt = at
  }

  static func normalize(_ s: String) -> [UInt8] { LineEndEdit(Array(s.utf8)).normalized }

  /// Non-overlapping occurrences of `needle` in `normalized`, left to right (as replacingOccurrences counts).
  func ranges(of needle: [UInt8]) -> [Range<Int>] { LineEndEdit.ranges(of: needle, in: normalized) }

  /// `original` with each range of it in `matches` replaced by `new` byte for byte: for an old_string
  /// holding a "\r" that is not part of a line end (copied from Grep's output of a CRLF line, say).
  func replacingExactly(_ matches: [Range<Int>], with new: String) -> [UInt8] {
    var out: [UInt8] = []
    var copied = 0
    for m in matches {
      out += original[copied..<m.lowerBound]
      out += Array(new.utf8)
      copied = m.upperBound
    }
    out += original[copied...]
    return out
  }

  static func ranges(of needle: [UInt8], in bytes: [UInt8]) -> [Range<Int>] {
    guard !needle.isEmpty, needle.count <= bytes.count else { return [] }
    var out: [Range<Int>] = []
    bytes.withUnsafeBytes { hay in
      var from = 0
      while let hit = ByteSearch.find(hay, needle, from: from) {
        out.append(hit..<(hit + needle.count))
        from = hit + needle.count
        if from > hay.count - needle.count { break }
      }
    }
    return out
  }

  /// The offset in `original` of offset `n` in `normalized`.
  func originalOffset(_ n: Int) -> Int { n + crlfBefore(n) }

  /// How many CRLF line ends lie before normalized offset `n`.
  private func crlfBefore(_ n: Int) -> Int {
    var lo = 0, hi = crlfAt.count
    while lo < hi { let mid = (lo + hi) / 2; if crlfAt[mid] < n { lo = mid + 1 } else { hi = mid } }
    return lo
  }

  /// `original` with each of `matches` replaced by `new` (line ends chosen as described above).
  func replacing(_ matches: [Range<Int>], with new: String) -> [UInt8] {
    let replacement = LineEndEdit.normalize(new)
    var out: [UInt8] = []
    out.reserveCapacity(original.count + matches.count * replacement.count)
    var copied = 0
    for m in matches {
      let from = originalOffset(m.lowerBound), to = originalOffset(m.upperBound)
      out += original[copied..<from]
      out += withLineEnds(replacement, replacing: m)
      copied = to
    }
    out += original[copied...]
    return out
  }

  /// `text` (with "\n" line ends) given the line ends of the normalized range `m`, in order; extra lines
  /// take the last of them, or, when `m` holds none, the end of the line `m` lies on.
  private func withLineEnds(_ text: [UInt8], replacing m: Range<Int>) -> [UInt8] {
    var ends: [Bool] = []  // true = CRLF, for each "\n" inside m
    for k in m where normalized[k] == 10 { ends.append(isCRLF(k)) }
    let fallback: Bool = ends.last ?? {
      var k = m.upperBound
      while k < normalized.count, normalized[k] != 10 { k += 1 }
      if k < normalized.count { return isCRLF(k) }
      return crlfAt.count * 2 > normalized.lazy.filter { $0 == 10 }.count  // no line end after: the file's usual one
    }()
    var out: [UInt8] = []
    out.reserveCapacity(text.count + 8)
    var i = 0
    for b in text {
      if b == 10 {
        if i < ends.count ? ends[i] : fallback { out.append(13) }
        i += 1
      }
      out.append(b)
    }
    return out
  }

  private func isCRLF(_ k: Int) -> Bool {
    let i = crlfBefore(k)
    return i < crlfAt.count && crlfAt[i] == k
  }
}
