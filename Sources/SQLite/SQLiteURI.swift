extension SQLiteDatabase {
  /// The `file:` URI of a path, with `query` (e.g. "immutable=1") after it: the path's bytes other than
  /// letters, digits and `-._~/!$&'()*+,;=:@` written as %XX, so that a `?`, `#` or `%` in a folder name
  /// stays part of the path. Open it with `uri: true`.
  public static func fileURI(path: String, query: String) -> String {
    var uri = "file:"
    for byte in path.utf8 {
      if isAllowed(byte) {
        uri.unicodeScalars.append(Unicode.Scalar(byte))
      } else {
        uri += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xf, radix: 16, uppercase: true)
      }
    }
    return query.isEmpty ? uri : uri + "?" + query
  }

  private static func isAllowed(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      return true
    default:
      return "-._~/!$&'()*+,;=:@".utf8.contains(byte)
    }
  }
}
