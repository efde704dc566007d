import ArgumentParser
import ArrakisCore
import FoundationEssentials
import Glibc
import Workflows

struct Rollback: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rollback",
    _superCommandName: "arrakis",  // parsed as the root for speed: Support/DirectSubcommand.swift
    abstract: "Undo a change improve made: delete its branch, or revert it on your branch if merged.",
    discussion: """
      ID is a modification id, a session id (or prefix) or an improvement id. A kept, unmerged change is undone \
      by deleting its branch; a merged one by a revert commit on your current branch, refused (exit 10) when \
      you have uncommitted changes to a file the revert touches. The rollback is recorded as a session.

      --prune --older-than AGE (30.days, 2.weeks, 12h) deletes the arrakis/improve/* branches improve kept \
      (kept or tampered, tip still the recorded commit) whose change was recorded longer ago than AGE, and \
      stale worktrees left by killed runs. It never touches a merged change (its commit is on a local branch \
      outside arrakis/, or the ledger says merged) nor a branch the ledger did not record as kept: an \
      arrakis/improve/* branch a person made is reported and left alone. Each deleted branch's modifications \
      are marked pruned; the prune is one rollback session. --dry-run lists what would go.
      """)

  @Argument(help: "A modification, session or improvement id.", completion: Completions.sessionIDs)
  var id: String?

  @Flag(name: .long, help: "Roll back the newest recorded change.")
  var last = false

  @Flag(name: .long, help: "Delete kept, unmerged improve branches older than --older-than, and stale worktrees.")
  var prune = false

  @Option(name: .long, help: ArgumentHelp("With --prune: the age (by the recorded change) beyond which kept branches go.", valueName: "age"))
  var olderThan: String?

  @Flag(name: .long, help: "Say what would be done; change nothing.")
  var dryRun = false

  @Flag(name: .long, help: "Print the outcome as one JSON object.")
  var json = false

  @Option(name: [.customShort("C"), .long], help: ArgumentHelp("The repository (any directory inside it; default: here).", valueName: "dir"))
  var workspace: String?

  /// The spelling of earlier releases, still read; every subcommand says -C/--workspace.
  @Option(name: .customLong("repo"), help: .hidden)
  var repo: String?

  var directory: String { workspace ?? repo ?? FileManager.default.currentDirectoryPath }

  @OptionGroup var ledger: LedgerOptions

  func validate() throws {
    if prune {
      if id != nil || last { throw ValidationError("--prune takes no ID and no --last") }
      guard let age = olderThan else { throw ValidationError("--prune needs --older-than AGE, e.g. --older-than 30.days") }
      guard TimeWindow.parseInterval(age) != nil else {
        throw ValidationError("cannot read the age '\(age)': use 30.days, 2.weeks, 12h")
      }
      return
    }
    if olderThan != nil { throw ValidationError("--older-than goes with --prune") }
    if (id == nil) == !last { throw ValidationError("give an ID or --last (one of them), or --prune") }
  }

  func run() async throws {
    let renderer = ImproveRenderer(json: json)
    try await reportingErrors(json: json) {
      if prune, let age = olderThan, let interval = TimeWindow.parseInterval(age) {
        var request = BranchPruneRequest(
          olderThan: interval, olderThanText: age, directory: directory)
        request.dryRun = dryRun
        renderer.render(try BranchPruner.run(request, ledger: try ledger.open()))
        return
      }
      var request = RollbackRequest(target: id, last: last, directory: directory)
      request.dryRun = dryRun
      renderer.render(try RollbackRunner.run(request, ledger: try ledger.open()))
    }
  }
}
