import CPostgres
import FoundationEssentials
import Glibc

/// One libpq connection. Not shareable between threads: its owner serializes the calls.
public final class PGConnection: @unchecked Sendable {
  private var conn: OpaquePointer?
  /// Where the connection goes, for messages: the host (or socket folder) and port libpq used.
  public let host: String
  public let port: String
  public let database: String
  public let user: String

  /// Connects with a `postgresql://` / `postgres://` URL or a "key=value" string, read by libpq itself, so
  /// PGPASSWORD, ~/.pgpass, PGSSLMODE, PGCONNECT_TIMEOUT and the rest apply as in psql. Without a timeout in
  /// the URL or PGCONNECT_TIMEOUT, an unanswered connection attempt gives up after `connectTimeout` seconds
  /// instead of the operating system's minutes.
  public init(url: String, connectTimeout: Int = 10, applicationName: String = "arrakis") throws {
    var keywords = ["fallback_application_name"]
    var values = [applicationName]
    if ProcessInfo.processInfo.environment["PGCONNECT_TIMEOUT"] == nil {
      keywords.append("connect_timeout")
      values.append(String(connectTimeout))
    }
    // dbname last with expand_dbname: what the URL says wins over the defaults above.
    keywords.append("dbname")
    values.append(url)
    let conn = Self.withCStrings(keywords) { k in Self.withCStrings(values) { v in PQconnectdbParams(k, v, 1) } }
    guard let conn else { throw PGError(kind: .unreachable, message: "libpq could not allocate a connection", host: "?", port: "?") }
    host = Self.string(PQhost(conn)) ?? "localhost"
    port = Self.string(PQport(conn)).flatMap { $0.isEmpty ? nil : $0 } ?? "5432"
    database = Self.string(PQdb(conn)) ?? ""
    user = Self.string(PQuser(conn)) ?? ""
    guard PQstatus(conn) == CONNECTION_OK else {
      let error = PGError.connecting(
        Self.string(PQerrorMessage(conn)) ?? "", needsPassword: PQconnectionNeedsPassword(conn) == 1, host: host, port: port)
      PQfinish(conn)
      throw error
    }
    arrakis_pq_silence_notices(conn)
    self.conn = conn
  }

  deinit { close() }

  /// Closes the connection; later calls fail as a lost connection.
  public func close() {
    if let conn { PQfinish(conn) }
    conn = nil
  }

  /// False once the server or the network dropped the connection (or after `close`).
  public var isConnected: Bool { conn.map { PQstatus($0) == CONNECTION_OK } ?? false }

  /// The server's version number, e.g. 150018 for 15.18.
  public var serverVersion: Int { conn.map { Int(PQserverVersion($0)) } ?? 0 }

  /// One statement with `$1`, `$2`… parameters, sent apart from the SQL text (no quoting, no injection).
  /// Text parameters take the type the statement gives their place unless `types` names one (nil: let the
  /// server infer it); binary ones are raw bytes (bytea).
  @discardableResult
  public func execute(_ sql: String, _ parameters: [PGParameter] = [], types: [PGType?] = []) throws -> PGResult {
    guard let conn else { throw lost("the connection is closed") }
    let oids: [Oid] = parameters.indices.map { i in i < types.count ? types[i]?.oid ?? 0 : 0 }
    let result = try withParameters(parameters) { values, lengths, formats in
      oids.withUnsafeBufferPointer { PQexecParams(conn, sql, Int32(parameters.count), $0.baseAddress, values, lengths, formats, 0) }
    }
    return try check(result, conn)
  }

  /// Several statements without parameters in one round trip (migrations' DDL). Inside a transaction the
  /// caller opened, a failure leaves it aborted; outside one, libpq runs them as one implicit transaction.
  public func executeScript(_ sql: String) throws {
    guard let conn else { throw lost("the connection is closed") }
    _ = try check(PQexec(conn, sql), conn)
  }

  private func check(_ result: OpaquePointer?, _ conn: OpaquePointer) throws -> PGResult {
    guard let result else {
      throw PGError.statement(
        sqlState: nil, message: Self.string(PQerrorMessage(conn)) ?? "no result", connectionBroken: PQstatus(conn) != CONNECTION_OK,
        host: host, port: port)
    }
    defer { PQclear(result) }
    switch PQresultStatus(result) {
    case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
      return PGResult(result)
    default:
      let state = Self.string(PQresultErrorField(result, Int32(UInt8(ascii: "C"))))
      // The primary message alone: the full text adds the statement's line, a caret and context lines.
      let message = Self.string(PQresultErrorField(result, Int32(UInt8(ascii: "M"))))
        ?? Self.string(PQresultErrorMessage(result)).flatMap { $0.isEmpty ? nil : $0 } ?? Self.string(PQerrorMessage(conn)) ?? "unknown error"
      throw PGError.statement(sqlState: state, message: message, connectionBroken: PQstatus(conn) != CONNECTION_OK, host: host, port: port)
    }
  }

  private func lost(_ message: String) -> PGError { PGError(kind: .connectionLost, message: message, host: host, port: port) }

  private func withParameters<R>(
    _ parameters: [PGParameter],
    _ body: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> R
  ) throws -> R {
    // Each value copied into one allocation that lives until libpq has sent the statement.
    var buffers: [UnsafeMutableRawPointer?] = []
    defer { buffers.forEach { $0?.deallocate() } }
    var lengths: [Int32] = []
    var formats: [Int32] = []
    for parameter in parameters {
      switch parameter {
      case .null:
        buffers.append(nil)
        lengths.append(0)
        formats.append(0)
      case .text(let s):
        let utf8 = Array(s.utf8)
        guard !utf8.contains(0) else {
          throw PGError(kind: .statement, sqlState: "22021", message: "a text value contains a NUL character, which PostgreSQL cannot store", host: host, port: port)
        }
        buffers.append(Self.copy(utf8 + [0]))
        lengths.append(Int32(utf8.count))
        formats.append(0)
      case .binary(let bytes):
        buffers.append(Self.copy(bytes.isEmpty ? [0] : bytes))
        lengths.append(Int32(bytes.count))
        formats.append(1)
      }
    }
    let pointers = buffers.map { $0.map { UnsafePointer($0.assumingMemoryBound(to: CChar.self)) } }
    return pointers.withUnsafeBufferPointer { p in
      lengths.withUnsafeBufferPointer { l in formats.withUnsafeBufferPointer { f in body(p.baseAddress, l.baseAddress, f.baseAddress) } }
    }
  }

  private static func copy(_ bytes: [UInt8]) -> UnsafeMutableRawPointer {
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: bytes.count, alignment: 1)
    bytes.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
    return buffer
  }

  static func string(_ pointer: UnsafePointer<CChar>?) -> String? { pointer.map { String(cString: $0) } }
  static func string(_ pointer: UnsafeMutablePointer<CChar>?) -> String? { pointer.map { String(cString: $0) } }

  private static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } } + [nil]
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
  }
}

/// A statement parameter: text (PostgreSQL converts it to the type of its place), raw bytes for bytea, or NULL.
public enum PGParameter: Sendable, Equatable {
  case null
  case text(String)
  case binary([UInt8])
}
