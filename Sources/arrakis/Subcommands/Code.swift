import Agent
import ArgumentParser
import ArrakisCore
import FoundationEssentials
import Glibc
import Workflows

struct Code: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "code",
    _superCommandName: "arrakis",  // parsed as the root for speed: Support/DirectSubcommand.swift
    abstract: "Let Claude work in this workspace with Read, Write, Edit, Bash, Glob and Grep.",
    discussion: """
      Permission levels: read-only (Read, Glob, Grep), safe-write (+Write, Edit), full-access (+Bash), \
      self-modify (full-access on arrakis's own source). An explicit --permission is consent for the whole \
      level. Without one, a terminal session asks before each Write, Edit (showing the diff) and Bash, and \
      takes y, n or a (always, for the rest of the session); hooks, cron and pipes get read-only.
      Rules: --allow/--deny 'Tool' or 'Tool(pattern)', e.g. 'Bash(make test)', 'Bash(git log:*)', \
      'Edit(Sources/**)'. An allow rule grants exactly what it names, also above the level; deny wins.
      """)

  @Argument(help: "The task. Piped stdin, if any, is added before it as context.")
  var prompt: [String] = []

  @OptionGroup var model: ModelOptions
  @OptionGroup var ledger: LedgerOptions
  @OptionGroup var input: InputOptions

  @OptionGroup var settings: AgentSettingsOptions
  @OptionGroup var effort: EffortOptions
  @OptionGroup var context: ContextWindowOptions

  @Option(name: .long, help: ArgumentHelp("text, json or stream-json.", valueName: "format"), completion: .list(["text", "json", "stream-json"]))
  var outputFormat: String = "text"

  @Option(name: .long, help: ArgumentHelp("Continue this recorded code session.", valueName: "id"), completion: Completions.sessionIDs)
  var resume: String?

  @Flag(name: [.customShort("c"), .customLong("continue")], help: "Continue the last code session in this workspace.")
  var continueLast = false

  @Option(name: .long, help: ArgumentHelp("Take the model's turns from a recorded session or a JSONL file; tools run for real.", valueName: "id|file"))
  var replay: String?

  @OptionGroup var history: HistoryOptions

  /// Set by the front door (`arrakis "prompt"`): why this request was routed to code.
  @Option(name: .long, help: .hidden)
  var route: String?

  @Option(name: [.customShort("C"), .long], help: ArgumentHelp("Work in this directory (default: the enclosing repository).", valueName: "dir"))
  var workspace: String?

  func validate() throws {
    if AgentEventRenderer.Format(rawValue: outputFormat) == nil {
      throw ValidationError("unknown --output-format '\(outputFormat)'; use text, json or stream-json")
    }
    if continueLast && resume != nil { throw ValidationError("use either --continue or --resume, not both") }
  }

  func run() async throws {
    let renderer = AgentEventRenderer(format: AgentEventRenderer.Format(rawValue: outputFormat)!)
    try await reportingErrors(json: renderer.format != .text) {
      Interrupt.install()
      let text = prompt.isEmpty ? nil : prompt.joined(separator: " ")
      let stdin = try input.read(prompt: text)
      guard let task = AskRunner.userText(prompt: text, stdin: stdin) else {
        throw ArrakisError(.usage, "no task: nothing in the arguments and nothing on stdin", hint: "arrakis code \"fix the failing test\"")
      }
      let root = Workspace.detect(from: workspace ?? FileManager.default.currentDirectoryPath).root
      let config = try RunConfiguration.load(flags: model.configFlags.merging(settings.configFlags) { a, _ in a }, workspaceRoot: root)
      let (modelID, maxTokens) = model.resolved(in: config)
      var request = CodeRequest(prompt: task, workspaceRoot: root, model: modelID, interactive: isatty(STDIN_FILENO) == 1)
      request.maxTokens = maxTokens
      request.maxTurns = config[.maxTurns]?.intValue ?? request.maxTurns
      request.maxBudgetUSD = config[.maxBudgetUSD]?.doubleValue
      request.permission = try config.permissionLevel()
      request.allow = config[.allow]?.stringsValue ?? []
      request.deny = config[.deny]?.stringsValue ?? []
      // Nobody chose (flag, env, file): the OS sandbox where bubblewrap runs.
      request.sandboxMode = config[.sandbox]?.stringValue.flatMap(SandboxPolicy.Mode.init(rawValue:)) ?? .preferred()
      request.allowNetwork = config[.allowNetwork]?.boolValue ?? false
      request.testCommand = config[.testCommand]?.stringValue
      request.resume = resume
      request.continueLast = continueLast
      request.replay = replay
      request.historyBudgetTokens = history.budget(onByDefault: replay == nil)
      request.route = route
      request.effort = effort.level
      request.contextWindow = context.contextWindow
      request.mcpConfig = config.mcpConfigPath()
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
