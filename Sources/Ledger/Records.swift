import ArrakisCore
import FoundationEssentials
import Glibc

// Rows as the ledger returns them. Codable so `arrakis log --json` can print them directly; decoded from
// rows by hand because JSON and timestamp columns are TEXT with their own formats (see Timestamp).

/// What a run knows when it starts.
public struct NewSession: Sendable, Equatable {
  public var systemType: SystemType
  public var workspace: String?
  public var gitBranch: String?
  public var model: String?
  /// A short summary of the request (first line of the prompt, an improvement title, …).
  public var prompt: String?
  /// The session this one continues (`--continue` / `--session`).
  public var parentSessionID: String?
  public var route: String?
  public var startedAt: Date

  public init(
    systemType: SystemType, workspace: String? = nil, gitBranch: String? = nil, model: String? = nil,
    prompt: String? = nil, parentSessionID: String? = nil, route: String? = nil, startedAt: Date = Date()
  ) {
    self.systemType = systemType
    self.workspace = workspace
    self.gitBranch = gitBranch
    self.model = model
    self.prompt = prompt
    self.parentSessionID = parentSessionID
    self.route = route
    self.startedAt = startedAt
  }
}

public struct SessionRow: Codable, Sendable, Equatable {
  public var id: String
  public var systemType: SystemType
  public var workspace: String?
  public var gitBranch: String?
  public var model: String?
  public var prompt: String?
  public var parentSessionID: String?
  public var startedAt: Date
  public var endedAt: Date?
  public var status: SessionStatus
  public var error: String?
  public var exitCode: Int?
  public var exitReason: String?
  public var route: String?
  public var toolCallsCount: Int
  public var selfModificationsCount: Int
  public var inputTokens: Int
  public var outputTokens: Int
  public var cacheCreationTokens: Int
  public var cacheReadTokens: Int
  /// nil = unknown (some usage had no known price); never 0 for unknown.
  public var costUSD: Double?
  public var durationMs: Int?
  public var apiDurationMs: Int?

  init(row: SQLRow) throws {
    id = row["id"]
    systemType = row["system_type"]
    workspace = row["workspace"]
    gitBranch = row["git_branch"]
    model = row["model"]
    prompt = row["prompt"]
    parentSessionID = row["parent_session_id"]
    startedAt = try decodeDate(row, "started_at")
    endedAt = try decodeOptionalDate(row, "ended_at")
    status = row["status"]
    error = row["error"]
    exitCode = row["exit_code"]
    exitReason = row["exit_reason"]
    route = row["route"]
    toolCallsCount = row["tool_calls_count"]
    selfModificationsCount = row["self_modifications_count"]
    inputTokens = row["input_tokens"]
    outputTokens = row["output_tokens"]
    cacheCreationTokens = row["cache_creation_tokens"]
    cacheReadTokens = row["cache_read_tokens"]
    costUSD = row["cost_usd"]
    durationMs = row["duration_ms"]
    apiDurationMs = row["api_duration_ms"]
  }
}

public struct MessageRow: Codable, Sendable, Equatable {
  public var id: Int64
  public var sessionID: String
  public var seq: Int
  public var role: String
  /// The content blocks as sent/received (a JSON array).
  public var content: JSONValue
  /// Plain text of the message, what full-text search sees.
  public var text: String
  public var systemSource: String?
  public var toolCalls: JSONValue?
  public var model: String?
  public var stopReason: String?
  public var usage: JSONValue?
  public var latencyMs: Int?
  public var createdAt: Date

  init(row: SQLRow) throws {
    id = row["id"]
    sessionID = row["session_id"]
    seq = row["seq"]
    role = row["role"]
    content = decodeJSON(row, "content") ?? .array([])
    text = row["text"]
    systemSource = row["system_source"]
    toolCalls = decodeJSON(row, "tool_calls")
    model = row["model"]
    stopReason = row["stop_reason"]
    usage = decodeJSON(row, "usage")
    latencyMs = row["latency_ms"]
    createdAt = try decodeDate(row, "created_at")
  }
}

public struct ToolOperationRow: Codable, Sendable, Equatable {
  public var id: Int64
  public var sessionID: String
  public var messageID: Int64?
  public var toolName: String
  public var parameters: JSONValue
  /// The tool's output, capped at `Ledger.toolResultCap` bytes.
  public var result: String?
  public var success: Bool
  public var deniedReason: String?
  public var durationMs: Int?
  public var reasoning: String?
  public var createdAt: Date

  init(row: SQLRow) throws {
    id = row["id"]
    sessionID = row["session_id"]
    messageID = row["message_id"]
    toolName = row["tool_name"]
    parameters = decodeJSON(row, "parameters") ?? .null
    result = row["result"]
    success = row["success"]
    deniedReason = row["denied_reason"]
    durationMs = row["duration_ms"]
    reasoning = row["reasoning"]
    createdAt = try decodeDate(row, "created_at")
  }
}

/// One full-text hit: the message and a snippet with the match in [brackets].
public struct SearchHit: Codable, Sendable, Equatable {
  public var sessionID: String
  public var messageID: Int64
  public var seq: Int
  public var role: String
  public var snippet: String
  public var createdAt: Date

  init(row: SQLRow) throws {
    sessionID = row["session_id"]
    messageID = row["id"]
    seq = row["seq"]
    role = row["role"]
    snippet = row["snippet"]
    createdAt = try decodeDate(row, "created_at")
  }
}

// MARK: - Column helpers

func decodeDate(_ row: SQLRow, _ column: String) throws -> Date {
  let text: String = row[column]
  guard let date = Timestamp.date(text) else {
    throw ArrakisError(
      .ledger, "the ledger holds a bad timestamp in \(column): \(text)",
      hint: "the row was not written by arrakis; fix or delete it")
  }
  return date
}

func decodeOptionalDate(_ row: SQLRow, _ column: String) throws -> Date? {
  guard let _: String = row[column] else { return nil }
  return try decodeDate(row, column)
}

/// A JSON column. Text that does not parse is kept as a string rather than dropped or thrown on:
/// the record must stay readable even if something wrote a bad value into it.
func decodeJSON(_ row: SQLRow, _ column: String) -> JSONValue? {
  guard let text: String = row[column] else { return nil }
  return (try? JSONValue.parse(text)) ?? .string(text)
}

extension JSONValue {
  /// The TEXT stored for an optional JSON column.
  var columnText: String { serialized() }
}
