import CPostgres

/// A statement's result copied out of libpq: column names and types, rows of text values (nil for NULL),
/// and how many rows an INSERT/UPDATE/DELETE touched.
public struct PGResult: Sendable {
  public struct Column: Sendable, Equatable {
    public var name: String
    public var type: PGType
  }

  public var columns: [Column]
  public var rows: [[String?]]
  public var affectedRows: Int

  init(_ result: OpaquePointer) {
    let fieldCount = Int(PQnfields(result))
    columns = (0..<fieldCount).map { i in
      Column(name: PGConnection.string(PQfname(result, Int32(i))) ?? "?column?", type: PGType(oid: PQftype(result, Int32(i))))
    }
    rows = (0..<Int(PQntuples(result))).map { r in
      (0..<fieldCount).map { c in
        PQgetisnull(result, Int32(r), Int32(c)) == 1 ? nil : PGConnection.string(PQgetvalue(result, Int32(r), Int32(c)))
      }
    }
    affectedRows = Int(PGConnection.string(PQcmdTuples(result)) ?? "") ?? 0
  }

  /// The index of the column named `name`, if the result has one.
  public func column(named name: String) -> Int? { columns.firstIndex { $0.name == name } }
}

/// The built-in types whose text form a reader must interpret (see pg_type.dat of PostgreSQL); the rest are
/// read as text.
public enum PGType: Sendable, Equatable {
  case bool, int16, int32, int64, float32, float64, numeric, text, bytea, json, jsonb, other(UInt32)

  init(oid: Oid) {
    switch oid {
    case 16: self = .bool
    case 21: self = .int16
    case 23, 26: self = .int32
    case 20: self = .int64
    case 700: self = .float32
    case 701: self = .float64
    case 1700: self = .numeric
    case 25, 1042, 1043, 19: self = .text
    case 17: self = .bytea
    case 114: self = .json
    case 3802: self = .jsonb
    default: self = .other(UInt32(oid))
    }
  }

  /// The type's oid, to declare a parameter's type.
  public var oid: UInt32 {
    switch self {
    case .bool: return 16
    case .int16: return 21
    case .int32: return 23
    case .int64: return 20
    case .float32: return 700
    case .float64: return 701
    case .numeric: return 1700
    case .text: return 25
    case .bytea: return 17
    case .json: return 114
    case .jsonb: return 3802
    case .other(let oid): return oid
    }
  }

  public var isInteger: Bool { [.int16, .int32, .int64].contains(self) }
  public var isFloatingPoint: Bool { [.float32, .float64, .numeric].contains(self) }

  /// A bytea value's text form (`\x` and hex digits, the server's default output) as bytes.
  public static func bytes(fromByteaText text: String) -> [UInt8]? {
    guard text.hasPrefix("\\x") else { return nil }
    var bytes: [UInt8] = []
    bytes.reserveCapacity((text.utf8.count - 2) / 2)
    var high: UInt8?
    for c in text.utf8.dropFirst(2) {
      let nibble: UInt8
      switch c {
      case 48...57: nibble = c - 48
      case 97...102: nibble = c - 87
      case 65...70: nibble = c - 55
      default: return nil
      }
      if let h = high {
        bytes.append(h << 4 | nibble)
        high = nil
      } else {
        high = nibble
      }
    }
    return high == nil ? bytes : nil
  }
}
