import Agent

/// The outcome of one ask, as `--json` prints it.
public struct AskReport: Encodable, Sendable {
  public var text: String
  public var sessionId: String
  public var model: String
  public var stopReason: String?
  public var usage: UsageSummary
  public var costUsd: Double?
  public var durationMs: Int
  public var continues: String?
}
