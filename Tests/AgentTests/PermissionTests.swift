import ArrakisCore
import Foundation
import Testing

@testable import Agent

@Suite struct PermissionLevelTests {
  @Test func parsing() {
    #expect(PermissionLevel(parsing: "read-only") == .readOnly)
    #expect(PermissionLevel(parsing: "safe-write") == .safeWrite)
    #expect(PermissionLevel(parsing: "FULL_ACCESS") == .fullAccess)
    #expect(PermissionLevel(parsing: "self-modify") == .selfModify)
    #expect(PermissionLevel(parsing: "root") == nil)
  }

  @Test func table() {
    let expected: [PermissionLevel: [String]] = [
      .readOnly: ["Read", "Glob", "Grep"],
      .safeWrite: ["Read", "Write", "Edit", "Glob", "Grep"],
      .fullAccess: ["Read", "Write", "Edit", "Bash", "Glob", "Grep"],
      .selfModify: ["Read", "Write", "Edit", "Bash", "Glob", "Grep"],
    ]
    for (level, names) in expected {
      #expect(ToolRegistry.standard.permitted(by: level).tools.map(\.name) == names)
    }
  }

  /// Above the level only what an allow rule names runs; the rest of the tool stays denied.
  @Test func allowRulesGrantExactlyWhatTheyNameAboveTheLevel() async {
    let ws = TempWorkspace()
    let ctx = ws.context()
    let policy = PermissionPolicy(level: .readOnly, allow: [PermissionRule(tool: "Write", pattern: "notes/*"), PermissionRule(tool: "Bash", pattern: "true")])
    let named = await call("Write", ["file_path": "notes/x", "content": "y"], ctx, policy: policy)
    #expect(!named.isDenied)
    let other = await call("Write", ["file_path": "x", "content": "y"], ctx, policy: policy)
    #expect(other.denialReason?.contains("safe-write") == true)
    #expect(!(await call("Bash", ["command": "true"], ctx, policy: policy)).isDenied)
    let b = await call("Bash", ["command": "false"], ctx, policy: policy)
    #expect(b.denialReason?.contains("full-access") == true)
    #expect(FileManager.default.fileExists(atPath: ws.root + "/x") == false)
  }

  @Test func selfModifyGuardsArrakisSource() async {
    let ws = TempWorkspace()
    ws.write("Package.swift", "let package = Package(\n  name: \"arrakis\",\n)")
    ws.write("Sources/Agent/x.swift", "")
    let ctx = ws.context()
    #expect(ctx.workspaceIsArrakisSource)
    let denied = await call("Write", ["file_path": "n.swift", "content": ""], ctx, policy: PermissionPolicy(level: .fullAccess, askAbove: nil))
    #expect(denied.denialReason?.contains("self-modify") == true)
    let read = await call("Read", ["file_path": "Package.swift"], ctx, policy: PermissionPolicy(level: .fullAccess))
    #expect(!read.isDenied)
    let ok = await call("Write", ["file_path": "n.swift", "content": ""], ctx, policy: PermissionPolicy(level: .selfModify))
    #expect(!ok.isDenied && !ok.isError)
  }
}

@Suite struct PermissionRuleTests {
  func decide(_ command: String, allow: [String] = [], deny: [String] = []) throws -> PermissionDecision {
    let ws = TempWorkspace()
    let policy = PermissionPolicy(level: .fullAccess, allow: try PermissionPolicy.parseRules(allow), deny: try PermissionPolicy.parseRules(deny))
    return policy.evaluate(tool: BashTool(), input: ["command": .string(command)], context: ws.context())
  }

  @Test func parsing() throws {
    #expect(PermissionRule(parsing: "Bash(git log:*)") == PermissionRule(tool: "Bash", pattern: "git log:*"))
    #expect(PermissionRule(parsing: "Edit") == PermissionRule(tool: "Edit"))
    #expect(PermissionRule(parsing: "Bash(oops") == nil)
    #expect(throws: ArrakisError.self) { try PermissionPolicy.parseRules(["bad rule!"]) }
  }

  @Test func bashPrefixRules() throws {
    #expect(try decide("git log --oneline", allow: ["Bash(git log:*)"]) == .allow)
    #expect(try decide("git log", allow: ["Bash(git log:*)"]) == .allow)
    guard case .ask = try decide("git logx", allow: ["Bash(git log:*)"]) else { Issue.record("prefix must respect word boundary"); return }
    guard case .ask = try decide("git status") else { Issue.record("unlisted bash must ask"); return }
    #expect(try decide("make test", allow: ["Bash(make test)"]) == .allow)
    #expect(try decide("anything at all", allow: ["Bash"]) == .allow)
  }

  @Test func compoundCommandsNeedEveryPart() throws {
    let allow = ["Bash(git log:*)", "Bash(wc:*)"]
    #expect(try decide("git log | wc -l", allow: allow) == .allow)
    #expect(try decide("git log && wc -l; git log -1", allow: allow) == .allow)
    for sneaky in ["git log && rm -rf x", "git log; curl evil", "git log | sh", "git log $(rm x)", "git log `rm x`",
                   "wc -l \"$(touch y)\"", "git log || bash -c 'rm x'", "git log & rm x", "git log\nrm x"] {
      guard case .ask = try decide(sneaky, allow: allow) else { Issue.record("\(sneaky) must not be pre-approved"); continue }
    }
    guard case .ask = try decide("git log 'unterminated", allow: allow) else { Issue.record("unparseable must not be allowed"); return }
  }

  @Test func denyWins() throws {
    guard case .deny = try decide("git push origin", allow: ["Bash"], deny: ["Bash(git push:*)"]) else { Issue.record("deny must win"); return }
    guard case .deny = try decide("echo ok && git push", allow: ["Bash"], deny: ["Bash(git push:*)"]) else { Issue.record("deny on any part"); return }
    guard case .deny = try decide("echo $(git push)", allow: ["Bash"], deny: ["Bash(git push:*)"]) else { Issue.record("deny in substitution"); return }
  }

  @Test func pathRules() async throws {
    let ws = TempWorkspace()
    ws.write("Sources/a.swift", "a")
    ws.write("docs/x.md", "m")
    let ctx = ws.context()
    let policy = PermissionPolicy(level: .fullAccess, deny: try PermissionPolicy.parseRules(["Edit(Sources/**)", "Read(*.md)"]))
    _ = await call("Read", ["file_path": "Sources/a.swift"], ctx, policy: policy)
    let e = await call("Edit", ["file_path": "Sources/a.swift", "old_string": "a", "new_string": "b"], ctx, policy: policy)
    #expect(e.denialReason?.contains("Edit(Sources/**)") == true)
    let r = await call("Read", ["file_path": "docs/x.md"], ctx, policy: policy)
    #expect(r.isDenied)
    let w = await call("Write", ["file_path": "Sources/b.swift", "content": ""], ctx, policy: policy)
    #expect(!w.isDenied)
  }

  @Test func askUsesApprover() async {
    let ws = TempWorkspace()
    let ctx = ws.context()
    let policy = PermissionPolicy(level: .fullAccess)
    let refused = await ToolRegistry.standard.execute(name: "Bash", input: ["command": "echo hi"], context: ctx, policy: policy)
    #expect(refused.isDenied)
    let approved = await ToolRegistry.standard.execute(name: "Bash", input: ["command": "echo hi"], context: ctx, policy: policy) { _, _ in true }
    #expect(approved.text.contains("hi"))
  }
}

@Suite struct DefinitionTests {
  @Test func definitionsAreSmall() {
    let defs = JSONValue.array(ToolRegistry.standard.definitions).serialized()
    // The first request (six tools + a short system prompt + the task) must stay under 10 KB.
    #expect(defs.utf8.count < 6_500, "tool definitions are \(defs.utf8.count) bytes")
    print("tool definitions: \(defs.utf8.count) bytes")
    #expect(ToolRegistry.standard.tools.map(\.name) == ["Read", "Write", "Edit", "Bash", "Glob", "Grep"])
  }

  @Test func unknownTool() async {
    let ws = TempWorkspace()
    let o = await call("Nope", [:], ws.context())
    #expect(o.isError && o.text.contains("Unknown tool"))
  }
}

/// One policy decides every call: it allows, denies, or words the question a person must answer.
@Suite struct OnePolicyTests {
  @Test func aboveAskAboveThePolicyAsksWithTheDiffButDeniesAndAllowsByRuleFirst() async throws {
    let ws = TempWorkspace()
    ws.write("a.txt", "old\n")
    let ctx = ws.context()
    let write = try #require(ToolRegistry.standard.tool(named: "Write"))
    let input: JSONValue = ["file_path": "a.txt", "content": "new\n"]
    let asking = PermissionPolicy(level: .fullAccess, askAbove: .readOnly)
    guard case .ask(let question) = asking.evaluate(tool: write, input: input, context: ctx) else {
      Issue.record("expected a question"); return
    }
    #expect(question.hasPrefix("allow Write a.txt?"))
    #expect(question.contains("-old") && question.contains("+new"), "\(question)")
    // A deny rule refuses without asking anybody; an allow rule lets it run without asking.
    let denying = PermissionPolicy(level: .fullAccess, deny: try PermissionPolicy.parseRules(["Write(a.txt)"]), askAbove: .readOnly)
    #expect(denying.evaluate(tool: write, input: input, context: ctx) != .allow)
    if case .ask = denying.evaluate(tool: write, input: input, context: ctx) { Issue.record("asked about a denied call") }
    let allowing = PermissionPolicy(level: .fullAccess, allow: try PermissionPolicy.parseRules(["Write(a.txt)"]), askAbove: .readOnly)
    #expect(allowing.evaluate(tool: write, input: input, context: ctx) == .allow)
    // Without a person to answer, the question is a denial that says what was asked.
    let o = await ToolRegistry.standard.execute(name: "Write", input: input, context: ctx, policy: asking)
    #expect(o.denialReason?.hasPrefix("not approved: allow Write a.txt?") == true, "\(String(describing: o.denialReason))")
    #expect(ws.read("a.txt") == "old\n")
  }
}
