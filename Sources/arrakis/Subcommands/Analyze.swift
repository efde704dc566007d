import ArgumentParser
import ArrakisCore
import FoundationEssentials
import Glibc
import Workflows

struct Analyze: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "analyze",
    _superCommandName: "arrakis",  // parsed as the root for speed: Support/DirectSubcommand.swift
    abstract: "Analyse a repository: churn, hotspots, markers, tests; with an API key, ranked improvements.",
    discussion: """
      Local signals need no API key. With ANTHROPIC_API_KEY set (and without --no-model), Claude ranks \
      improvements, stored as `open` for `arrakis improve`. Each run is stored and compared with the last one.
      Cron: `arrakis analyze --quiet --fail-on new-hotspots,new-markers,failing-tests` prints nothing and \
      exits 0 unless something is new or wrong (see examples/cron/). JSON schema: docs/analyze-schema.md.
      Exit: 0 ok, 1 a --fail-on condition holds, 2 bad input, 8 malformed model output (local signals are \
      still stored), 10 git problem, 12 another analyze holds this repository's lock.
      """)

  @Argument(help: "The repository or directory to analyse.")
  var path: String = "."

  @Option(name: .long, help: ArgumentHelp("History window: an age (90.days, 12.weeks) or a date (2025-01-01).", valueName: "when"))
  var since: String = "90.days"

  @Flag(name: .long, help: "Run the detected (or --test-command) test command and record the result.")
  var runTests = false

  @Option(name: .long, help: "The test command, instead of detecting one.")
  var testCommand: String?

  @Flag(name: .long, help: "Local signals only, even with an API key.")
  var noModel = false

  @Flag(name: .long, inversion: .prefixedNo, help: "Show what changed since the previous analysis.")
  var compare = true

  @Option(name: .long, help: ArgumentHelp("Exit 1 when any holds: new-hotspots, new-markers, failing-tests.", valueName: "conditions"))
  var failOn: String?

  @Flag(name: .long, help: "Wait for another analyze of this repository instead of failing with exit 12.")
  var wait = false

  @Flag(name: .long, help: "Diff every commit of the window again instead of reusing the statistics earlier runs stored in the ledger (and store none).")
  var noCache = false

  @Option(name: .long, help: "Hotspots to rank and show.")
  var limit = 10

  @Flag(name: .long, help: "Print the report as one JSON object (docs/analyze-schema.md).")
  var json = false

  @Flag(name: .long, help: "Print the report as Markdown (for a PR comment or a wiki page).")
  var markdown = false

  @Flag(name: .shortAndLong, help: "Print nothing unless something is wrong (for cron).")
  var quiet = false

  @OptionGroup var model: ModelOptions
  @OptionGroup var ledger: LedgerOptions

  func validate() throws {
    if json && markdown { throw ValidationError("use either --json or --markdown, not both") }
    if limit < 1 { throw ValidationError("--limit must be at least 1") }
    if TimeWindow.parseInterval(since) == nil && (try? TimeWindow.parseSince(since)) == nil {
      throw ValidationError("cannot read --since '\(since)': use an age like 90.days or a date like 2025-01-01")
    }
    if let failOn {
      do { _ = try FailOnCondition.parse(failOn) } catch let error as ArrakisError {
        throw ValidationError(error.message + (error.hint.map { " (\($0))" } ?? ""))
      }
    }
  }

  func run() async throws {
    try await reportingErrors(json: json) {
      Interrupt.install()
      // On a terminal something moves (stderr only; never on pipes, hooks, cron, nor with --quiet): the
      // history walk counts its commits, or, when the model will rank, one spinner covers both steps.
      let withModel = !noModel && Environment()["ANTHROPIC_API_KEY"] != nil
      let spinner = quiet || !withModel ? nil : Spinner.start("analyzing \(path); then \(model.resolvedModel) ranks the improvements")
      defer { spinner?.stop() }
      let options = AnalyzeRequest(
        path: path, since: since, runTests: runTests, testCommand: testCommand, useModel: !noModel,
        model: model.resolvedModel, maxTokens: model.maxTokens, waitForLock: wait,
        failOn: try failOn.map(FailOnCondition.parse) ?? [], compare: compare, hotspotLimit: limit,
        useCache: !noCache, showProgress: !quiet && !withModel)
      let result = try AnalyzeRunner(ledger: try ledger.open(), client: model.client()).run(options)
      spinner?.stop()
      if json {
        Output.out(try JSONOutput.string(result, pretty: true) + "\n")
      } else if markdown {
        Output.out(AnalysisMarkdown.render(result))
      } else if !quiet {
        Output.out(AnalysisText.render(result, color: Environment().useColor(fileDescriptor: STDOUT_FILENO)))
      }
      if let error = result.modelError {
        report(error, json: false)
        throw ExitCode(error.status.rawValue)
      }
      if !result.failedConditions.isEmpty {
        Output.err(AnalysisText.findings(result))
        throw ExitCode(ExitStatus.findings.rawValue)
      }
    }
  }
}
