import Agent
import ArgumentParser
import ArrakisCore
import Foundation
import SelfImprovement

struct Code: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Let Claude work in this workspace with Read, Write, Edit, Bash, Glob and Grep.",
    discussion: """
      Permission levels: read-only (Read, Glob, Grep), safe-write (+Write), full-access (+Edit, Bash),
      self-modify (full-access on arrakis's own source). An explicit --permission is consent for the whole
      level. Without one, a terminal session is safe-write and asks y/n for anything above it; hooks, cron
      and pipes get read-only.
      Rules: --allow/--deny 'Tool' or 'Tool(pattern)', e.g. 'Bash(git log:*)', 'Edit(Sources/**)'; deny wins.
      """)

  @Argument(help: "The task. Piped stdin, if any, is added before it as context.")
  var prompt: [String] = []

  @OptionGroup var model: ModelOptions
  @OptionGroup var ledger: LedgerOptions

  @Option(name: .long, help: ArgumentHelp("read-only, safe-write, full-access or self-modify.", valueName: "level"))
  var permission: String?

  @Option(name: .long, help: ArgumentHelp("Pre-approve a tool or tool pattern (repeatable).", valueName: "rule"))
  var allow: [String] = []

  @Option(name: .long, help: ArgumentHelp("Deny a tool or tool pattern (repeatable); deny wins.", valueName: "rule"))
  var deny: [String] = []

  @Option(name: .long, help: ArgumentHelp("policy (screened commands, confined paths) or os (Bash under bubblewrap).", valueName: "mode"))
  var sandbox: String = "policy"

  @Flag(name: .long, help: "With --sandbox os: let Bash reach the network.")
  var allowNetwork = false

  @Option(name: .long, help: "Stop after this many model turns.")
  var maxTurns: Int = 50

  @Option(name: .long, help: ArgumentHelp("Stop once the session has cost this much (USD).", valueName: "usd"))
  var maxBudgetUsd: Double?

  @Option(name: .long, help: ArgumentHelp("text, json or stream-json.", valueName: "format"))
  var outputFormat: String = "text"

  @Option(name: .long, help: ArgumentHelp("Continue this recorded code session.", valueName: "id"))
  var resume: String?

  @Flag(name: [.customShort("c"), .customLong("continue")], help: "Continue the last code session in this workspace.")
  var continueLast = false

  @Option(name: .long, help: ArgumentHelp("Take the model's turns from a recorded session or a JSONL file; tools run for real.", valueName: "id|file"))
  var replay: String?

  @Option(name: [.customShort("C"), .long], help: ArgumentHelp("Work in this directory (default: the enclosing repository).", valueName: "dir"))
  var workspace: String?

  func validate() throws {
    if let p = permission, PermissionLevel(parsing: p) == nil {
      throw ValidationError("unknown --permission '\(p)'; use read-only, safe-write, full-access or self-modify")
    }
    if SandboxPolicy.Mode(rawValue: sandbox) == nil { throw ValidationError("unknown --sandbox '\(sandbox)'; use policy or os") }
    if AgentEventRenderer.Format(rawValue: outputFormat) == nil {
      throw ValidationError("unknown --output-format '\(outputFormat)'; use text, json or stream-json")
    }
    guard maxTurns > 0 else { throw ValidationError("--max-turns must be positive") }
    if let b = maxBudgetUsd, b <= 0 { throw ValidationError("--max-budget-usd must be positive") }
    if continueLast && resume != nil { throw ValidationError("use either --continue or --resume, not both") }
  }

  func run() async throws {
    let renderer = AgentEventRenderer(format: AgentEventRenderer.Format(rawValue: outputFormat)!)
    try await reportingErrors(json: renderer.format != .text) {
      Interrupt.install()
      let stdin = Stdin.readIfPiped()
      guard let task = AskRunner.userText(prompt: prompt.isEmpty ? nil : prompt.joined(separator: " "), stdin: stdin) else {
        throw ArrakisError(.usage, "no task: nothing in the arguments and nothing on stdin", hint: "arrakis code \"fix the failing test\"")
      }
      var request = CodeRequest(
        prompt: task, workspaceRoot: Workspace.detect(from: workspace ?? FileManager.default.currentDirectoryPath).root,
        model: model.resolvedModel, interactive: isatty(STDIN_FILENO) == 1)
      request.maxTokens = model.maxTokens
      request.maxTurns = maxTurns
      request.maxBudgetUSD = maxBudgetUsd
      request.permission = permission.flatMap(PermissionLevel.init(parsing:))
      request.allow = allow
      request.deny = deny
      request.sandboxMode = SandboxPolicy.Mode(rawValue: sandbox)!
      request.allowNetwork = allowNetwork
      request.resume = resume
      request.continueLast = continueLast
      request.replay = replay
      let result = try await CodeRunner.run(
        request, ledger: try ledger.open(), client: model.client(), approve: Approval.terminalPrompt(),
        onEvent: renderer.handle)
      if renderer.format == .text && isatty(STDERR_FILENO) == 1 {
        Output.err(UsageLine.render(model: request.replay == nil ? request.model : "replay", usage: result.usage, cost: result.costUsd, ms: result.durationMs)
          + " · \(result.turns) turns · \(result.toolCalls) tool calls\n")
      }
      if result.stopReason == .interrupted { throw ExitCode(ExitStatus.interrupted.rawValue) }
      if result.isError { throw ExitCode(ExitStatus.incomplete.rawValue) }
    }
  }
}
