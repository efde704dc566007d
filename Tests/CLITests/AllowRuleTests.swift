import Foundation
import Ledger
import TestSupport
import Testing

/// An allow rule grants exactly the calls it names, at every level, above the level too; deny still wins.
/// The model's turns come from a file (`code --replay`), the tools run for real in a git repository.
@Suite struct AllowRuleTests {
  let dir = TempDir("allow")
  var repo: String { dir.file("repo") }
  var db: String { dir.file("ledger.db") }

  init() throws {
    try dir.write("repo/Makefile", "test:\n\techo ok > tested.txt\n")
    try dir.write("repo/docs/a.md", "old doc\n")
    try dir.write("repo/src/b.txt", "old src\n")
    try GitFixture.sh("git init -q && git add -A && git -c user.name=t -c user.email=t@t commit -qm init", cwd: repo)
    let calls = [
      #"{"type":"tool_use","id":"r1","name":"Read","input":{"file_path":"docs/a.md"}}"#,
      #"{"type":"tool_use","id":"r2","name":"Read","input":{"file_path":"src/b.txt"}}"#,
      #"{"type":"tool_use","id":"b1","name":"Bash","input":{"command":"make test"}}"#,
      #"{"type":"tool_use","id":"b2","name":"Bash","input":{"command":"touch other.txt"}}"#,
      #"{"type":"tool_use","id":"e1","name":"Edit","input":{"file_path":"docs/a.md","old_string":"old","new_string":"new"}}"#,
      #"{"type":"tool_use","id":"e2","name":"Edit","input":{"file_path":"src/b.txt","old_string":"old","new_string":"new"}}"#,
      #"{"type":"tool_use","id":"w1","name":"Write","input":{"file_path":"notes/n.md","content":"note\n"}}"#,
      #"{"type":"tool_use","id":"w2","name":"Write","input":{"file_path":"x.txt","content":"x\n"}}"#,
    ]
    try dir.write("turns.jsonl", "[" + calls.joined(separator: ",") + "]\n" + #"[{"type":"text","text":"done"}]"# + "\n")
  }

  func code(_ args: [String]) async throws -> CLIResult {
    try await CLIRunner.run(["code", "--replay", dir.file("turns.jsonl")] + args + ["do it"], env: ["ARRAKIS_DB": db], cwd: repo)
  }

  func exists(_ p: String) -> Bool { FileManager.default.fileExists(atPath: repo + "/" + p) }
  func read(_ p: String) -> String { (try? String(contentsOfFile: repo + "/" + p, encoding: .utf8)) ?? "" }

  static let rules = ["--allow", "Bash(make test)", "--allow", "Edit(docs/**)", "--allow", "Write(notes/*.md)"]

  /// (level, what else runs besides the calls the rules name: other Bash, Edit of src/, Write of x.txt)
  @Test(arguments: [("read-only", false, false, false), ("safe-write", false, true, true), ("full-access", true, true, true)])
  func rulesGrantWhatTheyNameAtEachLevel(level: String, otherBash: Bool, otherEdit: Bool, otherWrite: Bool) async throws {
    let r = try await code(["--permission", level] + Self.rules)
    #expect(r.status == 0, "\(level): \(r.stderr)")
    #expect(exists("tested.txt"), "\(level): make test did not run")
    #expect(read("docs/a.md") == "new doc\n", "\(level)")
    #expect(exists("notes/n.md"), "\(level)")
    #expect(exists("other.txt") == otherBash, "\(level)")
    #expect((read("src/b.txt") == "new src\n") == otherEdit, "\(level)")
    #expect(exists("x.txt") == otherWrite, "\(level)")
    let ledger = try Ledger.open(path: db)
    let ops = try ledger.toolOperations(sessionID: try #require(try ledger.listSessions().first).id)
    #expect(ops.count == 8)
    if !otherBash {
      let denied = try #require(ops.first { $0.toolName == "Bash" && $0.parameters["command"]?.stringValue == "touch other.txt" })
      #expect(denied.deniedReason?.contains("full-access") == true, "\(denied.deniedReason ?? "")")
    }
  }

  @Test func denyStillWins() async throws {
    let r = try await code(["--permission", "full-access", "--allow", "Bash(make test)", "--deny", "Bash(make:*)", "--deny", "Edit(docs/**)", "--allow", "Edit(docs/**)"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(!exists("tested.txt"))
    #expect(read("docs/a.md") == "old doc\n")
    #expect(read("src/b.txt") == "new src\n")
  }

  /// README's sample configuration: `permission = "safe-write"` with `allow = ["Bash(make test)"]`.
  @Test func readmeSampleConfigurationWorksAsWritten() async throws {
    try dir.write("repo/.arrakis.toml", """
      # .arrakis.toml
      model = "opus"                 # ARRAKIS_MODEL, --model
      max_tokens = 8192              # ARRAKIS_MAX_TOKENS, --max-tokens
      test_command = "make test"     # ARRAKIS_TEST_COMMAND, --test-command
      permission = "safe-write"      # ARRAKIS_PERMISSION, --permission (code)
      allow = ["Bash(make test)"]    # --allow
      deny = ["Bash(git push:*)"]    # --deny; deny rules of every level add up
      sandbox = "policy"             # ARRAKIS_SANDBOX, --sandbox: policy or os
      allow_network = false          # ARRAKIS_ALLOW_NETWORK, --[no-]allow-network
      max_budget_usd = 0.50          # ARRAKIS_MAX_BUDGET_USD, --max-budget-usd
      max_turns = 30                 # ARRAKIS_MAX_TURNS, --max-turns

      """)
    let r = try await code([])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(exists("tested.txt"))
    #expect(!exists("other.txt"))
    #expect(read("src/b.txt") == "new src\n")
    #expect(exists("x.txt"))
  }

  /// The model is told about a tool an allow rule names, even above the level.
  @Test func aToolNamedByARuleIsOffered() async throws {
    let server = try LoopbackServer([.sse(SSEBuilder.text("ok"))])
    let r = try await CLIRunner.run(
      ["code", "--permission", "read-only", "--allow", "Bash(make test)", "run the tests"],
      env: ["ARRAKIS_DB": db, "ANTHROPIC_API_KEY": "sk-test", "ANTHROPIC_BASE_URL": server.baseURL], cwd: repo)
    #expect(r.status == 0, "\(r.stderr)")
    let tools = try #require(server.requests.first?.body?["tools"]?.arrayValue)
    #expect(tools.compactMap { $0["name"]?.stringValue } == ["Read", "Bash", "Glob", "Grep"])
  }
}
