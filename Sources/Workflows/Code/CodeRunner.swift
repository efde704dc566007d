import Agent
import ArrakisCore
import Claude
import FoundationEssentials
import Ledger
import MCPBridge

/// What `arrakis code` was asked to do, before it is turned into an agent loop.
public struct CodeRequest: Sendable {
  public var prompt: String
  public var workspaceRoot: String
  public var model: String
  public var maxTokens: Int = 8192
  public var maxTurns: Int = 50
  public var maxBudgetUSD: Double?
  /// nil: the default for how arrakis was started (see `PermissionSetup`).
  public var permission: PermissionLevel?
  public var interactive: Bool
  public var allow: [String] = []
  public var deny: [String] = []
  public var sandboxMode: SandboxPolicy.Mode = .policy
  public var allowNetwork = false
  public var resume: String?
  public var continueLast = false
  /// A session id or a JSONL file whose turns stand in for the model.
  public var replay: String?
  public var extraInstructions: String?
  public var testCommand: String?
  /// Include a knowledge digest of the workspace within this many tokens; nil: none.
  public var historyBudgetTokens: Int? = KnowledgeDigest.defaultBudgetTokens
  /// Why the front door chose `code`; nil when `code` was named.
  public var route: String?
  public var effort: Effort?
  /// Tokens; nil: the model's window from the catalog.
  public var contextWindow: Int?
  /// A Claude Code style MCP config (`{"mcpServers": …}`) whose servers' tools join the built-in ones.
  public var mcpConfig: String?

  public init(prompt: String, workspaceRoot: String, model: String, interactive: Bool) {
    self.prompt = prompt
    self.workspaceRoot = workspaceRoot
    self.model = model
    self.interactive = interactive
  }
}

/// How a permission level is chosen: an explicit `--permission` is the user's consent for everything in it
/// (Bash runs without asking; rules and the sandbox still apply). Without one, a terminal session reads
/// freely and asks before each change (Write and Edit with their diff, Bash with its command; "always"
/// answers for the session), and anything else (hooks, cron, pipes) gets read-only.
public enum PermissionSetup {
  public static func policy(for r: CodeRequest) throws -> PermissionPolicy {
    let allow = try PermissionPolicy.parseRules(r.allow)
    let deny = try PermissionPolicy.parseRules(r.deny)
    if let level = r.permission {
      return PermissionPolicy(level: level, allow: allow, deny: deny, askAbove: nil)
    }
    if r.interactive {
      return PermissionPolicy(level: .fullAccess, allow: allow, deny: deny, askAbove: .readOnly)
    }
    return PermissionPolicy(level: .readOnly, allow: allow, deny: deny, askAbove: nil)
  }
}

/// Sets up and runs the agent loop for `arrakis code` (assembled by AgentFactory, as for `improve`).
public enum CodeRunner {
  public static func run(
    _ r: CodeRequest, ledger: Ledger, client: @autoclosure () -> ClaudeClient,
    approve: ((String, String) async -> Bool)?, onEvent: @escaping (AgentEvent) -> Void
  ) async throws -> AgentResult {
    let policy = try PermissionSetup.policy(for: r)
    _ = try ThinkingSettings.forModel(r.model, effort: r.effort, adaptive: true)  // a bad --effort fails before the session
    if r.sandboxMode == .os, case .unavailable(let reason) = Bubblewrap.availability {
      throw ArrakisError(.configuration, "--sandbox os cannot run here: \(reason)", hint: "install bubblewrap, or choose --sandbox policy knowingly")
    }
    if r.sandboxMode == .policy { CommandIsolation.noticeIfUnavailable() }
    let sandbox = SandboxPolicy(workspace: r.workspaceRoot, mode: r.sandboxMode, allowNetwork: r.allowNetwork)
    let model: ModelSource
    if let replay = r.replay {
      // A path that exists is a turn file; anything else names a recorded session.
      model = FileManager.default.fileExists(atPath: replay)
        ? try ReplayModel.fromFile(replay) : try ReplayModel.fromSession(replay, ledger: ledger)
    } else {
      model = LiveModel(client: client(), model: r.model)
    }
    var resume = r.resume
    if r.continueLast {
      guard let last = try ledger.lastSession(systemType: .code, workspace: r.workspaceRoot) else {
        throw ArrakisError(.usage, "nothing to continue: no earlier code session in \(r.workspaceRoot)", hint: "drop --continue, or name one with --resume ID")
      }
      resume = last.id
    }
    let digest = try AgentFactory.digest(
      ledger: ledger, workspace: r.workspaceRoot, prompt: r.prompt, budgetTokens: r.historyBudgetTokens)
    var options = AgentOptions(
      model: r.model, maxTokens: r.maxTokens, maxTurns: r.maxTurns, maxBudgetUSD: r.maxBudgetUSD, policy: policy,
      route: r.route)
    options.effort = r.effort
    options.contextWindow = r.contextWindow
    // Started last, before the first model call: a server that cannot start ends the run with exit 2.
    var mcp: MCPToolset?
    if let path = r.mcpConfig {
      mcp = try await MCPToolset.start(
        configPath: path, directory: r.workspaceRoot, allowRules: policy.allow,
        timeouts: try .fromEnvironment(Environment(), defaultCallMs: sandbox.defaultTimeoutMs))
    }
    defer { mcp?.stop() }
    let loop = AgentFactory.loop(
      ledger: ledger, model: model, registry: ToolRegistry(ToolRegistry.standard.tools + (mcp?.tools ?? [])),
      root: r.workspaceRoot, sandbox: sandbox, testCommand: r.testCommand, options: options,
      instructions: [r.extraInstructions], digest: digest, approve: approve, onEvent: onEvent)
    return try await loop.run(prompt: r.prompt, resume: resume)
  }
}
