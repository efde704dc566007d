/// A pattern compiled as the NSRegularExpression (ICU) patterns of arrakis were matched, as far as Swift's
/// Regex can: ICU's simple word boundaries (`\b` between `\w` and `\W`; Swift's default follows UAX #29,
/// where `obj.field` is one word and `\bfield\b` would not match).
/// Characters (grapheme clusters), not ICU's Unicode scalars: with `.unicodeScalar` semantics Swift 6.3's
/// simple `\b` never matches after a digit (`foo\d\b` misses "foo2 "). The two differ only on combining
/// sequences and on "\r\n", which BuiltinGrep's lines do not hold.
public enum SwiftRegex {
  public static func compile(_ pattern: String) throws -> Regex<AnyRegexOutput> {
    try Regex(pattern).wordBoundaryKind(.simple)
  }
}
