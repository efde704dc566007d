import ArgumentParser
import ArrakisCore
import FoundationEssentials
import Glibc
import Ledger

struct LogInsights: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "insights",
    abstract: "Patterns across sessions: files changed and undone most, failing tools, improvements that keep failing, cost per kept change.")

  @Option(name: [.customShort("n"), .customLong("limit")], help: "Rows per list.")
  var n = 10

  @Flag(name: .long, help: "Print one JSON object.")
  var json = false

  @OptionGroup var ledger: LedgerOptions

  func validate() throws {
    guard n > 0 else { throw ValidationError("-n must be a positive number") }
  }

  func run() async throws {
    try await reportingErrors(json: json) {
      let db = try ledger.existingReadOnly()
      let insights = try db.insights(limit: n)
      Output.out(json ? try JSONOutput.string(insights) + "\n" : InsightsText.render(insights))
    }
  }
}
