import Agent
import ArgumentParser

/// The knowledge digest switches `ask` and `code` share; only the default differs (off for ask, on for code).
struct HistoryOptions: ParsableArguments {
  @Flag(name: .long, help: "Include a digest of what the ledger knows about this repository (code: the default).")
  var withHistory = false

  @Flag(name: .long, help: "No knowledge digest.")
  var noHistory = false

  @Option(name: .long, help: ArgumentHelp("Token budget of the knowledge digest (default 1500; 4 characters a token).", valueName: "tokens"))
  var historyBudget: Int?

  func validate() throws {
    if let b = historyBudget, b <= 0 { throw ValidationError("--history-budget must be a positive number of tokens") }
    if noHistory && (withHistory || historyBudget != nil) {
      throw ValidationError("--no-history contradicts --with-history / --history-budget; choose one")
    }
  }

  /// The digest budget in tokens, or nil for no digest.
  func budget(onByDefault: Bool) -> Int? {
    if noHistory { return nil }
    if withHistory || historyBudget != nil || onByDefault { return historyBudget ?? KnowledgeDigest.defaultBudgetTokens }
    return nil
  }
}
