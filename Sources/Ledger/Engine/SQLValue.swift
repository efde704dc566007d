import FoundationEssentials
import Glibc

/// One value bound to or read from a statement, whatever the engine. The ledger stores only these five
/// kinds on both engines: booleans as INTEGER 0/1, timestamps and JSON as text (see docs/ARCHITECTURE.md).
enum SQLValue: Sendable, Equatable {
  case null
  case integer(Int64)
  case real(Double)
  case text(String)
  case blob([UInt8])
}

/// What can be bound to a statement and read back from a row: Int, Int32, Int64, Double, Bool (0/1),
/// String, Data and the ledger's enumerated string columns. Optionals of these bind as NULL when nil
/// (arguments are `[(any SQLValueConvertible)?]`) and read as nil for NULL (`let pid: Int32? = row["pid"]`);
/// Optional itself does not conform, which would make every optional read ambiguous.
///
/// Reading converts as SQLite does between its storage classes, so that one query reads the same on both
/// engines: an integer reads as Double, an integral real as Int, a number stored or returned as text
/// (PostgreSQL's `numeric` sums) as the number it spells. Anything else is a mismatch (nil).
protocol SQLValueConvertible {
  var sqlValue: SQLValue { get }
  static func from(_ value: SQLValue) -> Self?
}

extension Int64: SQLValueConvertible {
  var sqlValue: SQLValue { .integer(self) }
  static func from(_ value: SQLValue) -> Int64? {
    switch value {
    case .integer(let v): return v
    case .real(let v): return v.rounded() == v && abs(v) < 9.2e18 ? Int64(v) : nil
    case .text(let s): return Int64(s) ?? Double(s).flatMap { from(.real($0)) }
    case .null, .blob: return nil
    }
  }
}

extension Int: SQLValueConvertible {
  var sqlValue: SQLValue { .integer(Int64(self)) }
  static func from(_ value: SQLValue) -> Int? { Int64.from(value).map { Int($0) } }
}

extension Int32: SQLValueConvertible {
  var sqlValue: SQLValue { .integer(Int64(self)) }
  static func from(_ value: SQLValue) -> Int32? { Int64.from(value).flatMap { Int32(exactly: $0) } }
}

extension Double: SQLValueConvertible {
  var sqlValue: SQLValue { .real(self) }
  static func from(_ value: SQLValue) -> Double? {
    switch value {
    case .integer(let v): return Double(v)
    case .real(let v): return v
    case .text(let s): return Double(s)
    case .null, .blob: return nil
    }
  }
}

extension Bool: SQLValueConvertible {
  var sqlValue: SQLValue { .integer(self ? 1 : 0) }
  static func from(_ value: SQLValue) -> Bool? {
    switch value {
    case .text("t"), .text("true"): return true  // a PostgreSQL boolean expression
    case .text("f"), .text("false"): return false
    default: return Int64.from(value).map { $0 != 0 }
    }
  }
}

extension String: SQLValueConvertible {
  var sqlValue: SQLValue { .text(self) }
  static func from(_ value: SQLValue) -> String? {
    switch value {
    case .text(let s): return s
    case .blob(let b): return String(bytes: b, encoding: .utf8)
    case .integer(let v): return String(v)
    case .real(let v): return String(v)
    case .null: return nil
    }
  }
}

extension Data: SQLValueConvertible {
  var sqlValue: SQLValue { .blob([UInt8](self)) }
  static func from(_ value: SQLValue) -> Data? {
    switch value {
    case .blob(let b): return Data(b)
    case .text(let s): return Data(s.utf8)
    case .null, .integer, .real: return nil
    }
  }
}

/// The enumerated columns (SystemType, SessionStatus, …) are stored as their raw text.
extension SQLValueConvertible where Self: RawRepresentable, Self.RawValue == String {
  var sqlValue: SQLValue { .text(rawValue) }
  static func from(_ value: SQLValue) -> Self? { String.from(value).flatMap(Self.init(rawValue:)) }
}
