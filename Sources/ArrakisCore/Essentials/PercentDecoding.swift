extension String {
  /// `%2F` → `/`, as URL paths carry it; nil when a `%` is not followed by two hex digits or the bytes are
  /// not UTF-8 (what NSString's `removingPercentEncoding` answers; the full Foundation is not linked:
  /// docs/ARCHITECTURE.md, "Foundation").
  public func removingPercentEncoding() -> String? {
    var bytes: [UInt8] = []
    var utf8 = self.utf8.makeIterator()
    func hex(_ b: UInt8?) -> UInt8? {
      switch b {
      case (0x30...0x39)?: return b! - 0x30
      case (0x41...0x46)?: return b! - 0x41 + 10
      case (0x61...0x66)?: return b! - 0x61 + 10
      default: return nil
      }
    }
    while let b = utf8.next() {
      guard b == 0x25 else { bytes.append(b); continue }
      guard let high = hex(utf8.next()), let low = hex(utf8.next()) else { return nil }
      bytes.append(high << 4 | low)
    }
    return String(validating: bytes, as: UTF8.self)
  }
}
