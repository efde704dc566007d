import Glibc

extension String {
  /// printf-style formatting of numbers (`"%.2f"`, `"%04d"`, `"%g"`), through the C library's vsnprintf:
  /// what `String(format:)` gives for these, without the full Foundation (docs/ARCHITECTURE.md,
  /// "Foundation"). Only numeric conversions: a `%s`/`%@` argument is not a C string here.
  public init(cFormat format: String, _ arguments: CVarArg...) {
    var buffer = [CChar](repeating: 0, count: 64)
    // A va_list is consumed by one call, so the retry with a larger buffer makes a new one.
    let needed = Int(withVaList(arguments) { vsnprintf(&buffer, buffer.count, format, $0) })
    if needed >= buffer.count {
      buffer = [CChar](repeating: 0, count: needed + 1)
      _ = withVaList(arguments) { vsnprintf(&buffer, buffer.count, format, $0) }
    }
    self = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
