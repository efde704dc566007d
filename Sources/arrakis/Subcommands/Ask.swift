import Agent
import ArgumentParser
import ArrakisCore
import FoundationEssentials
import Glibc
import Workflows

struct Ask: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ask",
    _superCommandName: "arrakis",  // parsed as the root for speed: Support/DirectSubcommand.swift
    abstract: "Ask Claude one question; the answer streams to stdout.",
    discussion: """
      The prompt comes from the arguments and/or stdin; piped text is added as context:
        git diff --staged | arrakis ask "review this change"
      Continue the last exchange of this workspace with -c, or any session with --session ID.
      """)

  @Argument(help: "The prompt. Piped stdin, if any, is added before it as context.")
  var prompt: [String] = []

  @OptionGroup var model: ModelOptions
  @OptionGroup var effort: EffortOptions
  @OptionGroup var ledger: LedgerOptions
  @OptionGroup var input: InputOptions

  @Option(name: .long, help: "A system prompt.")
  var system: String?

  @Option(name: .long, help: "Sampling temperature, 0.0–1.0.")
  var temperature: Double?

  @Flag(name: .long, help: "Wait for the whole answer instead of streaming it.")
  var noStream = false

  @Flag(name: [.customShort("c"), .customLong("continue")], help: "Continue the last ask session in this workspace.")
  var continueLast = false

  @Option(name: .long, help: ArgumentHelp("Continue this session (an id or a unique prefix).", valueName: "id"), completion: Completions.sessionIDs)
  var session: String?

  @Flag(name: .long, help: "Print one JSON object: text, session id, model, stop reason, usage, cost, duration.")
  var json = false

  @Flag(name: .shortAndLong, help: "No usage line or progress spinner on stderr.")
  var quiet = false

  @OptionGroup var history: HistoryOptions

  /// Set by the front door (`arrakis "prompt"`): why this request was routed to ask.
  @Option(name: .long, help: .hidden)
  var route: String?

  func validate() throws {
    if let t = temperature, !(0...1).contains(t) { throw ValidationError("--temperature must be between 0.0 and 1.0") }
    if continueLast && session != nil { throw ValidationError("use either --continue or --session, not both") }
  }

  func run() async throws {
    try await reportingErrors(json: json) {
      Interrupt.install()
      let text = prompt.isEmpty ? nil : prompt.joined(separator: " ")
      let stdin = try input.read(prompt: text)
      let workspace = Workspace.detect()
      let config = try RunConfiguration.load(flags: model.configFlags, workspaceRoot: workspace.root)
      let (modelID, maxTokens) = model.resolved(in: config)
      var options = AskRequest(
        prompt: text, stdin: stdin, system: system,
        model: modelID, maxTokens: maxTokens, temperature: temperature, stream: !noStream,
        continueLast: continueLast, sessionID: session, workspace: workspace)
      options.historyBudgetTokens = history.budget(onByDefault: false)
      options.route = route
      options.effort = effort.level
      let runner = AskRunner(ledger: try ledger.open(), client: model.client())
      var endsWithNewline = true
      // Until the first byte of the answer: a terminal-only line on stderr (nil on pipes and with --quiet).
      let spinner = quiet ? nil : Spinner.start("waiting for \(modelID)")
      defer { spinner?.stop() }
      let result = try runner.run(options) { text in
        spinner?.stop()
        guard !json, !text.isEmpty else { return }
        Output.out(text)
        endsWithNewline = text.hasSuffix("\n")
      }
      spinner?.stop()
      if json {
        Output.out(try JSONOutput.string(result) + "\n")
        return
      }
      if !endsWithNewline { Output.out("\n") }
      if result.stopReason == "max_tokens" {
        Output.err("warning: the answer was cut at --max-tokens \(maxTokens)\n")
      }
      if !quiet && isatty(STDERR_FILENO) == 1 {
        Output.err(UsageLine.render(model: result.model, usage: result.usage, cost: result.costUsd, ms: result.durationMs) + "\n")
      }
    }
  }
}
