import Agent
import ArrakisCore
import FoundationEssentials
import Glibc
import Git
import Ledger

/// What an improve run tells its renderer while it works.
public enum ImproveEvent {
  /// A step, in words ("baseline: make test passed in 0.1 s").
  case step(String)
  /// Something the user should know that changes nothing (uncommitted edits left out, cleanup done).
  case notice(String)
  /// A wait with nothing to show until it ends (the project's tests running); a terminal shows a spinner.
  case waiting(String)
  case agent(AgentEvent)
}

/// `arrakis improve`: baseline → agent → gate (with fix attempts) → commit → keep, merge or discard, all on
/// `arrakis/improve/<id>` in a linked worktree outside the user's tree, all recorded in one session.
public final class ImproveRunner {
  let request: ImproveRequest
  let ledger: Ledger
  let makeModel: () throws -> ModelSource
  let onEvent: (ImproveEvent) -> Void
  /// Set once the run's own session exists; from then on the run records its own failures.
  private var sessionStarted = false
  /// The improvement `--next` claimed and the claim's token, until the run's session holds it.
  private var claim: (improvementID: String, token: String)?

  public init(
    request: ImproveRequest, ledger: Ledger, model: @escaping () throws -> ModelSource,
    onEvent: @escaping (ImproveEvent) -> Void = { _ in }
  ) {
    self.request = request
    self.ledger = ledger
    self.makeModel = model
    self.onEvent = onEvent
  }

  public func run() async throws -> ImproveReport {
    do {
      return try await start()
    } catch where !sessionStarted && claim != nil {
      // Refused before work started: the improvement goes back to the queue for the next run.
      if let claim { try? ledger.releaseClaim(improvementID: claim.improvementID, claimant: claim.token) }
      self.claim = nil
      if let error = error as? ArrakisError { recordRefusal(error) }
      throw error
    } catch let error as ArrakisError where !sessionStarted {
      recordRefusal(error)
      throw error
    }
  }

  /// Refused before the run's own session existed (not a repository, unborn HEAD, locked, an unknown
  /// improvement id): every run is still recorded, as a failed session saying why.
  private func recordRefusal(_ error: ArrakisError) {
    if let recorder = try? SessionRecorder(
      ledger: ledger,
      session: NewSession(systemType: .improve, workspace: request.directory, prompt: request.goal.summaryForRecord))
    {
      recorder.finish(status: .failed, error: error)
    }
  }

  private func start() async throws -> ImproveReport {
    let repo = try Repository.discover(from: request.directory)
    guard let root = repo.workdir else {
      throw ArrakisError(.git, "\(repo.gitDir) is a bare repository", hint: "run improve in a checkout")
    }
    let first = try Self.baseline(of: repo, root: root)
    // Filed under the project's identity, so that clones elsewhere sharing this ledger share the queue.
    let repository = RepositoryRef(identity: (try? repo.identity) ?? root, workspace: root)
    let claimant: String? = {
      if case .next = request.goal, !request.dryRun { return "claim-" + UUID().uuidString.lowercased() }
      return nil
    }()
    let goal = try ResolvedGoal.resolve(request.goal, workspace: root, repository: repository, claimant: claimant, ledger: ledger)
    if let claimant, let id = goal.improvement?.id { claim = (id, claimant) }
    let attempts = try PriorAttempts.find(goal: goal, workspace: root, ledger: ledger)
    if request.dryRun { return try plan(repo, root: root, goal: goal, attempts: attempts) }
    // Refused before anything is created (no lock, branch or worktree) when it would only repeat a failure.
    if !request.force, let refusal = PriorAttempts.refusal(attempts, baseline: first) { throw refusal }

    if request.sandboxMode == .os, case .unavailable(let reason) = Bubblewrap.availability {
      throw ArrakisError(.configuration, "--sandbox os cannot run here: \(reason)", hint: "install bubblewrap, or choose --sandbox policy knowingly")
    }
    if request.sandboxMode == .policy { CommandIsolation.noticeIfUnavailable() }
    let lock = RepositoryLock(name: "improve", gitCommonDir: repo.commonDir)
    try lock.acquire(wait: request.wait, repository: root)
    defer { lock.release() }
    let stale = try StaleRunCleanup.run(repository: repo, workspace: root, worktreeRoot: request.worktreeRoot, ledger: ledger)
    if !stale.isEmpty {
      onEvent(.notice("cleaned up after an interrupted run: \(stale.sessions.count) session(s) marked interrupted, "
        + "\(stale.worktrees.count + stale.directories.count) worktree(s) and \(stale.branches.count) branch(es) removed"))
    }
    // HEAD may have moved while we waited for the lock: the baseline is what it is now.
    let baseline = try Self.baseline(of: repo, root: root)
    if !request.force, let refusal = PriorAttempts.refusal(attempts, baseline: baseline) { throw refusal }
    if let dirty = try? repo.dirtyPaths, !dirty.isEmpty {
      onEvent(.notice("\(dirty.count) uncommitted change(s) in \(root) are not included: improve starts from HEAD \(baseline.prefix(10))"))
    }
    let recorder = try SessionRecorder(
      ledger: ledger,
      session: NewSession(
        systemType: .improve, workspace: root, gitBranch: nil, model: request.setupOnly ? nil : request.model,
        prompt: String(goal.text.prefix(200))))
    sessionStarted = true
    if let claim { _ = try? ledger.transferClaim(improvementID: claim.improvementID, from: claim.token, to: recorder.sessionID) }
    let run = ImproveRun(
      runner: self, repo: repo, root: root, baseline: baseline, goal: goal, attempts: attempts, recorder: recorder)
    return try await run.execute()
  }

  /// HEAD's commit, or a refusal naming why improve cannot start from here.
  static func baseline(of repo: Repository, root: String) throws -> String {
    guard repo.state == .none else {
      throw ArrakisError(.git, "cannot improve \(root): \(repo.state.inProgressDescription)", hint: "finish or abort it first")
    }
    guard let head = try repo.headState.commit else {
      throw ArrakisError(.git, "cannot improve \(root): HEAD has no commit yet", hint: "make a first commit")
    }
    return head
  }

  /// --dry-run: what would happen, with nothing created.
  private func plan(_ repo: Repository, root: String, goal: ResolvedGoal, attempts: [PriorAttempt]) throws -> ImproveReport {
    let baseline = try Self.baseline(of: repo, root: root)
    let detected = TestCommandDetector.detect(in: root, configured: request.testCommand)
    let scratch = ScratchWorktree(shortID: "<id>", repository: repo, root: request.worktreeRoot)
    let refusal = request.force ? nil : PriorAttempts.refusal(attempts, baseline: baseline)
    var report = ImproveReport(
      result: .planned, sessionId: nil, repository: root, baseline: baseline, userBranch: repo.currentBranch,
      branch: scratch.branch, worktree: scratch.path, testCommand: detected?.command, testCommandReason: detected?.reason,
      goal: goal.text, improvementId: goal.improvement?.id,
      message: refusal.map { "dry run: would be refused, \($0.message) (--force runs it)" }
        ?? (detected == nil ? "no test command found: pass --test-cmd" : "dry run: nothing was created"))
    report.previousAttempts = attempts
    return report
  }
}
