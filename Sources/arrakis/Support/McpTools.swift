import Agent
import ArrakisCore
import Claude
import FoundationEssentials
import Ledger
import MCPBridge
import Workflows

/// The tools `arrakis mcp` serves. Each does what its subcommand does, with the same runners, the same
/// ledger (`--db`, else ARRAKIS_DB) and the same error words; the text is what the subcommand prints,
/// the structured content what its `--json` prints.
struct McpTools {
  let ledgerPath: String

  var all: [ServedTool] { [ask, analyze, log, logShow, stats] }

  // MARK: ask

  var ask: ServedTool {
    ServedTool(
      name: "ask",
      description: "Ask Claude one question through arrakis and get the answer; recorded in the arrakis ledger like `arrakis ask`.",
      inputSchema: Self.object([
        "prompt": ["type": "string", "description": "The question or instruction for the model."],
        "model": ["type": "string", "description": "Model: opus, sonnet, haiku or a full model id (default: ARRAKIS_MODEL, the config files, else sonnet)."],
      ], required: ["prompt"]),
      readOnly: false
    ) { input in
      await Self.answering {
        let prompt = try Self.string(input, "prompt")
        let model = try Self.optionalString(input, "model")
        let workspace = Workspace.detect()
        var flags: [ConfigKey: ConfigValue] = [:]
        if let model { flags[.model] = .string(model) }
        let config = try RunConfiguration.load(flags: flags, workspaceRoot: workspace.root, warn: false)
        let modelID = ModelCatalog.resolve(config[.model]?.stringValue ?? ModelCatalog.defaultModel)
        let options = AskRequest(
          prompt: prompt, stdin: nil, model: modelID, maxTokens: config[.maxTokens]?.intValue ?? 4096, workspace: workspace)
        let ledger = try Ledger.open(path: ledgerPath)
        let result = try await Self.blocking {
          try AskRunner(ledger: ledger, client: ClaudeClient(config: ClientConfig.fromEnvironment(Environment(), maxRetries: 2)))
            .run(options) { _ in }
        }
        return ServedResult(text: result.text, structured: try Self.json(result))
      }
    }
  }

  // MARK: analyze

  var analyze: ServedTool {
    ServedTool(
      name: "analyze",
      description: "Analyse a git repository like `arrakis analyze`: churn, hotspots, markers, tests. Local signals only unless use_model is true. Returns the report as text and the JSON of `analyze --json`; the run is recorded.",
      inputSchema: Self.object([
        "path": ["type": "string", "description": "The repository or a directory in it (default: the server's working directory)."],
        "since": ["type": "string", "description": "History window: an age (90.days, 12.weeks) or a date (2025-01-01). Default 90.days."],
        "use_model": ["type": "boolean", "description": "Also let Claude rank improvements (needs ANTHROPIC_API_KEY). Default false."],
      ], required: []),
      readOnly: false
    ) { input in
      await Self.answering {
        let path = try Self.optionalString(input, "path") ?? "."
        let since = try Self.optionalString(input, "since") ?? "90.days"
        if TimeWindow.parseInterval(since) == nil && (try? TimeWindow.parseSince(since)) == nil {
          throw ArrakisError(.usage, "cannot read --since '\(since)': use an age like 90.days or a date like 2025-01-01")
        }
        let useModel = try Self.bool(input, "use_model") ?? false
        let environment = Environment()
        let options = AnalyzeRequest(
          path: path, since: since, useModel: useModel,
          model: ModelCatalog.resolve(environment["ARRAKIS_MODEL"] ?? ModelCatalog.defaultModel))
        let ledger = try Ledger.open(path: ledgerPath)
        let report = try await Self.blocking {
          try AnalyzeRunner(ledger: ledger, client: ClaudeClient(config: ClientConfig.fromEnvironment(environment, maxRetries: 2))).run(options)
        }
        var text = AnalysisText.render(report, color: false)
        if let error = report.modelError { text += "error: \(error.message)\n" + (error.hint.map { "  hint: \($0)\n" } ?? "") }
        return ServedResult(text: text, structured: try Self.json(report, pretty: true), isError: report.modelError != nil)
      }
    }
  }

  // MARK: log

  var log: ServedTool {
    ServedTool(
      name: "log",
      description: "Recent arrakis sessions, newest first, like `arrakis log`: id, subcommand, status, time, cost, prompt.",
      inputSchema: Self.object([
        "query": ["type": "string", "description": "Only sessions whose messages contain these words (full-text)."],
        "since": ["type": "string", "description": "Only sessions since: 90.days, 12h, 2026-11-01."],
        "limit": ["type": "integer", "minimum": 1, "description": "How many sessions (default 10)."],
        "subcommand": [
          "type": "string", "enum": .array(SystemType.known.map { .string($0.rawValue) }),
          "description": "Only sessions of this subcommand.",
        ],
      ], required: []),
      readOnly: true
    ) { input in
      await Self.answering {
        let limit = try Self.int(input, "limit") ?? 10
        guard limit > 0 else { throw ArrakisError(.usage, "-n must be a positive number") }
        var filter = SessionFilter(limit: limit, text: try Self.optionalString(input, "query"))
        if let s = try Self.optionalString(input, "subcommand") {
          guard SystemType.known.contains(SystemType(s)) else {
            throw ArrakisError(.usage, "unknown --system '\(s)'; use one of: \(SystemType.known.map(\.rawValue).joined(separator: ", "))")
          }
          filter.systemType = SystemType(s)
        }
        if let since = try Self.optionalString(input, "since") { filter.since = try TimeWindow.parseSince(since) }
        let rows = try Ledger.openReadOnly(path: ledgerPath)?.listSessions(filter) ?? []
        let text = rows.isEmpty ? "no sessions recorded in \(ledgerPath)\n" : SessionTable.render(rows, color: false)
        return ServedResult(text: text, structured: ["sessions": try Self.json(rows)])
      }
    }
  }

  var logShow: ServedTool {
    ServedTool(
      name: "log_show",
      description: "One recorded arrakis session in full, like `arrakis log show`: header, transcript, tool operations, modifications.",
      inputSchema: Self.object([
        "id": ["type": "string", "description": "A session id or a unique prefix of one (see the log tool)."]
      ], required: ["id"]),
      readOnly: true
    ) { input in
      await Self.answering {
        let id = try Self.string(input, "id")
        guard let db = try Ledger.openReadOnly(path: ledgerPath) else {
          throw ArrakisError(.usage, "no ledger at \(ledgerPath)", hint: "check --db / $ARRAKIS_DB")
        }
        let session = try db.session(idOrPrefix: id)
        let messages = try db.messages(sessionID: session.id)
        let tools = try db.toolOperations(sessionID: session.id)
        let mods = try db.selfModifications(sessionID: session.id)
        let record = LogShow.SessionRecord(session: session, messages: messages, toolOperations: tools, selfModifications: mods)
        return ServedResult(
          text: Transcript.render(session: session, messages: messages, tools: tools, modifications: mods),
          structured: try Self.json(record))
      }
    }
  }

  var stats: ServedTool {
    ServedTool(
      name: "stats",
      description: "The figures of `arrakis log stats` over a window: runs, success, latency, tokens and cost per subcommand; tool failure rates; self-modification outcomes.",
      inputSchema: Self.object([
        "window": ["type": "string", "description": "Window start: an age (30.days, 12h) or a date (2026-11-01). Default 30.days."]
      ], required: []),
      readOnly: true
    ) { input in
      await Self.answering {
        let from = try TimeWindow.parseSince(try Self.optionalString(input, "window") ?? "30.days")
        let stats = try Ledger.openReadOnly(path: ledgerPath)?.stats(since: from) ?? .empty(since: from)
        return ServedResult(text: StatsText.render(stats, sparklines: false), structured: try Self.json(stats))
      }
    }
  }

  // MARK: helpers

  /// Errors become MCP tool errors worded as the CLI words them on stderr.
  static func answering(_ body: () async throws -> ServedResult) async -> ServedResult {
    do {
      return try await body()
    } catch let error as ArrakisError {
      return .error("error: \(error.message)" + (error.hint.map { "\n  hint: \($0)" } ?? ""))
    } catch {
      return .error("error: \(error)")
    }
  }

  /// Runs blocking work (curl transfers, git walks) off the cooperative pool.
  static func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await ProcessRunner.onDedicatedThread(name: "arrakis-mcp-call") { _ in Result { try work() } }.get()
  }

  static func object(_ properties: [String: JSONValue], required: [String]) -> JSONValue {
    ["type": "object", "properties": .object(properties), "required": .array(required.map(JSONValue.string)), "additionalProperties": false]
  }

  static func json<T: Encodable>(_ value: T, pretty: Bool = false) throws -> JSONValue {
    try JSONValue.parse(try JSONOutput.string(value, pretty: pretty))
  }

  static func string(_ input: JSONValue, _ key: String) throws -> String {
    guard let s = try optionalString(input, key), !s.isEmpty else { throw ArrakisError(.usage, "missing required argument '\(key)'") }
    return s
  }

  static func optionalString(_ input: JSONValue, _ key: String) throws -> String? {
    guard let v = input[key], !v.isNull else { return nil }
    guard let s = v.stringValue else { throw ArrakisError(.usage, "argument '\(key)' must be a string") }
    return s
  }

  static func int(_ input: JSONValue, _ key: String) throws -> Int? {
    guard let v = input[key], !v.isNull else { return nil }
    guard let i = v.intValue else { throw ArrakisError(.usage, "argument '\(key)' must be an integer") }
    return i
  }

  static func bool(_ input: JSONValue, _ key: String) throws -> Bool? {
    guard let v = input[key], !v.isNull else { return nil }
    guard let b = v.boolValue else { throw ArrakisError(.usage, "argument '\(key)' must be true or false") }
    return b
  }
}
