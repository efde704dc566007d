import ArrakisCore
/// A libpq failure, sorted by what the caller can do about it: retry the transaction (serialization failure,
/// deadlock, a lost connection), tell the user what to check (unreachable server, refused credentials), or
/// report the statement's error as the server gave it.
public struct PGError: Error, CustomStringConvertible, Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    /// No server answered at host:port (refused, unknown host, timeout, no route).
    case unreachable
    /// The server answered and refused the credentials (libpq's reason is in `message`).
    case authentication
    /// The server answered and refused the connection for another reason (no such database, too many clients).
    case rejected
    /// The connection broke during a statement, or the server is shutting down or starting up.
    case connectionLost
    /// SQLSTATE 40001: the transaction lost a race with another one; running it again succeeds.
    case serializationFailure
    /// SQLSTATE 40P01.
    case deadlock
    /// Any other error of a statement (syntax, constraint, type); `sqlState` says which.
    case statement
  }

  public var kind: Kind
  /// The five-character SQLSTATE when the server sent one.
  public var sqlState: String?
  /// libpq's or the server's message, on one line.
  public var message: String
  /// The server the connection was for (a socket folder for a unix socket).
  public var host: String
  public var port: String

  public init(kind: Kind, sqlState: String? = nil, message: String, host: String, port: String) {
    self.kind = kind
    self.sqlState = sqlState
    self.message = message
    self.host = host
    self.port = port
  }

  /// Running the whole transaction again may succeed (after reconnecting, for a lost connection).
  public var isRetryable: Bool { [.connectionLost, .serializationFailure, .deadlock].contains(kind) }

  /// "host:port", or the socket path for a unix socket.
  public var server: String { host.hasPrefix("/") ? "\(host)/.s.PGSQL.\(port)" : "\(host):\(port)" }

  public var description: String {
    switch kind {
    case .unreachable: return "cannot reach the PostgreSQL server at \(server): \(message)"
    case .authentication: return "the PostgreSQL server at \(server) refused the login: \(message)"
    case .rejected: return "the PostgreSQL server at \(server) refused the connection: \(message)"
    case .connectionLost: return "lost the connection to the PostgreSQL server at \(server): \(message)"
    case .serializationFailure, .deadlock, .statement:
      return "PostgreSQL error" + (sqlState.map { " \($0)" } ?? "") + ": \(message)"
    }
  }

  /// What the user should look at, for the hint under the message.
  public var whatToCheck: String? {
    switch kind {
    case .unreachable:
      return "check that PostgreSQL is running on \(server) and accepts connections from this machine "
        + "(listen_addresses, port, pg_hba.conf, firewall), and the host and port in the URL"
    case .authentication:
      return "check the user and password (in the URL, PGPASSWORD or ~/.pgpass) and the server's pg_hba.conf"
    case .rejected: return "check the database name and user in the URL, and the server's limits"
    case .connectionLost: return "check that the server at \(server) is still running; what was committed before is kept"
    default: return nil
    }
  }

  /// Sorts a failed connection attempt by libpq's message: an answer from the server carries "FATAL:".
  static func connecting(_ raw: String, needsPassword: Bool, host: String, port: String) -> PGError {
    let reason = reasonText(raw)
    let kind: Kind
    if needsPassword || raw.contains("authentication failed") || raw.contains("pg_hba.conf") || raw.contains("password") {
      kind = .authentication
    } else if raw.contains("the database system is") {
      kind = .connectionLost  // starting up, shutting down, in recovery: trying again shortly works
    } else if raw.contains("FATAL:") {
      kind = .rejected
    } else {
      kind = .unreachable
    }
    return PGError(kind: kind, message: needsPassword && reason.isEmpty ? "no password supplied" : reason, host: host, port: port)
  }

  /// A failed statement, by SQLSTATE (class 08, 57P01-57P03: the connection or the server went away).
  static func statement(sqlState: String?, message raw: String, connectionBroken: Bool, host: String, port: String) -> PGError {
    let kind: Kind
    switch sqlState {
    case "40001": kind = .serializationFailure
    case "40P01": kind = .deadlock
    case "57P01", "57P02", "57P03": kind = .connectionLost
    case let s? where s.hasPrefix("08"): kind = .connectionLost
    default: kind = connectionBroken ? .connectionLost : .statement
    }
    return PGError(kind: kind, sqlState: sqlState, message: reasonText(raw), host: host, port: port)
  }

  /// libpq's message on one line without its "connection to server at … failed:" and "FATAL:" prefixes; of
  /// several attempts (IPv6 then IPv4 for localhost), the last one.
  static func reasonText(_ raw: String) -> String {
    let lines = raw.split(separator: "\n").map { $0.trimmingSpacesAndTabs }.filter { !$0.isEmpty }
    // The tab-indented "Is the server running on that host…" advice is libpq's hint, not the reason.
    let attempts = lines.filter { !$0.hasPrefix("Is the server running") }
    var line = attempts.last ?? lines.last ?? raw
    if line.hasPrefix("connection to server"), let failed = line.firstRange(of: "failed: ") { line = String(line[failed.upperBound...]) }
    for prefix in ["FATAL:", "ERROR:"] where line.hasPrefix(prefix) {
      line = line.dropFirst(prefix.count).trimmingSpacesAndTabs
    }
    return line
  }
}

import FoundationEssentials
import Glibc
