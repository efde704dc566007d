import Agent
import ArgumentParser
import ArrakisCore
import FoundationEssentials
import Glibc
import Workflows

struct Improve: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "improve",
    _superCommandName: "arrakis",  // parsed as the root for speed: Support/DirectSubcommand.swift
    abstract: "Let Claude make one change on a throwaway branch, gated by the project's tests.",
    discussion: """
      The work happens on arrakis/improve/<id> in a linked worktree outside your checkout; your working tree, \
      index, stash and branch are never touched, and uncommitted edits are not included. The baseline run \
      records every test by name. Tests failing there are the targets (--target narrows them) and must pass; \
      tests passing there are guards and must still pass (SWE-bench's FAIL_TO_PASS / PASS_TO_PASS). The gate \
      runs the baseline's own test files against the change, in a clean environment (no PYTEST_ADDOPTS, \
      PYTHONPATH, NODE_OPTIONS, RUSTFLAGS, GOFLAGS…; Python imports the worktree); failures go back to the \
      agent, --max-fix-attempts times. The tests and test settings are the judge: Write/Edit on them are \
      refused, and a change that deletes, skips or weakens a test, or adds runner configuration or hooks \
      (conftest.py, pytest hooks, sitecustomize.py), is flagged as tampered and never merged. With --metric, \
      a green change is kept only when the candidate's median beats the baseline's by more than 1 % and the \
      baseline's spread. Green changes are committed with Arrakis-Session and \
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

  @Option(name: .long, help: ArgumentHelp(
    "A failing test that must pass (repeatable; a name or its last part, e.g. test_add). Default: every test failing at the baseline.",
    valueName: "name"))
  var target: [String] = []

  @Option(name: .long, help: ArgumentHelp(
    "Keep the change only if this measure improves significantly (the last number the command prints on stdout).",
    valueName: "command"))
  var metric: String?

  @Option(name: .long, help: "Whether a lower or a higher --metric is better.")
  var metricGoal: MetricSpec.Goal = .lower

  @Option(name: .long, help: "Times --metric runs on the baseline and on the change each (interleaved).")
  var metricRuns: Int = 5

  @Option(name: .long, help: ArgumentHelp("Seconds one --metric run may take (default 600).", valueName: "seconds"))
  var metricTimeout: Double = 600

  @Option(name: .long, help: ArgumentHelp(
    "policy (screened commands, confined paths) or os (the agent's Bash under bubblewrap, the tests bound read-only). Default: os where bubblewrap can run, else policy.",
    valueName: "mode"))
  var sandbox: String?

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
    if let sandbox, SandboxPolicy.Mode(rawValue: sandbox) == nil { throw ValidationError("unknown --sandbox '\(sandbox)'; use policy or os") }
    guard metricTimeout > 0 else { throw ValidationError("--metric-timeout must be a positive number of seconds") }
    guard metricRuns >= 1 else { throw ValidationError("--metric-runs must be 1 or more") }
    if metric != nil && metric!.trimmingSpacesAndTabs.isEmpty { throw ValidationError("--metric needs a command") }
    if target.contains(where: { $0.trimmingSpacesAndTabs.isEmpty }) { throw ValidationError("--target needs a test name") }
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
      request.targets = target
      // validate() has checked the spelling; no choice means os where bubblewrap can run.
      request.sandboxMode = sandbox.flatMap(SandboxPolicy.Mode.init(rawValue:)) ?? .preferred()
      request.metric = metric.map {
        var spec = MetricSpec(command: $0, goal: metricGoal, runs: metricRuns)
        spec.timeout = metricTimeout
        return spec
      }
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
extension MetricSpec.Goal: ExpressibleByArgument {}
