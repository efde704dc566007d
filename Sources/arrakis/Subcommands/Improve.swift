import Agent
import ArgumentParser
import ArrakisCore
import Foundation
import SelfImprovement

struct Improve: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "improve",
    abstract: "Let Claude make one change on a throwaway branch, gated by the project's tests.",
    discussion: """
      The work happens on arrakis/improve/<id> in a linked worktree outside your checkout; your working tree, \
      index, stash and branch are never touched, and uncommitted edits are not included. The baseline checks \
      run first; after the agent's turn they run again (failures go back to the agent, --max-fix-attempts \
      times), and the baseline's own tests run against the new code. A change that deletes, skips or weakens \
      a test is flagged as tampered and never merged. Green changes are committed with Arrakis-Session and \
      Arrakis-Improvement trailers and kept for review (--keep), fast-forwarded onto your branch if it has not \
      moved (--merge), or deleted after recording (--discard). Undo with `arrakis rollback`.

      improve remembers its attempts. The agent is told how earlier attempts at the same goal (the same \
      improvement id, or the same goal text ignoring case and spacing, in this repository) ended and why (the \
      gate's failing tests, the tamper reasons), newest first, at most 3, plus the ledger digest `code` gets \
      (--history-budget, --no-history). When the newest earlier attempt at the current HEAD failed (gate red, \
      tampered, baseline red, or rolled back afterwards), the run is refused before anything is created, with \
      exit 11, naming that session; change the code or the goal, or pass --force.
      """)

  @Argument(help: "The goal, in words.")
  var goal: [String] = []

  @Flag(name: .long, help: "Take the top open improvement of the latest `arrakis analyze`.")
  var next = false

  @Option(name: .long, help: ArgumentHelp("Take this recorded improvement.", valueName: "id"))
  var improvement: String?

  @OptionGroup var model: ModelOptions
  @OptionGroup var ledger: LedgerOptions

  @Option(name: .long, help: ArgumentHelp("The gate (default: detected: swift test, make test, npm test, pytest…).", valueName: "command"))
  var testCommand: String?

  /// The spelling of earlier releases, still read; code and analyze say --test-command.
  @Option(name: .customLong("test-cmd"), help: .hidden)
  var testCmd: String?

  @Option(name: .long, help: "Times the gate's failure goes back to the agent.")
  var maxFixAttempts: Int = 3

  @Option(name: .long, help: "Stop the agent after this many model turns (per attempt).")
  var maxTurns: Int = 50

  @Option(name: .long, help: ArgumentHelp("Stop once the run has cost this much (USD).", valueName: "usd"))
  var maxBudgetUsd: Double?

  @Flag(help: "What to do with a green change: keep the branch (default), fast-forward your branch, or delete it.")
  var outcome: ImproveRequest.Outcome = .keep

  @Flag(name: .long, help: "Say what would happen (repository, baseline, branch, test command); change nothing.")
  var dryRun = false

  @Flag(name: .long, help: ArgumentHelp("Create and remove the branch and worktree only (for benchmarks).", visibility: .hidden))
  var setupOnly = false

  @Flag(name: .long, help: "Wait for another improve on this repository instead of failing with exit 12.")
  var wait = false

  @Flag(name: .long, help: "Run even if the same goal already failed at this commit (refused with exit 11 otherwise).")
  var force = false

  @Flag(name: .long, help: "No ledger digest for the agent (earlier attempts at this goal are still told).")
  var noHistory = false

  @Option(name: .long, help: ArgumentHelp("Token budget of the ledger digest (default 1500; 4 characters a token).", valueName: "tokens"))
  var historyBudget: Int?

  @Flag(name: .long, help: "Print the outcome as one JSON object.")
  var json = false

  @Option(name: [.customShort("C"), .long], help: ArgumentHelp("The repository (any directory inside it; default: here).", valueName: "dir"))
  var workspace: String?

  /// The spelling of earlier releases, still read; every subcommand says -C/--workspace.
  @Option(name: .customLong("repo"), help: .hidden)
  var repo: String?

  func validate() throws {
    let sources = [!goal.isEmpty, next, improvement != nil].filter { $0 }.count
    if sources > 1 { throw ValidationError("give the goal as text, --next or --improvement ID, not several") }
    if sources == 0 && !setupOnly { throw ValidationError("no goal: arrakis improve \"make the parser faster\", --next or --improvement ID") }
    guard maxFixAttempts >= 0 else { throw ValidationError("--max-fix-attempts must be 0 or more") }
    guard maxTurns > 0 else { throw ValidationError("--max-turns must be positive") }
    if let b = maxBudgetUsd, b <= 0 { throw ValidationError("--max-budget-usd must be positive") }
    if let b = historyBudget, b <= 0 { throw ValidationError("--history-budget must be a positive number of tokens") }
    if noHistory && historyBudget != nil { throw ValidationError("--no-history contradicts --history-budget; choose one") }
  }

  func run() async throws {
    let renderer = ImproveRenderer(json: json)
    defer { renderer.stopWaiting() }
    try await reportingErrors(json: json) {
      defer { renderer.stopWaiting() }  // before an error is printed
      Interrupt.install()
      let goal: ImproveRequest.Goal = next ? .next : improvement.map { .improvement(id: $0) } ?? .text(goal.joined(separator: " "))
      var request = ImproveRequest(goal: goal, directory: workspace ?? repo ?? FileManager.default.currentDirectoryPath, model: model.resolvedModel)
      request.maxTokens = model.maxTokens
      request.maxTurns = maxTurns
      request.maxBudgetUSD = maxBudgetUsd
      request.testCommand = testCommand ?? testCmd
      request.maxFixAttempts = maxFixAttempts
      request.outcome = outcome
      request.dryRun = dryRun
      request.setupOnly = setupOnly
      request.wait = wait
      request.force = force
      request.historyBudgetTokens = noHistory ? nil : historyBudget ?? KnowledgeDigest.defaultBudgetTokens
      let modelOptions = model
      let report = try await ImproveRunner(
        request: request, ledger: try ledger.open(),
        model: { LiveModel(client: modelOptions.client(), model: request.model) }, onEvent: renderer.handle
      ).run()
      renderer.render(report)
      if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }
  }
}

extension ImproveRequest.Outcome: EnumerableFlag {}
