import FoundationEssentials
import Glibc
import Postgres

/// The PostgreSQL side of `SQLConnection`: one libpq connection inside one transaction the engine opened.
///
/// The ledger's SQL is written once with SQLite's `?` and `?N` placeholders; they become `$N` here (outside
/// quotes, identifiers and comments). Values go as parameters, never spliced into the SQL: integers typed
/// int8, reals float8 and blobs bytea, so that `? IS NULL`-style places still get a type; text untyped, so
/// that the column's type takes it (jsonb, integers in text form). Values come back by the column's type:
/// integers and booleans as integers (the ledger's 0/1), floating point and numeric as numbers (a numeric
/// that is integral as an integer), bytea as bytes, the rest as text.
struct PostgresConnection: SQLConnection {
  let connection: PGConnection
  var dialect: SQLDialect { .postgres }

  @discardableResult
  func execute(sql: String, arguments: [(any SQLValueConvertible)?]) throws -> Int {
    let statement = Self.statement(sql, arguments)
    return try connection.execute(statement.sql, statement.values, types: statement.types).affectedRows
  }

  func rows(sql: String, arguments: [(any SQLValueConvertible)?]) throws -> [SQLRow] {
    let statement = Self.statement(sql, arguments)
    let result = try connection.execute(statement.sql, statement.values, types: statement.types)
    let names = result.columns.map(\.name)
    let types = result.columns.map(\.type)
    return result.rows.map { row in
      SQLRow(columns: names, values: zip(row, types).map { Self.value($0, $1) })
    }
  }

  // MARK: - Placeholders

  /// The SQL to send and its parameters. PostgreSQL must know each parameter's type when it plans the
  /// statement, and `? IS NULL OR column = ?` (an optional filter) gives it none to infer from the first
  /// place: so a NULL argument is written into the SQL as the literal NULL (which fits any place), and a
  /// text argument tested with IS [NOT] NULL is declared text.
  static func statement(_ sql: String, _ arguments: [(any SQLValueConvertible)?]) -> (sql: String, values: [PGParameter], types: [PGType?]) {
    let values = arguments.map { $0?.sqlValue ?? .null }
    var testedForNull = Set<Int>()
    let text = numbered(sql) { number, following in
      guard values.indices.contains(number - 1) else { return nil }
      if values[number - 1] == .null { return "NULL" }
      if isNullTest(following) { testedForNull.insert(number) }
      return nil
    }
    var parameters: [PGParameter] = []
    var types: [PGType?] = []
    parameters.reserveCapacity(values.count)
    types.reserveCapacity(values.count)
    for (i, value) in values.enumerated() {
      switch value {
      case .null:  // written as NULL; the parameter is unreferenced, text is a type it can have
        parameters.append(.null)
        types.append(.text)
      case .integer(let v):
        parameters.append(.text(String(v)))
        types.append(.int64)
      case .real(let v):
        parameters.append(.text(realText(v)))
        types.append(.float64)
      // PostgreSQL's text cannot hold NUL (SQLite's can): the replacement character keeps the rest.
      case .text(let s):
        parameters.append(.text(s.contains("\u{0}") ? s.replacing("\u{0}", with: "\u{FFFD}") : s))
        types.append(testedForNull.contains(i + 1) ? .text : nil)
      case .blob(let b):
        parameters.append(.binary(b))
        types.append(.bytea)
      }
    }
    return (text, parameters, types)
  }

  /// Whether the SQL after a placeholder starts with `IS NULL` / `IS NOT NULL`.
  static func isNullTest(_ following: ArraySlice<Unicode.Scalar>) -> Bool {
    var prefix = String.UnicodeScalarView()
    prefix.append(contentsOf: following.prefix(24))
    let words = String(prefix).uppercased().split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
    guard words.first == "IS", words.count >= 2 else { return false }
    return words[1].hasPrefix("NULL") || (words[1] == "NOT" && words.count >= 3 && words[2].hasPrefix("NULL"))
  }

  /// `?` → `$1`, `$2`… in order; `?N` → `$N`, and a `?` after `?N` takes the largest number so far plus one,
  /// as SQLite numbers them. Quoted strings ('…', "…") and comments are left as written. `replace` may give
  /// other text for a placeholder (it sees the number and the SQL after it).
  static func numbered(_ sql: String, replace: (Int, ArraySlice<Unicode.Scalar>) -> String? = { _, _ in nil }) -> String {
    let scalars = Array(sql.unicodeScalars)
    var out = String.UnicodeScalarView()
    out.reserveCapacity(scalars.count + 8)
    var highest = 0
    var i = 0
    while i < scalars.count {
      let c = scalars[i]
      switch c {
      case "'", "\"":
        // Copy through the closing quote; a doubled quote inside stays inside.
        out.append(c)
        i += 1
        while i < scalars.count {
          out.append(scalars[i])
          if scalars[i] == c {
            if i + 1 < scalars.count, scalars[i + 1] == c {
              out.append(scalars[i + 1])
              i += 2
              continue
            }
            i += 1
            break
          }
          i += 1
        }
      case "-" where i + 1 < scalars.count && scalars[i + 1] == "-":
        while i < scalars.count, scalars[i] != "\n" {
          out.append(scalars[i])
          i += 1
        }
      case "/" where i + 1 < scalars.count && scalars[i + 1] == "*":
        out.append(contentsOf: "/*".unicodeScalars)
        i += 2
        while i < scalars.count {
          if scalars[i] == "*", i + 1 < scalars.count, scalars[i + 1] == "/" {
            out.append(contentsOf: "*/".unicodeScalars)
            i += 2
            break
          }
          out.append(scalars[i])
          i += 1
        }
      case "?":
        var j = i + 1
        var digits = ""
        while j < scalars.count, ("0"..."9").contains(scalars[j]) {
          digits.unicodeScalars.append(scalars[j])
          j += 1
        }
        let number = Int(digits) ?? (highest + 1)
        highest = max(highest, number)
        out.append(contentsOf: (replace(number, scalars[j...]) ?? "$\(number)").unicodeScalars)
        i = j
      default:
        out.append(c)
        i += 1
      }
    }
    return String(out)
  }

  // MARK: - Values

  /// Every digit a Double needs to read back the same; PostgreSQL's spelling of the non-finite ones.
  static func realText(_ v: Double) -> String {
    if v.isNaN { return "NaN" }
    if v.isInfinite { return v > 0 ? "Infinity" : "-Infinity" }
    return "\(v)"
  }

  static func value(_ text: String?, _ type: PGType) -> SQLValue {
    guard let text else { return .null }
    switch type {
    case .int16, .int32, .int64: return Int64(text).map(SQLValue.integer) ?? .text(text)
    case .bool: return .integer(text == "t" ? 1 : 0)
    case .float32, .float64:
      switch text {
      case "NaN": return .real(.nan)
      case "Infinity": return .real(.infinity)
      case "-Infinity": return .real(-.infinity)
      default: return Double(text).map(SQLValue.real) ?? .text(text)
      }
    case .numeric:
      if let i = Int64(text) { return .integer(i) }
      return Double(text).map(SQLValue.real) ?? .text(text)
    case .bytea: return PGType.bytes(fromByteaText: text).map(SQLValue.blob) ?? .text(text)
    default: return .text(text)
    }
  }
}
