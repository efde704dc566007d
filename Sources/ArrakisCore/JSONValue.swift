import FoundationEssentials
import Glibc

/// A JSON document of any shape. The Messages API adds fields and block types over time, so the client
/// keeps what it does not model as `JSONValue` instead of failing to decode it.
public enum JSONValue: Equatable, Sendable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  public subscript(key: String) -> JSONValue? {
    if case .object(let o) = self { return o[key] }
    return nil
  }

  public subscript(index: Int) -> JSONValue? {
    if case .array(let a) = self, a.indices.contains(index) { return a[index] }
    return nil
  }

  public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
  public var doubleValue: Double? { if case .number(let n) = self { return n }; return nil }
  public var intValue: Int? { if case .number(let n) = self, n.rounded() == n, abs(n) < 9e15 { return Int(n) }; return nil }
  public var boolValue: Bool? { if case .bool(let b) = self { return b }; return nil }
  public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a }; return nil }
  public var objectValue: [String: JSONValue]? { if case .object(let o) = self { return o }; return nil }
  public var isNull: Bool { if case .null = self { return true }; return false }
}

extension JSONValue: Codable {
  public init(from decoder: Decoder) throws {
    let c = try decoder.singleValueContainer()
    if c.decodeNil() { self = .null }
    else if let b = try? c.decode(Bool.self) { self = .bool(b) }
    else if let n = try? c.decode(Double.self) { self = .number(n) }
    else if let s = try? c.decode(String.self) { self = .string(s) }
    else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
    else { self = .object(try c.decode([String: JSONValue].self)) }
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.singleValueContainer()
    switch self {
    case .null: try c.encodeNil()
    case .bool(let b): try c.encode(b)
    case .number(let n):
      if n.rounded() == n, abs(n) < 9e15 { try c.encode(Int64(n)) } else { try c.encode(n) }
    case .string(let s): try c.encode(s)
    case .array(let a): try c.encode(a)
    case .object(let o): try c.encode(o)
    }
  }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
  ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByFloatLiteral, ExpressibleByNilLiteral
{
  public init(stringLiteral value: String) { self = .string(value) }
  public init(integerLiteral value: Int) { self = .number(Double(value)) }
  public init(floatLiteral value: Double) { self = .number(value) }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
  public init(dictionaryLiteral elements: (String, JSONValue)...) {
    self = .object(Dictionary(elements, uniquingKeysWith: { _, new in new }))
  }
  public init(nilLiteral: ()) { self = .null }
}

extension JSONValue {
  /// Parses JSON text; throws on malformed input.
  public static func parse(_ data: Data) throws -> JSONValue {
    try JSONReader.parse(data)
  }

  public static func parse(_ text: String) throws -> JSONValue {
    try JSONReader.parse(text.utf8)
  }

  /// Compact JSON with sorted keys, so that the same value always serialises to the same bytes
  /// (prompt caching matches on the exact prefix).
  public func serialized(pretty: Bool = false) -> String {
    JSONWriter.write(self, pretty: pretty)
  }

  /// Encodes any Encodable value into a JSONValue.
  public init<T: Encodable>(encoding value: T) throws {
    let data = try JSONEncoder().encode(value)
    self = try JSONValue.parse(data)
  }

  /// Decodes this value into any Decodable type.
  public func decode<T: Decodable>(_ type: T.Type) throws -> T {
    try JSONDecoder().decode(T.self, from: Data(serialized().utf8))
  }
}
