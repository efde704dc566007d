import ArgumentParser
import ArrakisCore
import Foundation
import SelfImprovement

struct Rollback: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Undo a change improve made: delete its branch, or revert it on your branch if merged.",
    discussion: """
      ID is a modification id, a session id (or prefix) or an improvement id. A kept, unmerged change is undone
      by deleting its branch; a merged one by a revert commit on your current branch, refused (exit 10) when
      you have uncommitted changes to a file the revert touches. The rollback is recorded as a session.
      """)

  @Argument(help: "A modification, session or improvement id.")
  var id: String?

  @Flag(name: .long, help: "Roll back the newest recorded change.")
  var last = false

  @Flag(name: .long, help: "Say what would be done; change nothing.")
  var dryRun = false

  @Flag(name: .long, help: "Print the outcome as one JSON object.")
  var json = false

  @Option(name: [.customShort("C"), .long], help: ArgumentHelp("The repository (any directory inside it; default: here).", valueName: "dir"))
  var repo: String?

  @OptionGroup var ledger: LedgerOptions

  func validate() throws {
    if (id == nil) == !last { throw ValidationError("give an ID or --last (one of them)") }
  }

  func run() async throws {
    let renderer = ImproveRenderer(json: json)
    try await reportingErrors(json: json) {
      var request = RollbackRequest(target: id, last: last, directory: repo ?? FileManager.default.currentDirectoryPath)
      request.dryRun = dryRun
      renderer.render(try RollbackRunner.run(request, ledger: try ledger.open()))
    }
  }
}
