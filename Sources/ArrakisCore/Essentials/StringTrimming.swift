import Glibc

/// The string operations arrakis used from NSString (trimming, searching from the end, replacing), which
/// FoundationEssentials does not carry: the full Foundation is not linked (docs/ARCHITECTURE.md,
/// "Foundation"). Characters, not UTF-16 units, so "\r\n" counts as one newline.
extension String {
  /// Without leading and trailing whitespace and newlines (NSString's `.whitespacesAndNewlines`).
  public var trimmed: String { trimming(where: \.isWhitespace) }

  /// Without leading and trailing spaces and tabs; newlines stay (NSString's `.whitespaces`).
  public var trimmingSpacesAndTabs: String { trimming { $0.isWhitespace && !$0.isNewline } }

  /// Without leading and trailing characters found in `characters` (NSString's `CharacterSet(charactersIn:)`).
  public func trimming(charactersIn characters: String) -> String {
    let set = Set(characters.unicodeScalars)
    return trimming { $0.unicodeScalars.allSatisfy(set.contains) }
  }

  public func trimming(where drop: (Character) -> Bool) -> String {
    guard let first = firstIndex(where: { !drop($0) }), let last = lastIndex(where: { !drop($0) }) else { return "" }
    return String(self[first...last])
  }
}

extension StringProtocol {
  /// `trimmed` and `trimmingSpacesAndTabs` of substrings and other string kinds.
  public var trimmed: String { String(self).trimmed }
  public var trimmingSpacesAndTabs: String { String(self).trimmingSpacesAndTabs }

  /// The last occurrence of `needle` (NSString's `range(of:options: .backwards)`).
  public func lastRange(of needle: String) -> Range<Index>? {
    guard !needle.isEmpty else { return nil }
    var start = endIndex
    while start > startIndex {
      formIndex(before: &start)
      if self[start...].hasPrefix(needle) { return start..<index(start, offsetBy: needle.count) }
    }
    return nil
  }
}

extension String {
  /// Left-aligned in a column of `width` characters (NSString's `padding(toLength:withPad: " ", startingAt: 0)`,
  /// which also cuts a longer string to the width).
  public func paddedToWidth(_ width: Int) -> String {
    count >= width ? String(prefix(width)) : self + String(repeating: " ", count: width - count)
  }
}
