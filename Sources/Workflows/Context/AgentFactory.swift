import Agent
import FoundationEssentials
import Glibc
import Ledger

/// The one place a workflow's agent loop is put together (`code` in CodeRunner, `improve` in ImproveRun):
/// the tools confined to `root` under `sandbox`, the same sandbox in the options the loop enforces, the git
/// facts of `root`, and the extra instructions with the knowledge digest. The callers decide what differs
/// (the permission policy, the tools offered, the model source).
enum AgentFactory {
  /// The knowledge digest of `workspace` for `prompt` within `budgetTokens`; nil budget: no digest.
  static func digest(
    ledger: Ledger, workspace: String, prompt: String, budgetTokens: Int?, excludingSession: String? = nil
  ) throws -> String? {
    try budgetTokens.flatMap {
      try KnowledgeDigest.build(
        ledger: ledger, workspace: workspace, prompt: prompt, budgetTokens: $0, excludingSession: excludingSession)
    }
  }

  static func loop(
    ledger: Ledger, model: ModelSource, registry: ToolRegistry, root: String, sandbox: SandboxPolicy,
    testCommand: String?, options: AgentOptions, instructions: [String?], digest: String?,
    approve: ((String, String) async -> Bool)? = nil, onEvent: @escaping (AgentEvent) -> Void
  ) -> AgentLoop {
    var options = options
    options.sandbox = sandbox
    let extra = (instructions + [digest]).compactMap { $0 }
    options.extraInstructions = extra.isEmpty ? nil : extra.joined(separator: "\n\n")
    options.historyDigest = digest
    return AgentLoop(
      ledger: ledger, model: model, registry: registry, tools: ToolContext(root: root, sandbox: sandbox),
      options: options, workspace: WorkspaceContextBuilder.build(root: root, configuredTestCommand: testCommand),
      approve: approve, onEvent: onEvent)
  }
}
