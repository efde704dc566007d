import CSQLite

/// A failed SQLite call: the extended result code (extended codes are turned on for every connection) and
/// SQLite's message for it.
public struct SQLiteError: Error, CustomStringConvertible, Sendable, Equatable {
  /// The extended result code, e.g. 517 (SQLITE_BUSY_SNAPSHOT).
  public var extendedCode: Int32
  public var message: String

  public init(code: Int32, message: String) {
    self.extendedCode = code
    self.message = message
  }

  /// An error of this library's own (a statement misused, a result not as expected): SQLITE_MISUSE.
  public init(misuse message: String) { self.init(code: SQLITE_MISUSE, message: message) }

  /// A failure of the caller's own sort, reported like SQLite's: `code`'s primary code.
  public init(_ code: Code, message: String) { self.init(code: code.rawValue, message: message) }

  /// SQLITE_CONSTRAINT_FOREIGNKEY, the extended code of a foreign key that `PRAGMA foreign_key_check` finds
  /// broken.
  public static let foreignKeyConstraint: Int32 = SQLITE_CONSTRAINT | (3 << 8)  // sqlite3.h spells it so; Swift imports no such macro

  /// The primary result code: the extended one's low byte (SQLITE_BUSY_SNAPSHOT is SQLITE_BUSY).
  public var code: Code { Code(rawValue: extendedCode & 0xff) }

  public var description: String { "SQLite error \(extendedCode): \(message)" }

  /// The primary result codes the callers sort failures by, so that they need not import the C module.
  public struct Code: RawRepresentable, Sendable, Equatable, Hashable {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let error = Code(rawValue: SQLITE_ERROR)
    public static let permission = Code(rawValue: SQLITE_PERM)
    public static let busy = Code(rawValue: SQLITE_BUSY)
    public static let locked = Code(rawValue: SQLITE_LOCKED)
    public static let readOnly = Code(rawValue: SQLITE_READONLY)
    public static let ioError = Code(rawValue: SQLITE_IOERR)
    public static let corrupt = Code(rawValue: SQLITE_CORRUPT)
    public static let full = Code(rawValue: SQLITE_FULL)
    public static let cannotOpen = Code(rawValue: SQLITE_CANTOPEN)
    public static let constraint = Code(rawValue: SQLITE_CONSTRAINT)
    public static let misuse = Code(rawValue: SQLITE_MISUSE)
    public static let notADatabase = Code(rawValue: SQLITE_NOTADB)
  }
}
