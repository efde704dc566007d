/// Parses JSON text into a JSONValue in one pass over the bytes. Decoding through `JSONValue: Decodable`
/// guesses each value's type by trying Bool, Double, String… in turn, and every failed guess throws;
/// with one parse per streamed event that dominated the cost of reading a reply.
struct JSONReader {
  struct Failure: Error, CustomStringConvertible {
    var offset: Int
    var reason: String
    var description: String { "malformed JSON at byte \(offset): \(reason)" }
  }

  private let bytes: [UInt8]
  private var i = 0

  static func parse<S: Sequence>(_ input: S) throws -> JSONValue where S.Element == UInt8 {
    var reader = JSONReader(bytes: Array(input))
    reader.skipSpace()
    let value = try reader.value(depth: 0)
    reader.skipSpace()
    guard reader.i == reader.bytes.count else { throw Failure(offset: reader.i, reason: "unexpected trailing characters") }
    return value
  }

  private init(bytes: [UInt8]) { self.bytes = bytes }

  private mutating func skipSpace() {
    while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
  }

  private func fail(_ reason: String) -> Failure { Failure(offset: i, reason: reason) }

  private mutating func value(depth: Int) throws -> JSONValue {
    guard depth < 512 else { throw fail("nested too deeply") }
    guard i < bytes.count else { throw fail("unexpected end") }
    switch bytes[i] {
    case UInt8(ascii: "{"): return try object(depth: depth)
    case UInt8(ascii: "["): return try array(depth: depth)
    case UInt8(ascii: "\""): return .string(try string())
    case UInt8(ascii: "t"): try literal("true"); return .bool(true)
    case UInt8(ascii: "f"): try literal("false"); return .bool(false)
    case UInt8(ascii: "n"): try literal("null"); return .null
    default: return .number(try number())
    }
  }

  private mutating func literal(_ word: String) throws {
    for b in word.utf8 {
      guard i < bytes.count, bytes[i] == b else { throw fail("expected \(word)") }
      i += 1
    }
  }

  private mutating func object(depth: Int) throws -> JSONValue {
    i += 1
    var o: [String: JSONValue] = [:]
    skipSpace()
    if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(o) }
    while true {
      skipSpace()
      guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a key") }
      let key = try string()
      skipSpace()
      guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
      i += 1
      skipSpace()
      o[key] = try value(depth: depth + 1)
      skipSpace()
      guard i < bytes.count else { throw fail("unterminated object") }
      if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
      if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(o) }
      throw fail("expected ',' or '}'")
    }
  }

  private mutating func array(depth: Int) throws -> JSONValue {
    i += 1
    var a: [JSONValue] = []
    skipSpace()
    if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(a) }
    while true {
      skipSpace()
      a.append(try value(depth: depth + 1))
      skipSpace()
      guard i < bytes.count else { throw fail("unterminated array") }
      if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
      if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(a) }
      throw fail("expected ',' or ']'")
    }
  }

  private mutating func number() throws -> Double {
    let start = i
    while i < bytes.count {
      let b = bytes[i]
      if (b >= 48 && b <= 57) || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: ".")
        || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
      { i += 1 } else { break }
    }
    guard i > start, let n = Double(String(decoding: bytes[start..<i], as: UTF8.self)) else {
      throw Failure(offset: start, reason: "invalid value")
    }
    return n
  }

  private mutating func string() throws -> String {
    i += 1
    let start = i
    // Fast path: no escapes.
    while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\") { i += 1 }
    guard i < bytes.count else { throw fail("unterminated string") }
    if bytes[i] == UInt8(ascii: "\"") {
      defer { i += 1 }
      return String(decoding: bytes[start..<i], as: UTF8.self)
    }
    var out = Array(bytes[start..<i])
    while i < bytes.count {
      let b = bytes[i]
      if b == UInt8(ascii: "\"") { i += 1; return String(decoding: out, as: UTF8.self) }
      if b != UInt8(ascii: "\\") { out.append(b); i += 1; continue }
      i += 1
      guard i < bytes.count else { break }
      let e = bytes[i]
      i += 1
      switch e {
      case UInt8(ascii: "\""): out.append(34)
      case UInt8(ascii: "\\"): out.append(92)
      case UInt8(ascii: "/"): out.append(47)
      case UInt8(ascii: "n"): out.append(10)
      case UInt8(ascii: "r"): out.append(13)
      case UInt8(ascii: "t"): out.append(9)
      case UInt8(ascii: "b"): out.append(8)
      case UInt8(ascii: "f"): out.append(12)
      case UInt8(ascii: "u"):
        var scalar = try hex4()
        if (0xD800..<0xDC00).contains(scalar), i + 1 < bytes.count, bytes[i] == 92, bytes[i + 1] == UInt8(ascii: "u") {
          i += 2
          let low = try hex4()
          if (0xDC00..<0xE000).contains(low) { scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00) } else { scalar = 0xFFFD }
        }
        out.append(contentsOf: String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8)
      default: throw fail("invalid escape")
      }
    }
    throw fail("unterminated string")
  }

  private mutating func hex4() throws -> UInt32 {
    guard i + 4 <= bytes.count else { throw fail("short \\u escape") }
    var v: UInt32 = 0
    for _ in 0..<4 {
      let c = bytes[i]
      let d: UInt32
      switch c {
      case 48...57: d = UInt32(c - 48)
      case 65...70: d = UInt32(c - 55)
      case 97...102: d = UInt32(c - 87)
      default: throw fail("bad hex digit")
      }
      v = v * 16 + d
      i += 1
    }
    return v
  }
}
