import FoundationEssentials
import Glibc
import Ledger

/// `arrakis log insights` as text.
enum InsightsText {
  static func render(_ i: LedgerInsights) -> String {
    var out = "files most often modified (and undone)\n"
    out += i.files.isEmpty ? "  none recorded\n" : i.files.map {
      "  \(Format.pad($0.filePath, 50)) \(Format.padLeft("\($0.modifications)", 4)) changes  \(Format.padLeft("\($0.rolledBack)", 4)) undone\n"
    }.joined()
    out += "\ntools that fail most\n"
    out += i.tools.isEmpty ? "  no tool failures recorded\n" : i.tools.map {
      "  \(Format.pad($0.toolName, 12)) \(Format.padLeft("\($0.failures)", 5)) failed of \($0.calls) calls  (\($0.denials) denied)\n"
    }.joined()
    out += "\nimprovements tried more than once, failed or undone\n"
    out += i.improvements.isEmpty ? "  none\n" : i.improvements.map {
      let undone = $0.undoneAttempts > 0 ? ", \($0.undoneAttempts) green but rolled back by you" : ""
      return "  \(Format.pad($0.improvementID, 10)) \($0.failedAttempts) failed\(undone) of \($0.attempts) attempts  \(Format.oneLine($0.title, width: 60))\n"
    }.joined()
    out += "\ncost per kept change: \(i.costPerKeptChangeUSD.map { Format.cost($0) } ?? "-") "
      + "(\(Format.cost(i.improveCostUSD)) over \(i.keptChanges) kept"
      + (i.improveUnknownCostRuns > 0 ? "; \(i.improveUnknownCostRuns) improve run(s) of unknown cost not included" : "") + ")\n"
    return out
  }
}
