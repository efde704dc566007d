import FoundationEssentials
import Glibc

/// The part of TOML that arrakis's configuration files use: comments, `key = value` with bare keys, basic
/// and literal strings (with escapes), integers, floats, booleans, and arrays of those (over several lines
/// if need be). A `[table]` header is reported so that the caller can warn; the keys under it are kept
/// with their table's name so that they are not mistaken for top-level keys.
///
/// Why not a TOML library: TOMLKit (the usual choice) wraps the C++ toml++ and is not in this machine's
/// package mirror; a full TOML parser is far more than ten flat keys need, and every error here must name
/// the file and line, which this scanner tracks itself.
struct TOMLSubset {
  indirect enum Value: Equatable {
    case string(String)
    case integer(Int)
    case float(Double)
    case bool(Bool)
    case array([Value])
  }

  struct Entry: Equatable {
    var table: String?
    var key: String
    var value: Value
    /// The value as written, for messages such as `got "lots"`.
    var raw: String
    var line: Int
  }

  struct Table: Equatable {
    var name: String
    var line: Int
  }

  struct SyntaxError: Error, Equatable {
    var line: Int
    var message: String
  }

  var entries: [Entry] = []
  var tables: [Table] = []

  static func parse(_ text: String) throws -> TOMLSubset {
    var scanner = Scanner(Array(text.utf8))
    var result = TOMLSubset()
    var table: String?
    while true {
      scanner.skipBlankAndComments()
      guard let c = scanner.peek else { break }
      let line = scanner.line
      if c == UInt8(ascii: "[") {
        let name = try scanner.tableHeader()
        result.tables.append(Table(name: name, line: line))
        table = name
      } else {
        let key = try scanner.bareKey()
        scanner.skipSpaces()
        try scanner.expect("=", "expected '=' after key '\(key)'")
        scanner.skipSpaces()
        let start = scanner.index
        let value: Value
        do { value = try scanner.value() } catch let e as SyntaxError {
          throw SyntaxError(line: e.line, message: "\(key): \(e.message)")
        }
        let raw = String(decoding: scanner.bytes[start..<scanner.index], as: UTF8.self)
        result.entries.append(Entry(table: table, key: key, value: value, raw: raw, line: line))
      }
      try scanner.endOfLine()
    }
    return result
  }
}

/// A byte cursor that counts lines.
private struct Scanner {
  let bytes: [UInt8]
  var index = 0
  var line = 1

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

  mutating func advance() {
    if bytes[index] == UInt8(ascii: "\n") { line += 1 }
    index += 1
  }

  func error(_ message: String) -> TOMLSubset.SyntaxError { TOMLSubset.SyntaxError(line: line, message: message) }

  mutating func skipSpaces() {
    while let c = peek, c == 0x20 || c == 0x09 { advance() }
  }

  mutating func skipComment() {
    if peek == UInt8(ascii: "#") { while let c = peek, c != UInt8(ascii: "\n") { advance() } }
  }

  /// Spaces, comments and newlines: between top-level lines and between array elements.
  mutating func skipBlankAndComments() {
    while let c = peek {
      if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { advance() } else if c == UInt8(ascii: "#") { skipComment() } else { return }
    }
  }

  mutating func endOfLine() throws {
    skipSpaces()
    skipComment()
    if peek == 0x0D { advance() }
    guard let c = peek else { return }
    guard c == 0x0A else { throw error("unexpected '\(Character(Unicode.Scalar(c)))' after the value; one key = value per line") }
    advance()
  }

  mutating func expect(_ char: Character, _ message: String) throws {
    guard let c = peek, c == char.asciiValue else { throw error(message) }
    advance()
  }

  static func isBareKeyByte(_ c: UInt8) -> Bool {
    (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
  }

  mutating func bareKey() throws -> String {
    let start = index
    while let c = peek, Self.isBareKeyByte(c) { advance() }
    guard index > start else { throw error("expected a key (letters, digits, '_' or '-')") }
    return String(decoding: bytes[start..<index], as: UTF8.self)
  }

  mutating func tableHeader() throws -> String {
    advance()
    let start = index
    while let c = peek, c != UInt8(ascii: "]"), c != 0x0A { advance() }
    guard peek == UInt8(ascii: "]") else { throw error("unterminated table header: expected ']'") }
    let name = String(decoding: bytes[start..<index], as: UTF8.self)
    advance()
    if peek == UInt8(ascii: "]") { advance() }  // [[array of tables]]: reported the same way
    return name.trimming(charactersIn: "[ \t")
  }

  mutating func value() throws -> TOMLSubset.Value {
    guard let c = peek else { throw error("expected a value") }
    switch c {
    case UInt8(ascii: "\""): return .string(try basicString())
    case UInt8(ascii: "'"): return .string(try literalString())
    case UInt8(ascii: "["): return try array()
    default: return try scalar()
    }
  }

  mutating func basicString() throws -> String {
    advance()
    var out = [UInt8]()
    while true {
      guard let c = peek, c != 0x0A else { throw error("unterminated string: expected a closing '\"'") }
      advance()
      if c == UInt8(ascii: "\"") { break }
      guard c == UInt8(ascii: "\\") else { out.append(c); continue }
      guard let e = peek else { throw error("unterminated escape in string") }
      advance()
      switch e {
      case UInt8(ascii: "n"): out.append(0x0A)
      case UInt8(ascii: "t"): out.append(0x09)
      case UInt8(ascii: "r"): out.append(0x0D)
      case UInt8(ascii: "b"): out.append(0x08)
      case UInt8(ascii: "f"): out.append(0x0C)
      case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(e)
      case UInt8(ascii: "u"), UInt8(ascii: "U"):
        let count = e == UInt8(ascii: "u") ? 4 : 8
        guard index + count <= bytes.count,
          let code = UInt32(String(decoding: bytes[index..<index + count], as: UTF8.self), radix: 16),
          let scalar = Unicode.Scalar(code)
        else { throw error("invalid \\\(Character(Unicode.Scalar(e))) escape: expected \(count) hex digits of a Unicode scalar") }
        for _ in 0..<count { advance() }
        out.append(contentsOf: Array(String(Character(scalar)).utf8))
      default: throw error("unknown escape '\\\(Character(Unicode.Scalar(e)))' in string")
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  mutating func literalString() throws -> String {
    advance()
    let start = index
    while let c = peek, c != UInt8(ascii: "'") {
      guard c != 0x0A else { throw error("unterminated string: expected a closing \"'\"") }
      advance()
    }
    guard peek != nil else { throw error("unterminated string: expected a closing \"'\"") }
    let s = String(decoding: bytes[start..<index], as: UTF8.self)
    advance()
    return s
  }

  mutating func array() throws -> TOMLSubset.Value {
    advance()
    var items: [TOMLSubset.Value] = []
    while true {
      skipBlankAndComments()
      guard let c = peek else { throw error("unterminated array: expected ']'") }
      if c == UInt8(ascii: "]") { advance(); return .array(items) }
      items.append(try value())
      skipBlankAndComments()
      if peek == UInt8(ascii: ",") { advance(); continue }
      guard peek == UInt8(ascii: "]") else { throw error("expected ',' or ']' in array") }
    }
  }

  /// Booleans, integers and floats: a bare word up to the end of the value.
  mutating func scalar() throws -> TOMLSubset.Value {
    let start = index
    while let c = peek, !(c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == UInt8(ascii: "#") || c == UInt8(ascii: ",") || c == UInt8(ascii: "]")) {
      advance()
    }
    let word = String(decoding: bytes[start..<index], as: UTF8.self)
    if word == "true" { return .bool(true) }
    if word == "false" { return .bool(false) }
    let digits = word.replacing("_", with: "")
    if let i = Int(digits) { return .integer(i) }
    if digits.contains(where: { $0.isNumber }), let d = Double(digits) { return .float(d) }
    if word.isEmpty { throw error("expected a value") }
    throw error("cannot read value '\(word)': strings need quotes, e.g. \"\(word)\"")
  }
}
