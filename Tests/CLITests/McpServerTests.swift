import ArrakisCore
import Foundation
import Ledger
import TestSupport
import Testing

/// `arrakis mcp` driven by the official Python MCP SDK's client, as another agent would drive it: the
/// handshake, the tool list with its schemas, and every tool called for real against a real ledger, a
/// real git repository and (for ask) the loopback Messages API.
@Suite(.enabled(if: McpPeers.available, McpPeers.skipReason))
struct McpServerTests {
  let dir = TempDir("mcp-server")
  var db: String { dir.file("ledger.db") }

  func drive(_ calls: [JSONValue], server: LoopbackServer? = nil, cwd: String) async throws -> JSONValue {
    var env = ["ARRAKIS_DB": db, "ANTHROPIC_API_KEY": "sk-test", "ARRAKIS_RETRY_BASE_MS": "5"]
    if let server { env["ANTHROPIC_BASE_URL"] = server.baseURL }
    return try await McpPeers.drive(calls, env: env, cwd: cwd).0
  }

  @Test func listsItsToolsWithSchemasThatSayWhatEachArgumentIs() async throws {
    let out = try await drive([], cwd: dir.path)
    #expect(out["server"]?.stringValue == "arrakis")
    let tools = try #require(out["tools"]?.arrayValue)
    #expect(tools.compactMap { $0["name"]?.stringValue } == ["ask", "analyze", "log", "log_show", "stats"])
    for tool in tools {
      let name = tool["name"]?.stringValue ?? "?"
      #expect(tool["description"]?.stringValue?.isEmpty == false, "\(name) has no description")
      let properties = try #require(tool["inputSchema"]?["properties"]?.objectValue, "\(name) has no properties")
      #expect(!properties.isEmpty, "\(name) takes no arguments")
      for (argument, schema) in properties {
        #expect(schema["description"]?.stringValue?.isEmpty == false, "\(name).\(argument) is not described")
        #expect(schema["type"]?.stringValue != nil, "\(name).\(argument) has no type")
      }
    }
    #expect(tools[0]["inputSchema"]?["required"] == ["prompt"])
    #expect(tools[3]["inputSchema"]?["required"] == ["id"])
    #expect(tools.filter { $0["readOnly"]?.boolValue == true }.compactMap { $0["name"]?.stringValue } == ["log", "log_show", "stats"])
  }

  @Test func everyToolAnswersAndAskAndAnalyzeAreRecorded() async throws {
    let repo = try ScriptedRepository.standard()
    let api = try LoopbackServer([.sse(SSEBuilder.text("Six times seven is 42."))])
    let out = try await drive([
      ["tool": "ask", "arguments": ["prompt": "what is six times seven?"]],
      ["tool": "analyze", "arguments": ["path": .string(repo.path), "since": "90.days"]],
      ["tool": "log", "arguments": ["limit": 5]],
      ["tool": "stats", "arguments": ["window": "30.days"]],
    ], server: api, cwd: repo.path)
    let calls = try #require(out["calls"]?.arrayValue)
    try #require(calls.count == 4)
    #expect(calls.allSatisfy { $0["isError"]?.boolValue == false }, "\(calls)")

    // ask: the answer, recorded as an ask session with the prompt the model got.
    #expect(calls[0]["content"]?[0]?.stringValue == "Six times seven is 42.")
    let askID = try #require(calls[0]["structured"]?["session_id"]?.stringValue)
    let sent = try #require(api.requests.first?.body?["messages"]?[0]?["content"])
    #expect((sent.stringValue ?? sent[0]?["text"]?.stringValue) == "what is six times seven?")
    let ledger = try Ledger.open(path: db)
    let ask = try ledger.session(idOrPrefix: askID)
    #expect(ask.systemType == .ask && ask.status == .success)

    // analyze: the report as text, the JSON of `analyze --json`, no model (one API request: the ask's).
    let report = try #require(calls[1]["content"]?[0]?.stringValue)
    #expect(report.contains("Hotspots") && report.contains("src/big.py"))
    let json = try #require(calls[1]["structured"])
    #expect(json["signals"]?["hotspots"]?[0]?["path"]?.stringValue == "src/big.py")
    #expect(try JSONValue.parse(try #require(calls[1]["content"]?[1]?.stringValue)) == json)
    #expect(api.requests.count == 1)
    let sessions = try ledger.listSessions()
    #expect(Set(sessions.map(\.systemType)) == [.ask, .analyze])

    // log: both sessions, newest first, as the table and as JSON.
    let table = try #require(calls[2]["content"]?[0]?.stringValue)
    #expect(table.contains(String(askID.prefix(8))))
    #expect(calls[2]["structured"]?["sessions"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == sessions.map(\.id))

    // stats: the figures of `log stats` for this window.
    let systems = try #require(calls[3]["structured"]?["systems"]?.arrayValue)
    #expect(Set(systems.compactMap { $0["system_type"]?.stringValue }) == ["ask", "analyze"])
    #expect(calls[3]["content"]?[0]?.stringValue?.contains("ask") == true)

    // log_show: the transcript of the ask, found by a prefix.
    let shown = try await drive([["tool": "log_show", "arguments": ["id": .string(String(askID.prefix(8)))]]], cwd: repo.path)
    let transcript = try #require(shown["calls"]?[0]?["content"]?[0]?.stringValue)
    #expect(transcript.hasPrefix("session \(askID)"))
    #expect(transcript.contains("what is six times seven?") && transcript.contains("Six times seven is 42."))
    #expect(shown["calls"]?[0]?["structured"]?["session"]?["id"]?.stringValue == askID)
  }

  /// Bad arguments are tool errors (isError) in the words the CLI prints on stderr.
  @Test func errorsAreToolErrorsWithTheCLIsWords() async throws {
    _ = try Ledger.open(path: db)  // an empty ledger: log show has something to search
    let out = try await drive([
      ["tool": "log_show", "arguments": ["id": "feedfacefeed"]],
      ["tool": "analyze", "arguments": ["path": .string(dir.path), "since": "last tuesday"]],
      ["tool": "log", "arguments": ["subcommand": "deploy"]],
      ["tool": "stats", "arguments": ["window": "soon"]],
      ["tool": "ask", "arguments": [:]],
    ], cwd: dir.path)
    let calls = try #require(out["calls"]?.arrayValue)
    try #require(calls.count == 5)
    #expect(calls.allSatisfy { $0["isError"]?.boolValue == true }, "\(calls)")
    let texts = calls.map { $0["content"]?[0]?.stringValue ?? "" }

    let cliEnv = ["ARRAKIS_DB": db]
    let show = try await CLIRunner.run(["log", "show", "feedfacefeed"], env: cliEnv, cwd: dir.path)
    #expect(show.status == 2 && texts[0] == show.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
    let stats = try await CLIRunner.run(["log", "stats", "--since", "soon"], env: cliEnv, cwd: dir.path)
    #expect(stats.status == 2 && texts[3] == stats.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
    let since = try await CLIRunner.run(["analyze", "--since", "last tuesday", dir.path], env: cliEnv, cwd: dir.path)
    #expect(since.stderr.contains(texts[1].replacingOccurrences(of: "error: ", with: "")), "CLI: \(since.stderr) MCP: \(texts[1])")
    let system = try await CLIRunner.run(["log", "--system", "deploy"], env: cliEnv, cwd: dir.path)
    #expect(system.stderr.contains(texts[2].replacingOccurrences(of: "error: ", with: "")), "CLI: \(system.stderr) MCP: \(texts[2])")
    #expect(texts[4].contains("prompt"))
    // Nothing was recorded for calls that never started.
    #expect(try Ledger.open(path: db).listSessions().isEmpty)
  }
}
