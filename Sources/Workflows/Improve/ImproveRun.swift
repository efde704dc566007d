import Agent
import ArrakisCore
import FoundationEssentials
import Glibc
import Git
import Ledger

/// One improve run once the lock is held and the session exists: the steps in order, each recorded.
/// Whatever happens, the scratch worktree is removed at the end; the branch survives only when it holds a
/// recorded, green commit the user may want (kept or tampered).
final class ImproveRun {
  let runner: ImproveRunner
  let repo: Repository
  let baseline: String
  let goal: ResolvedGoal
  /// Earlier attempts at the same goal, newest first: told to the agent.
  let attempts: [PriorAttempt]
  let recorder: SessionRecorder
  let scratch: ScratchWorktree
  var report: ImproveReport
  /// Whether the branch outlives the run (a kept or tampered commit the user may want).
  var keepBranch = false
  /// Files the project's test runs create (seen in the baseline and gate runs): never committed, also when
  /// the agent's own runs of the tests left them in the tree.
  var testArtifacts: Set<String> = []

  var request: ImproveRequest { runner.request }
  var ledger: Ledger { runner.ledger }

  init(
    runner: ImproveRunner, repo: Repository, root: String, baseline: String, goal: ResolvedGoal,
    attempts: [PriorAttempt], recorder: SessionRecorder
  ) {
    self.runner = runner
    self.attempts = attempts
    self.repo = repo
    self.baseline = baseline
    self.goal = goal
    self.recorder = recorder
    scratch = ScratchWorktree(shortID: String(recorder.sessionID.prefix(8)), repository: repo, root: runner.request.worktreeRoot)
    report = ImproveReport(
      result: .incomplete, sessionId: recorder.sessionID, repository: root, baseline: baseline,
      userBranch: repo.currentBranch, branch: scratch.branch, worktree: scratch.path, goal: goal.text,
      improvementId: goal.improvement?.id, message: "")
    report.previousAttempts = attempts
  }

  func step(_ text: String) { runner.onEvent(.step(text)) }
  func waiting(_ text: String) { runner.onEvent(.waiting(text)) }

  func execute() async throws -> ImproveReport {
    do {
      try ledger.updateSession(id: recorder.sessionID, gitBranch: scratch.branch)
      if let id = goal.improvement?.id { try ledger.setImprovementStatus(id: id, status: .attempted) }
      try scratch.create(in: repo, at: baseline)
      step("branch \(scratch.branch) at \(baseline.prefix(10)), worktree \(scratch.path)")
      if request.setupOnly {
        _ = finish(.setUp, keepBranch: false, "set up and removed branch and worktree")
      } else {
        _ = try await work()
      }
      // Only here, with every handle on the worktree released (work()'s locals are gone), is it removed.
      scratch.remove(from: repo, deleteBranch: !keepBranch)
      let status = report.exitStatus
      recorder.finish(
        status: status == .success ? .success : (status == .interrupted ? .interrupted : .failed),
        error: status == .success ? nil : ArrakisError(status, report.message), exitReason: report.result.rawValue)
      return report
    } catch {
      let wrapped = error as? ArrakisError ?? ArrakisError(.git, "\(error)")
      scratch.remove(from: repo, deleteBranch: true)
      recorder.finish(status: wrapped.status == .interrupted ? .interrupted : .failed, error: wrapped, exitReason: "error")
      throw wrapped
    }
  }

  private func work() async throws -> ImproveReport {
    guard let worktree = scratch.repository else { throw ArrakisError(.git, "the scratch worktree is not open") }
    guard let detected = TestCommandDetector.detect(in: scratch.path, configured: request.testCommand) else {
      throw ArrakisError(.configuration, "no test command found in \(report.repository)", hint: "pass --test-cmd \"make test\" (improve needs a gate)")
    }
    report.testCommand = detected.command
    report.testCommandReason = detected.reason
    // The clean room: no inherited runner options or start-up hooks, Python imports from the worktree.
    let environment = CleanEnvironment.make(base: TestRunner.defaultEnvironment, worktree: scratch.path)
    let judge = JudgeFiles.list(scratch.path)
    let outside = PythonSite.importedFromOutside(
      worktree: scratch.path, userCheckout: report.repository, testFiles: judge.sorted(), environment: environment)
    if let (name, origin) = outside.first {
      throw ArrakisError(
        .configuration,
        "the gate would import `\(name)` from \(origin), outside the worktree (an editable install or a .pth file), "
          + "so it would judge other code than the change",
        hint: "make the package importable from the repository itself (e.g. a src/ or top-level package), or remove the editable install")
    }
    let testRunner = TestRunner(timeout: request.testTimeout, environment: environment)

    waiting("baseline: running \(detected.command)")
    let baselineRun = try runLeavingNoTrace(in: worktree) { try testRunner.runBlocking(detected.command, in: scratch.path) }
    report.tests["baseline"] = baselineRun
    step("baseline: \(detected.command) \(baselineRun.summary)")
    if baselineRun.interrupted { return interrupted() }
    if let why = TestPlan.ungradable(baselineRun) {
      try record(changes: [], commit: nil, success: false, status: .baselineRed, "the baseline is red and cannot be graded: \(why)")
      report.summary = baselineRun.output
      return finish(.baselineRed, keepBranch: false, "the baseline is red and cannot be graded: \(why); \(TestPlan.namingHint); nothing was changed")
    }
    let plan = try TestPlan.make(baseline: baselineRun, requested: request.targets)
    report.targets = plan.targets
    if !plan.targets.isEmpty {
      step("baseline: \(plan.targets.count) failing test(s) to fix (\(TestVerdict.list(plan.targets))), \(plan.guards.count) passing test(s) to keep")
    }
    let probe = request.metric.map { MetricProbe(spec: $0, environment: environment) }
    if let probe {
      waiting("baseline: measuring \(probe.spec.command)")
      let first = try runLeavingNoTrace(in: worktree) { try probe.measure(in: scratch.path) }
      step("baseline: metric \(probe.spec.command) = \(first)")
    }
    let site = PythonSite.fingerprint(worktree: scratch.path, environment: environment)

    let conversation = AgentConversation(recorder: recorder)
    let loop = try agentLoop(testCommand: detected.command, plan: plan, judge: judge)
    var answer = try await conversation.send(goal.text, with: loop)
    let gate = Gate(command: detected.command, runner: testRunner, baseline: baseline, plan: plan)
    func grade() throws -> GateResult {
      waiting("gate: running \(detected.command)")
      let planted = PythonSite.changes(from: site, to: PythonSite.fingerprint(worktree: scratch.path, environment: environment))
      let result = try gate.run(in: worktree, at: scratch.path, extraFindings: planted)
      testArtifacts.formUnion(result.created)
      return result
    }
    var result = try grade()
    // Red goes back to the agent; tampering does not (a second chance to cheat more quietly is no fix).
    while answer.stopReason.isSuccess && !result.passed && !result.tampered && !result.changes.isEmpty
      && report.fixAttempts < request.maxFixAttempts
    {
      report.fixAttempts += 1
      step("gate: \(Self.describe(result)); fix attempt \(report.fixAttempts) of \(request.maxFixAttempts)")
      answer = try await conversation.send(
        ImprovePrompts.fix(attempt: report.fixAttempts, of: request.maxFixAttempts, run: result.tests, verdict: result.verdict,
                           tamper: result.findings), with: loop)
      result = try grade()
    }
    report.summary = answer.result
    report.tests["gate"] = result.tests
    if let withNew = result.withNewTests { report.tests["gate_with_new_tests"] = withNew }
    report.failToPass = result.verdict.failToPass
    report.passToPass = result.verdict.passToPass
    // The agent's change without what test runs wrote (its own included): what a record or a commit holds.
    let changes = result.changes.filter { !RunResidue.isByproduct($0.path) && !testArtifacts.contains($0.path) }
    report.files = changes.map(\.path)
    if answer.stopReason == .interrupted || Interrupt.requested { return interrupted() }
    guard answer.stopReason.isSuccess else {
      try record(changes: changes, commit: nil, success: false, status: .rolledBack, "the agent stopped: \(answer.stopReason.explanation)")
      return finish(.incomplete, keepBranch: false, "the agent stopped before finishing (\(answer.stopReason.explanation)); branch and worktree removed", exit: .incomplete)
    }
    if result.tampered && changes.isEmpty {
      report.tamperReasons = result.tamperReasons
      try record(changes: [], commit: nil, success: false, status: .tampered,
                 "the judge was tampered with outside the worktree: " + result.tamperReasons.prefix(3).joined(separator: "; "))
      setImprovement(.attempted)
      return finish(.tampered, keepBranch: false,
                    "the run tampered with the judge outside the worktree, so nothing is kept or merged: "
                    + result.tamperReasons.joined(separator: "; "))
    }
    guard !changes.isEmpty else {
      try record(changes: [], commit: nil, success: false, status: .unchanged, "the agent changed nothing")
      return finish(.unchanged, keepBranch: false, "the agent changed nothing; branch and worktree removed")
    }
    step("gate: \(Self.describe(result))")
    if result.tampered { return try keep(result, in: worktree) }
    guard result.passed else {
      let still = result.verdict.targetsStillRed
      let what = still.isEmpty ? result.verdict.summary : "target(s) still failing: \(TestVerdict.list(still))"
        + (result.verdict.guardsBroken.isEmpty ? "" : "; broken: \(TestVerdict.list(result.verdict.guardsBroken))")
      try record(changes: changes, commit: nil, success: false, status: .rolledBack,
                 "discarded after \(report.fixAttempts) fix attempt(s): \(what)")
      return finish(.rolledBack, keepBranch: false,
                    "the gate stayed red after \(report.fixAttempts) fix attempt(s): \(what) (\(result.tests.summary)); discarded, branch and worktree removed")
    }
    if let probe {
      let metric = try measure(probe, changes: result.changes, in: worktree)
      report.metric = metric
      step("metric: \(metric.verdict)")
      guard metric.significant else {
        try record(changes: changes, commit: nil, success: false, status: .discarded, metric.verdict)
        return finish(.noImprovement, keepBranch: false, "green, but discarded: \(metric.verdict); branch and worktree removed", exit: .findings)
      }
    }
    return try keep(result, in: worktree)
  }

  /// What the gate saw, in one line for the progress log.
  static func describe(_ result: GateResult) -> String {
    var text = "\(result.tests.summary)"
    if !result.verdict.failToPass.isEmpty || !result.verdict.green { text += " — \(result.verdict.summary)" }
    if result.tampered { text += " — tampering: " + result.findings.prefix(3).joined(separator: "; ") }
    return text
  }

  /// Green: one commit on our branch, recorded per file; then keep, merge or discard.
  private func keep(_ gateResult: GateResult, in worktree: Repository) throws -> ImproveReport {
    let message = ImprovePrompts.commitMessage(
      summary: report.summary ?? "", goal: goal.text, sessionID: recorder.sessionID, improvementID: goal.improvement?.id)
    // What the test runs create is theirs, not the agent's change, even where the agent's own test runs left it.
    let byproducts = try worktree.status().map(\.path).filter(RunResidue.isByproduct)
    for path in (testArtifacts.union(byproducts)).sorted() where !(try worktree.treeHasPath(path, at: baseline)) {
      try? FileManager.default.removeItem(atPath: scratch.path + "/" + path)
      RunResidue.removeEmptyParents(of: scratch.path + "/" + path, upTo: scratch.path)
    }
    try worktree.stageAll()
    let who = JudgeFiles.signatures(ProcessInfo.processInfo.environment, fallback: repo.defaultSignature())
    let commit = try worktree.commit(message: message, author: who.author, committer: who.committer)
    report.commit = commit
    let changes = try worktree.changedFiles(from: baseline, to: commit)
    report.files = changes.map(\.path)
    step("committed \(commit.prefix(10)) on \(scratch.branch): \(changes.count) file(s)")

    report.tamperReasons = gateResult.tamperReasons
    if gateResult.tampered {
      try record(changes: changes, commit: commit, success: false, status: .tampered,
                 "the judge was tampered with: " + gateResult.tamperReasons.prefix(3).joined(separator: "; "))
      setImprovement(.attempted)
      return finish(.tampered, keepBranch: true,
                    "the change weakens the checks, so it is kept on \(scratch.branch) for review and never merged: "
                    + gateResult.tamperReasons.joined(separator: "; "))
    }
    let ids = try record(changes: changes, commit: commit, success: true, status: .kept, "gate green")
    switch request.outcome {
    case .keep:
      setImprovement(.kept)
      return finish(.kept, keepBranch: true, "kept on \(scratch.branch) (\(commit.prefix(10))); merge with `git merge --ff-only \(scratch.branch)` or pass --merge next time")
    case .discard:
      try ids.forEach { try ledger.setSelfModificationStatus(id: $0, status: .discarded) }
      return finish(.discarded, keepBranch: false, "green and recorded, then discarded as asked (--discard)")
    case .merge:
      if let refusal = MergeCheck.refusal(repo: repo, branch: report.userBranch, baseline: baseline, changes: changes) {
        report.mergeRefused = refusal
        setImprovement(.kept)
        return finish(.kept, keepBranch: true, "not merged: \(refusal); kept on \(scratch.branch)", exit: .findings)
      }
      do {
        try repo.fastForward(branch: report.userBranch!, to: commit)
      } catch let error as ArrakisError {
        report.mergeRefused = error.message
        setImprovement(.kept)
        return finish(.kept, keepBranch: true, "not merged: \(error.message); kept on \(scratch.branch)", exit: .findings)
      }
      try ids.forEach { try ledger.setSelfModificationStatus(id: $0, status: .merged) }
      setImprovement(.merged)
      // The commit lives on the user's branch now; ours would only be a second name for it.
      return finish(.merged, keepBranch: false, "merged: \(report.userBranch!) fast-forwarded to \(commit.prefix(10))")
    }
  }

  private func agentLoop(testCommand: String, plan: TestPlan, judge: Set<String>) throws -> AgentLoop {
    var sandbox = SandboxPolicy(workspace: scratch.path, mode: request.sandboxMode)
    // Under --sandbox os the judge is read-only for Bash too; under policy the tamper check catches it.
    // Shared manifests (pyproject.toml, package.json, Makefile…) stay writable: only their test sections are
    // the judge, and the tamper check compares exactly those.
    sandbox.readOnlyPaths = judge.filter { !TestFileRules.isSharedConfig(path: $0) }.sorted().map { scratch.path + "/" + $0 }
    // What was tried before for this goal, then what the ledger knows about the repository (as `code` gets it).
    let previously = PriorAttempts.section(attempts, baseline: baseline)
    if let previously {
      try recorder.recordSystemNote(previously, source: ImprovePrompts.previousAttemptsSource)
      step("told the agent about \(min(attempts.count, PriorAttempts.sectionAttempts)) earlier attempt(s) at this goal")
    }
    let digest = try AgentFactory.digest(
      ledger: ledger, workspace: report.repository, prompt: goal.text, budgetTokens: request.historyBudgetTokens,
      excludingSession: recorder.sessionID)
    if let digest { try recorder.recordSystemNote(digest, source: KnowledgeDigest.systemSource) }
    let options = AgentOptions(
      model: request.model, maxTokens: request.maxTokens, maxTurns: request.maxTurns, maxBudgetUSD: request.maxBudgetUSD,
      policy: PermissionPolicy(level: .selfModify, askAbove: nil))
    return AgentFactory.loop(
      ledger: ledger, model: try runner.makeModel(), registry: JudgeGuardedTool.registry(judge: judge),
      root: scratch.path, sandbox: sandbox, testCommand: testCommand, options: options,
      instructions: [ImprovePrompts.instructions(goal: goal.text, testCommand: testCommand, worktree: scratch.path, plan: plan), previously],
      digest: digest, onEvent: { [runner] in runner.onEvent(.agent($0)) })
  }

  @discardableResult
  private func record(changes: [FileChange], commit: String?, success: Bool, status: ModificationStatus, _ description: String) throws -> [Int64] {
    let context = ModificationRecords.Context(
      sessionID: recorder.sessionID, improvementID: goal.improvement?.id, branch: scratch.branch, baseline: baseline,
      reasoning: report.summary, tests: report.tests, failToPass: report.failToPass, passToPass: report.passToPass,
      metric: report.metric)
    return try ModificationRecords.record(
      context, changes: changes, resultCommit: commit, success: success, tamperReasons: report.tamperReasons,
      status: status, description: description, ledger: ledger)
  }

  private func setImprovement(_ status: ImprovementStatus) {
    if let id = goal.improvement?.id { try? ledger.setImprovementStatus(id: id, status: status) }
  }

  private func interrupted() -> ImproveReport {
    finish(.incomplete, keepBranch: false, "interrupted; branch and worktree removed", exit: .interrupted)
  }

  /// Settles the outcome; `execute` then removes the worktree (always) and the branch (unless kept) and
  /// finishes the session.
  private func finish(_ result: ImproveReport.Result, keepBranch: Bool, _ message: String, exit: ExitStatus? = nil) -> ImproveReport {
    let status: ExitStatus = exit ?? ([.kept, .merged, .discarded, .setUp].contains(result) ? .success : .findings)
    report.result = result
    report.message = message
    report.exitCode = status.rawValue
    self.keepBranch = keepBranch
    return report
  }
}
