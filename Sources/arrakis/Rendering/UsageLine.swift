import Agent
import ArrakisCore

/// The dim one-line summary after an answer: model, tokens, cost, time.
enum UsageLine {
  static func render(model: String, usage: UsageSummary, cost: Double?, ms: Int) -> String {
    let input = usage.inputTokens + usage.cacheCreationInputTokens + usage.cacheReadInputTokens
    var line = "\(model) · \(Format.tokens(input)) in"
    if usage.cacheReadInputTokens > 0 { line += " (\(Format.tokens(usage.cacheReadInputTokens)) cached)" }
    line += " · \(Format.tokens(usage.outputTokens)) out · \(cost == nil ? "cost unknown (no price for this model: arrakis models)" : Format.cost(cost)) · \(Format.duration(ms: ms))"
    return Environment().useColor(fileDescriptor: 2) ? "\u{1B}[2m\(line)\u{1B}[0m" : line
  }
}
