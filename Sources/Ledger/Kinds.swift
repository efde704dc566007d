import GRDB

/// Enumerated column values as open string wrappers rather than Swift enums: a row written by a newer
/// arrakis (say a new system type) must still list in an older one instead of failing to decode.

public struct SystemType: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
  public var rawValue: String
  public init(rawValue: String) { self.rawValue = rawValue }
  public init(_ rawValue: String) { self.rawValue = rawValue }
  public var description: String { rawValue }

  public static let ask = SystemType("ask")
  public static let code = SystemType("code")
  public static let analyze = SystemType("analyze")
  public static let improve = SystemType("improve")
  public static let rollback = SystemType("rollback")
  public static let log = SystemType("log")
  public static let known: [SystemType] = [.ask, .code, .analyze, .improve, .rollback, .log]
}

public struct SessionStatus: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
  public var rawValue: String
  public init(rawValue: String) { self.rawValue = rawValue }
  public init(_ rawValue: String) { self.rawValue = rawValue }
  public var description: String { rawValue }

  public static let running = SessionStatus("running")
  public static let success = SessionStatus("success")
  public static let failed = SessionStatus("failed")
  public static let interrupted = SessionStatus("interrupted")
  public static let known: [SessionStatus] = [.running, .success, .failed, .interrupted]
}

public struct ImprovementStatus: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
  public var rawValue: String
  public init(rawValue: String) { self.rawValue = rawValue }
  public init(_ rawValue: String) { self.rawValue = rawValue }
  public var description: String { rawValue }

  public static let open = ImprovementStatus("open")
  public static let attempted = ImprovementStatus("attempted")
  public static let kept = ImprovementStatus("kept")
  public static let merged = ImprovementStatus("merged")
  public static let rolledBack = ImprovementStatus("rolled_back")
  public static let dismissed = ImprovementStatus("dismissed")
  /// Kept on its branch, never merged, and removed by `rollback --prune` once old.
  public static let pruned = ImprovementStatus("pruned")
  public static let known: [ImprovementStatus] = [.open, .attempted, .kept, .merged, .rolledBack, .dismissed, .pruned]
}

// Stored as plain TEXT.
extension SystemType: DatabaseValueConvertible {}
extension SessionStatus: DatabaseValueConvertible {}
extension ImprovementStatus: DatabaseValueConvertible {}
