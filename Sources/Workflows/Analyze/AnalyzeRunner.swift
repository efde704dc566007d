import Agent
import ArrakisCore
import Claude
import FoundationEssentials
import Glibc
import Git
import Ledger

/// `arrakis analyze`: local signals (tree, history, tests), an optional model ranking, one `analyses` row,
/// ranked `improvements`, and a comparison with the previous analysis. Every run is a session in the ledger,
/// including runs that fail. A failing model step does not lose the local signals: they are stored and
/// reported, and the error is returned in `AnalysisReport.modelError` for the caller to exit with.
public final class AnalyzeRunner {
  let ledger: Ledger
  /// nil, or a client without a key: local signals only.
  let client: ClaudeClient?

  public init(ledger: Ledger, client: ClaudeClient?) {
    self.ledger = ledger
    self.client = client
  }

  public func run(_ o: AnalyzeRequest) throws -> AnalysisReport {
    let path = URL(fileURLWithPath: o.path).standardizedFileURL.path
    var isDirectory: Bool = false
    let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
    let workspace = exists ? Workspace.detect(from: path) : Workspace.plainDirectory(path)
    let modelWanted = o.useModel && client?.config.apiKey != nil
    let recorder = try SessionRecorder(
      ledger: ledger,
      session: NewSession(
        systemType: .analyze, workspace: workspace.root, gitBranch: workspace.gitBranch,
        model: modelWanted ? ModelCatalog.resolve(o.model) : nil, prompt: "analyze --since \(o.since)"))
    do {
      guard exists, isDirectory else {
        throw ArrakisError(.usage, "cannot analyze \(o.path): no such directory", hint: "pass an existing repository or directory path")
      }
      let report = try analyze(o, workspace: workspace, modelWanted: modelWanted, recorder: recorder)
      if let error = report.modelError {
        recorder.finish(status: .failed, error: error, exitReason: "model ranking failed; local signals stored")
      } else {
        recorder.finish(status: .success, exitReason: report.failedConditions.isEmpty ? nil : "fail-on")
      }
      return report
    } catch {
      throw recorder.fail(error)
    }
  }

  private func analyze(
    _ o: AnalyzeRequest, workspace: Workspace, modelWanted: Bool, recorder: SessionRecorder
  ) throws -> AnalysisReport {
    let since = try TimeWindow.parseSince(o.since)
    var warnings: [String] = []
    var root = workspace.root
    var repository: Repository?
    var lock: RepositoryLock?
    if workspace.isGitRepository {
      let repo = try Repository.discover(from: workspace.root)
      guard let workdir = repo.workdir else {
        throw ArrakisError(.git, "\(workspace.root) is a bare repository", hint: "analyze a checkout (a working tree)")
      }
      root = workdir
      let l = RepositoryLock(name: "analyze", gitCommonDir: repo.commonDir)
      try l.acquire(wait: o.waitForLock, repository: root)
      lock = l
      repository = repo
    } else {
      warnings.append("not a git repository: tree signals only (no churn, hotspots or comparison of history)")
    }
    defer { lock?.release() }

    let tree = try TreeScanner().scan(root)
    let history = try repository.map {
      try HistorySignals.read($0, since: since, cache: o.useCache ? ledger : nil, showProgress: o.showProgress)
    }
    if let history, history.commits == 0, repository != nil {
      warnings.append("no commits since \(o.since): widen --since to see churn and hotspots")
    }
    let hotspots = Hotspots.rank(churn: history?.churn ?? [], signals: tree, limit: o.hotspotLimit)
    let detected = TestCommandDetector.detect(in: root, configured: o.testCommand)
    var tests: TestRun?
    if o.runTests {
      if let detected {
        var run = try TestRunner(timeout: o.testTimeout).runBlocking(detected.command, in: root)
        if run.interrupted { throw ArrakisError(.interrupted, "interrupted while running `\(detected.command)`") }
        if run.output.count > 4000 { run.output = "…" + String(run.output.suffix(4000)) }
        tests = run
      } else {
        warnings.append("--run-tests: no test command detected; pass --test-command")
      }
    }
    let signals = AnalysisSignals(
      workspace: root, isGitRepository: repository != nil, headCommit: repository?.headCommitID,
      branch: repository?.currentBranch, window: o.since, history: history, hotspots: hotspots,
      tree: TreeDigest(tree), testCommand: detected.map { TestCommand(command: $0.command, reason: $0.reason) },
      tests: tests)

    // Filed under the project's identity (the path for a folder outside git), shared by its clones.
    let identity = RepositoryRef(identity: (try? repository?.identity) ?? root, workspace: root)
    let previous = try ledger.latestAnalysis(repository: identity)
    let ranking = modelWanted
      ? rankWithModel(o, signals: signals, root: root, repository: identity, previous: previous, recorder: recorder)
      : RankingResult(proposals: [], filtered: [], outcome: .skipped(o.useModel ? "no ANTHROPIC_API_KEY" : "--no-model"), error: nil)

    let createdAt = Date()
    var report = AnalysisReport(
      analysisId: 0, sessionId: recorder.sessionID, workspace: root, createdAt: createdAt, summary: "",
      signals: signals, model: ranking.outcome, improvements: [], filteredAsRolledBack: ranking.filtered,
      comparison: nil, failedConditions: [], warnings: warnings, modelError: ranking.error)
    report.summary = AnalysisReport.summaryLine(signals: signals, improvements: ranking.proposals.count, model: ranking.outcome)
    report.analysisId = try ledger.insertAnalysis(
      sessionID: recorder.sessionID, workspace: root, repository: identity.identity, headCommit: signals.headCommit,
      signals: try JSONValue(encoding: signals), summary: report.storedSummary(improvements: ranking.proposals.count),
      createdAt: createdAt)
    report.improvements = ranking.proposals.enumerated().map { i, p in
      ImprovementRow(
        id: Self.improvementID(analysisID: report.analysisId, rank: i + 1), analysisID: report.analysisId,
        title: p.title, rationale: p.rationale, files: p.files, category: p.category, impact: String(p.impact),
        risk: String(p.risk), effort: p.effort, acceptance: p.acceptance, status: .open,
        fingerprint: Fingerprint.of(title: p.title, files: p.files, root: root), createdAt: createdAt)
    }
    try ledger.insertImprovements(report.improvements)

    if let previous, let before = try? previous.signals?.decode(AnalysisSignals.self) {
      let comparison = AnalysisComparison.between(
        previous: before, previousID: previous.id, previousAt: previous.createdAt, current: signals,
        openImprovements: try ledger.improvements(repository: identity, status: .open).count)
      report.failedConditions = o.failOn.filter { $0.holds(comparison: comparison, tests: tests) }
      if o.compare { report.comparison = comparison }
    } else {
      report.failedConditions = o.failOn.filter { $0.holds(comparison: nil, tests: tests) }
    }
    return report
  }

  struct RankingResult {
    var proposals: [ProposedImprovement]
    var filtered: [String]
    var outcome: ModelOutcome
    var error: ArrakisError?
  }

  /// The model step. Its errors are returned, not thrown: the local analysis is stored either way.
  private func rankWithModel(
    _ o: AnalyzeRequest, signals: AnalysisSignals, root: String, repository: RepositoryRef, previous: AnalysisRow?,
    recorder: SessionRecorder
  ) -> RankingResult {
    let model = ModelCatalog.resolve(o.model)
    func outcome(_ status: String, _ detail: String?) -> ModelOutcome {
      ModelOutcome(status: status, model: model, detail: detail, inputTokens: recorder.usage.inputTokens,
                   outputTokens: recorder.usage.outputTokens, costUsd: recorder.costUSD)
    }
    do {
      let rolledBack = try ledger.improvements(repository: repository, status: .rolledBack)
      let digest = AnalysisDigest.build(
        signals: signals, root: root, previousSummary: previous?.summary?["line"]?.stringValue, rolledBack: rolledBack)
      let proposals = try ModelRanking(client: client!, recorder: recorder, model: model, maxTokens: o.maxTokens)
        .rank(digest: digest)
      let rolledBackPrints = Set(rolledBack.compactMap(\.fingerprint))
      var kept: [ProposedImprovement] = []
      var filtered: [String] = []
      for p in proposals {
        if rolledBackPrints.contains(Fingerprint.of(title: p.title, files: p.files, root: root)) {
          filtered.append(p.title)
        } else {
          kept.append(p)
        }
      }
      return RankingResult(proposals: ImprovementTool.ranked(kept), filtered: filtered, outcome: outcome("ranked", nil), error: nil)
    } catch let error as ArrakisError {
      return RankingResult(proposals: [], filtered: [], outcome: outcome("failed", error.message), error: error)
    } catch {
      let wrapped = ArrakisError(.ledger, "\(error)")
      return RankingResult(proposals: [], filtered: [], outcome: outcome("failed", wrapped.message), error: wrapped)
    }
  }

  /// Short and typeable for `arrakis improve <id>`: the analysis number and the rank, "a12-3".
  static func improvementID(analysisID: Int64, rank: Int) -> String { "a\(analysisID)-\(rank)" }
}
