/// Simple case folding of non-ASCII scalars, one scalar for one (so offsets carry over), for `-i`:
/// ICU folded case (LONG S `ſ` matched `s`, KELVIN SIGN matched `k`), Swift's `ignoresCase` only
/// compares lowercase mappings, where `ſ` stays `ſ`. BuiltinGrep folds the pattern's and each line's
/// non-ASCII scalars before `ignoresCase` compares them; ASCII text, most of it, is left as it is.
/// A scalar whose folding takes more than one (`ß` → "ss") is kept.
enum CaseFold {
  static func fold(_ s: String) -> String {
    guard !s.utf8.allSatisfy({ $0 < 0x80 }) else { return s }
    var out = String.UnicodeScalarView()
    for u in s.unicodeScalars {
      out.append(u.isASCII ? u : fold(u))
    }
    return String(out)
  }

  static func fold(_ u: Unicode.Scalar) -> Unicode.Scalar {
    guard u.properties.changesWhenCaseFolded || u.properties.changesWhenCaseMapped else { return u }
    let folded = u.properties.uppercaseMapping.lowercased().unicodeScalars
    return folded.count == 1 ? folded.first! : u
  }

  /// The text in `original` of a range of `fold(original)`.
  static func original(_ original: String, _ folded: String, _ r: Range<String.Index>) -> String {
    let f = folded.unicodeScalars, o = original.unicodeScalars
    let lo = f.distance(from: f.startIndex, to: r.lowerBound), n = f.distance(from: r.lowerBound, to: r.upperBound)
    let start = o.index(o.startIndex, offsetBy: lo)
    return String(o[start..<o.index(start, offsetBy: n)])
  }
}
