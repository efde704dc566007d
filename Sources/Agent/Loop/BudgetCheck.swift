import ArrakisCore
import FoundationEssentials

/// `--max-budget-usd`: stop before a turn when the session has spent the budget, or when the next turn,
/// estimated at what the last one cost, would take it over. The stop message gives the figures.
enum BudgetCheck {
  /// nil: go on; otherwise what to say after "stopped at --max-budget-usd".
  static func stop(spent: Double, nextTurn: Double?, budget: Double) -> String? {
    if spent >= budget { return "spent \(usd(spent)) of the \(usd(budget)) limit" }
    guard let next = nextTurn, next > 0, spent + next > budget else { return nil }
    return "spent \(usd(spent)) of the \(usd(budget)) limit; the next turn would cost about \(usd(next)) (as the last one did), over the limit"
  }

  /// `$0.42`, `$0.000141`: enough digits to tell the amount from the limit.
  static func usd(_ v: Double) -> String {
    if v >= 0.01 { return "$" + String(cFormat: "%.2f", v) }
    // The trailing zeros dropped (what the regex `0+$` removed).
    var digits = Substring(String(cFormat: "%.6f", v))
    while digits.last == "0" { digits.removeLast() }
    return "$" + digits
  }
}
