/// Serialises a JSONValue straight to UTF-8 with sorted keys. Foundation's JSONEncoder goes through
/// Codable's generic machinery (dynamic casts, metadata look-ups) for every value, which made request
/// building the largest cost of an agent turn; this writer is a plain recursive walk.
enum JSONWriter {
  static func write(_ value: JSONValue, pretty: Bool) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(256)
    write(value, into: &out, pretty: pretty, indent: 0)
    return String(decoding: out, as: UTF8.self)
  }

  static func write(_ value: JSONValue, into out: inout [UInt8]) {
    write(value, into: &out, pretty: false, indent: 0)
  }

  private static func write(_ value: JSONValue, into out: inout [UInt8], pretty: Bool, indent: Int) {
    switch value {
    case .null: out.append(contentsOf: "null".utf8)
    case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
    case .number(let n): writeNumber(n, into: &out)
    case .string(let s): writeString(s, into: &out)
    case .array(let a):
      out.append(UInt8(ascii: "["))
      for (i, v) in a.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        newline(&out, pretty, indent + 1)
        write(v, into: &out, pretty: pretty, indent: indent + 1)
      }
      if !a.isEmpty { newline(&out, pretty, indent) }
      out.append(UInt8(ascii: "]"))
    case .object(let o):
      out.append(UInt8(ascii: "{"))
      for (i, key) in o.keys.sorted().enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        newline(&out, pretty, indent + 1)
        writeString(key, into: &out)
        out.append(contentsOf: (pretty ? " : " : ":").utf8)
        write(o[key]!, into: &out, pretty: pretty, indent: indent + 1)
      }
      if !o.isEmpty { newline(&out, pretty, indent) }
      out.append(UInt8(ascii: "}"))
    }
  }

  private static func newline(_ out: inout [UInt8], _ pretty: Bool, _ indent: Int) {
    guard pretty else { return }
    out.append(UInt8(ascii: "\n"))
    out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * 2))
  }

  private static func writeNumber(_ n: Double, into out: inout [UInt8]) {
    if n.rounded() == n, abs(n) < 9e15 {
      out.append(contentsOf: String(Int64(n)).utf8)
    } else if n.isFinite {
      out.append(contentsOf: "\(n)".utf8)  // shortest round-trip form; exponents are valid JSON
    } else {
      out.append(contentsOf: "null".utf8)  // JSON has no NaN or infinity
    }
  }

  private static let hex = Array("0123456789abcdef".utf8)

  static func writeString(_ s: String, into out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    var s = s
    s.withUTF8 { bytes in
      // Copy runs of bytes that need no escaping in one go; most text is one long run.
      var runStart = 0
      for (i, byte) in bytes.enumerated() where byte < 0x20 || byte == 34 || byte == 92 {
        if runStart < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i])) }
        runStart = i + 1
        switch byte {
        case 34: out.append(contentsOf: [92, 34])
        case 92: out.append(contentsOf: [92, 92])
        case 0x0A: out.append(contentsOf: [92, UInt8(ascii: "n")])
        case 0x0D: out.append(contentsOf: [92, UInt8(ascii: "r")])
        case 0x09: out.append(contentsOf: [92, UInt8(ascii: "t")])
        case 0x08: out.append(contentsOf: [92, UInt8(ascii: "b")])
        case 0x0C: out.append(contentsOf: [92, UInt8(ascii: "f")])
        default: out.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
        }
      }
      if runStart < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...])) }
    }
    out.append(UInt8(ascii: "\""))
  }
}

extension JSONValue {
  /// Appends the compact serialisation (what `serialized()` returns) to `out`: compact JSON has no
  /// indentation, so a value's bytes are the same wherever it sits, and a request body can be built from
  /// pieces encoded earlier (MessageBodyCache in the Claude module).
  public func appendSerialized(to out: inout [UInt8]) {
    JSONWriter.write(self, into: &out)
  }

  /// Appends `s` as a JSON string literal, escaped as `serialized()` escapes it.
  public static func appendSerialized(string s: String, to out: inout [UInt8]) {
    JSONWriter.writeString(s, into: &out)
  }
}
