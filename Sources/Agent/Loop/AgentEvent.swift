import ArrakisCore
import Claude

/// What the loop reports while it runs; the front end renders these as text, JSON lines or nothing.
public enum AgentEvent: Sendable {
  case started(sessionID: String, model: String, tools: [String], workspace: String, permission: String)
  case textDelta(String)
  /// A complete model turn.
  case assistant(turn: Int, message: MessageResponse)
  case toolCall(id: String, name: String, input: JSONValue)
  case toolResult(id: String, name: String, output: ToolOutput, deniedReason: String?, durationMs: Int)
  /// The context sent to the model was made smaller (the ledger keeps everything).
  case compaction(CompactionRecord)
  case finished(AgentResult)
}
