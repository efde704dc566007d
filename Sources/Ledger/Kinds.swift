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

/// `self_modifications.status`: what became of one change `improve` made.
public struct ModificationStatus: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
  public var rawValue: String
  public init(rawValue: String) { self.rawValue = rawValue }
  public init(_ rawValue: String) { self.rawValue = rawValue }
  public var description: String { rawValue }

  /// Green, committed on its branch, kept for review.
  public static let kept = ModificationStatus("kept")
  /// Fast-forwarded into the user's branch (`--merge`).
  public static let merged = ModificationStatus("merged")
  /// Green, but the metric did not improve (or the run was a dry run): not kept.
  public static let discarded = ModificationStatus("discarded")
  /// Red gate or an agent that stopped, or undone by `rollback`.
  public static let rolledBack = ModificationStatus("rolled_back")
  /// Its kept branch was deleted by `rollback --prune`.
  public static let pruned = ModificationStatus("pruned")
  /// The tamper check found the judge changed: a person must look.
  public static let tampered = ModificationStatus("tampered")
  /// The agent changed nothing.
  public static let unchanged = ModificationStatus("unchanged")
  /// The baseline's tests were red, so nothing could be graded.
  public static let baselineRed = ModificationStatus("baseline_red")
  public static let known: [ModificationStatus] = [
    .kept, .merged, .discarded, .rolledBack, .pruned, .tampered, .unchanged, .baselineRed,
  ]
}

// Stored as plain TEXT.
extension SystemType: SQLValueConvertible {}
extension SessionStatus: SQLValueConvertible {}
extension ImprovementStatus: SQLValueConvertible {}
extension ModificationStatus: SQLValueConvertible {}
