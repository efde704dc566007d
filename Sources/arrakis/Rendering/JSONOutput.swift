import FoundationEssentials
import Glibc

/// JSON for scripts: snake_case keys, ISO-8601 dates, stable key order.
enum JSONOutput {
  static func encoder(pretty: Bool = false) -> JSONEncoder {
    let e = JSONEncoder()
    e.keyEncodingStrategy = .convertToSnakeCase
    e.dateEncodingStrategy = .iso8601
    e.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
    return e
  }

  static func string<T: Encodable>(_ value: T, pretty: Bool = false) throws -> String {
    String(decoding: try encoder(pretty: pretty).encode(value), as: UTF8.self)
  }
}
