import ArrakisCore
import Foundation
import Ledger
import TestSupport
import Testing

/// `arrakis code --mcp-config` with a real MCP server (the Python SDK's FastMCP, Tests/MCPPeers/demo_server.py):
/// its tools offered as mcp__demo__TOOL, the permission cases, a server that cannot start, one that hangs
/// and one that dies mid-call, and no server left running afterwards.
@Suite(.enabled(if: McpPeers.available, McpPeers.skipReason))
struct McpCodeTests {
  let dir = TempDir("mcp-code")
  var db: String { dir.file("ledger.db") }
  var repo: String { dir.file("repo") }
  var calls: String { dir.file("calls") }
  var configFile: String { dir.file("mcp.json") }

  init() throws {
    try dir.write("repo/README", "demo\n")
    try GitFixture.sh("git init -q && git add -A && git -c user.name=t -c user.email=t@t commit -qm init", cwd: repo)
    // The tag puts this test's path on the server's command line, so a leftover server can be found.
    try dir.write("mcp.json", McpPeers.config(callsFile: calls, extraArgs: ["--tag", dir.path]))
  }

  func code(_ args: [String], server: LoopbackServer, env: [String: String] = [:]) async throws -> CLIResult {
    let base = ["ARRAKIS_DB": db, "ANTHROPIC_API_KEY": "sk-test", "ANTHROPIC_BASE_URL": server.baseURL]
    // A long timeout: Python's start-up is slow on a loaded machine, and a hang shows as a wrong status anyway.
    return try await CLIRunner.run(["code"] + args, env: base.merging(env) { $1 }, cwd: repo, timeout: 240)
  }

  func callsReachingTheServer() -> [String] {
    ((try? String(contentsOfFile: calls, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
  }

  func onlyOperation() throws -> ToolOperationRow {
    let ledger = try Ledger.open(path: db)
    let session = try #require(try ledger.listSessions().first)
    let ops = try ledger.toolOperations(sessionID: session.id)
    try #require(ops.count == 1, "\(ops)")
    return ops[0]
  }

  func addTwoAndThree() -> [ScriptedResponse] {
    [
      .sse(SSEBuilder.turn(blocks: [.toolUse(id: "m1", name: "mcp__demo__add", input: ["a": 2, "b": 3])], stopReason: "tool_use")),
      .sse(SSEBuilder.text("2 + 3 = 5")),
    ]
  }

  /// read-only (not a terminal), but an allow rule names the tool: offered with its schema, and it runs.
  @Test func anAllowRuleLetsTheToolRunBelowFullAccess() async throws {
    let api = try LoopbackServer(addTwoAndThree())
    let r = try await code(["--mcp-config", configFile, "--allow", "mcp__demo__add", "add 2 and 3"], server: api)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let tools = try #require(api.requests.first?.body?["tools"]?.arrayValue)
    let add = try #require(tools.first { $0["name"]?.stringValue == "mcp__demo__add" })
    #expect(add["description"]?.stringValue == "Add two integers.")
    #expect(add["input_schema"]?["properties"]?["a"]?["type"]?.stringValue == "integer")
    #expect(add["input_schema"]?["required"] == ["a", "b"])
    // The tools nothing allows stay hidden at read-only.
    #expect(!tools.contains { $0["name"]?.stringValue == "mcp__demo__hang" })
    let result = try #require(api.requests.last?.body?["messages"]?.arrayValue?.last?["content"]?[0])
    #expect(result["content"]?.stringValue == "5" && result["is_error"]?.boolValue != true)
    #expect(callsReachingTheServer() == ["add 2 3"])
    let op = try onlyOperation()
    #expect(op.toolName == "mcp__demo__add" && op.success && op.result == "5" && op.deniedReason == nil)
    #expect(McpPeers.processes(mentioning: dir.path).isEmpty)
  }

  /// Below full-access and named by no rule: denied before the server hears of it.
  @Test func withoutARuleTheToolNeedsFullAccess() async throws {
    let api = try LoopbackServer(addTwoAndThree())
    let r = try await code(["--mcp-config", configFile, "--permission", "safe-write", "add 2 and 3"], server: api)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(api.requests.first?.body?["tools"]?.arrayValue?.contains { $0["name"]?.stringValue?.hasPrefix("mcp__") == true } == false)
    #expect(callsReachingTheServer().isEmpty)
    let op = try onlyOperation()
    #expect(op.toolName == "mcp__demo__add" && !op.success)
    #expect(op.deniedReason?.hasPrefix("mcp__demo__add needs permission level full-access (current: safe-write)") == true, "\(String(describing: op.deniedReason))")
  }

  /// full-access offers every tool; a deny rule still wins over it and over an allow rule.
  @Test func aDenyRuleWinsAtFullAccess() async throws {
    let api = try LoopbackServer(addTwoAndThree())
    let r = try await code(
      ["--mcp-config", configFile, "--permission", "full-access", "--allow", "mcp__demo__add", "--deny", "mcp__demo__add", "add"],
      server: api)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let names = try #require(api.requests.first?.body?["tools"]?.arrayValue).compactMap { $0["name"]?.stringValue }
    #expect(names.filter { $0.hasPrefix("mcp__") } == ["mcp__demo__add", "mcp__demo__hang", "mcp__demo__crash"])
    #expect(callsReachingTheServer().isEmpty)
    let op = try onlyOperation()
    #expect(op.deniedReason == "mcp__demo__add matches --deny mcp__demo__add")
  }

  /// `mcp_config` in the repository's .arrakis.toml, relative to the repository, with `${VAR}` taken from the
  /// environment as Claude Code does; full-access runs the tool.
  @Test func theRepositoryConfigCanNameTheServers() async throws {
    let committed = McpPeers.config(callsFile: "${DEMO_CALLS:-/nowhere}", extraArgs: ["${DEMO_TAG:-untagged}"])
    try dir.write("repo/.mcp.json", committed)
    try dir.write("repo/.arrakis.toml", "mcp_config = \".mcp.json\"\n")
    let api = try LoopbackServer(addTwoAndThree())
    let r = try await code(["--permission", "full-access", "add 2 and 3"], server: api, env: ["DEMO_CALLS": calls])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(callsReachingTheServer() == ["add 2 3"])
    #expect(try onlyOperation().result == "5")
  }

  @Test func aServerThatFailsToStartStopsTheRunBeforeAnyModelCall() async throws {
    try dir.write("mcp.json", McpPeers.config(callsFile: calls, extraArgs: ["--fail-at-start"]))
    let api = try LoopbackServer(addTwoAndThree())
    let r = try await code(["--mcp-config", configFile, "--permission", "full-access", "add"], server: api)
    #expect(r.status == 2)
    #expect(r.stderr.contains("MCP server 'demo' failed to start: exited with status 1"), "\(r.stderr)")
    #expect(r.stderr.contains("demo: cannot open the database /nonexistent/demo.db"), "\(r.stderr)")
    #expect(api.requests.isEmpty)

    try dir.write("mcp.json", McpPeers.config(callsFile: calls, command: dir.file("no-such-server")))
    let missing = try await code(["--mcp-config", configFile, "add"], server: api)
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("MCP server 'demo' failed to start: cannot run \(dir.file("no-such-server"))"), "\(missing.stderr)")

    try dir.write("mcp.json", #"{"mcpServers": {"demo": {"command": "${ARRAKIS_TEST_UNSET_SERVER}"}}}"#)
    let unset = try await code(["--mcp-config", configFile, "add"], server: api)
    #expect(unset.status == 2 && unset.stderr.contains("${ARRAKIS_TEST_UNSET_SERVER} is not set and has no default"), "\(unset.stderr)")

    try dir.write("mcp.json", #"{"mcpServers": {"demo": {"args": []}}}"#)
    let bad = try await code(["--mcp-config", configFile, "add"], server: api)
    #expect(bad.status == 2 && bad.stderr.contains("server 'demo': \"command\" must be a non-empty string"), "\(bad.stderr)")
    #expect(api.requests.isEmpty)
  }

  /// A server that never answers the handshake is bounded by MCP_TIMEOUT, killed, and the run ends with exit 2.
  @Test func aServerThatNeverAnswersAtStartIsBounded() async throws {
    let silent: JSONValue = ["mcpServers": ["demo": [
      "command": .string(McpPeers.python), "args": ["-c", "import time; time.sleep(600)", .string(dir.path)],
    ]]]
    try dir.write("mcp.json", silent.serialized())
    let api = try LoopbackServer(addTwoAndThree())
    let started = Date()
    let r = try await code(["--mcp-config", configFile, "add"], server: api, env: ["MCP_TIMEOUT": "1000"])
    #expect(r.status == 2)
    #expect(r.stderr.contains("MCP server 'demo' failed to start: start-up did not answer within 1 s (MCP_TIMEOUT sets the limit in ms)"), "\(r.stderr)")
    #expect(Date().timeIntervalSince(started) < 120)  // the server would sleep 600 s
    #expect(api.requests.isEmpty)
    #expect(McpPeers.processes(mentioning: dir.path).isEmpty, "left running: \(McpPeers.processes(mentioning: dir.path))")
  }

  /// A call that never answers is cut at the tool timeout; the run goes on and ends, and the server with it.
  @Test func aHangingCallIsBoundedByTheToolTimeout() async throws {
    let api = try LoopbackServer([
      .sse(SSEBuilder.turn(blocks: [.toolUse(id: "h1", name: "mcp__demo__hang", input: [:])], stopReason: "tool_use")),
      .sse(SSEBuilder.text("It hung.")),
    ])
    let started = Date()
    let r = try await code(["--mcp-config", configFile, "--permission", "full-access", "wait"], server: api, env: ["MCP_TOOL_TIMEOUT": "1500"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(Date().timeIntervalSince(started) < 120)  // the call would hang for an hour
    let result = try #require(api.requests.last?.body?["messages"]?.arrayValue?.last?["content"]?[0])
    #expect(result["is_error"]?.boolValue == true)
    #expect(result["content"]?.stringValue?.contains("MCP server 'demo' failed on hang: hang did not answer within 1.5 s (MCP_TOOL_TIMEOUT sets the limit in ms)") == true, "\(result)")
    let op = try onlyOperation()
    #expect(!op.success && (op.durationMs ?? 0) >= 1400 && (op.durationMs ?? .max) < 30_000)
    #expect(callsReachingTheServer() == ["hang"])
    #expect(McpPeers.processes(mentioning: dir.path).isEmpty, "left running: \(McpPeers.processes(mentioning: dir.path))")
  }

  /// A server that dies mid-call: the call fails at once with the server's last words, not at the timeout.
  @Test func aServerThatDiesMidCallFailsTheCallWithItsStderr() async throws {
    let api = try LoopbackServer([
      .sse(SSEBuilder.turn(blocks: [.toolUse(id: "c1", name: "mcp__demo__crash", input: [:])], stopReason: "tool_use")),
      .sse(SSEBuilder.turn(blocks: [.toolUse(id: "c2", name: "mcp__demo__add", input: ["a": 1, "b": 1])], stopReason: "tool_use")),
      .sse(SSEBuilder.text("It died.")),
    ])
    let r = try await code(["--mcp-config", configFile, "--permission", "full-access", "crash"], server: api, env: ["MCP_TOOL_TIMEOUT": "60000"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let messages = try #require(api.requests.last?.body?["messages"]?.arrayValue)
    let crash = try #require(messages.dropLast(2).last?["content"]?[0]?["content"]?.stringValue)
    #expect(crash.contains("MCP server 'demo' failed on crash: exited with status 3") && crash.contains("demo: crashing on purpose"), "\(crash)")
    let after = try #require(messages.last?["content"]?[0]?["content"]?.stringValue)
    #expect(after.contains("MCP server 'demo' is not running: exited with status 3"), "\(after)")
    let ops = try Ledger.open(path: db).toolOperations(sessionID: try #require(try Ledger.open(path: db).listSessions().first).id)
    #expect(ops.map(\.success) == [false, false])
    #expect((ops[0].durationMs ?? .max) < 30_000)  // at once, not at the 60 s timeout
  }
}
