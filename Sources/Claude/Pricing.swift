import Foundation

/// USD per million tokens for one model.
public struct ModelPrice: Equatable, Sendable {
  public var input: Double
  public var output: Double
  public var cacheWrite5m: Double
  public var cacheWrite1h: Double
  public var cacheRead: Double

  /// The standard multipliers: 5-minute writes 1.25×, 1-hour writes 2×, reads 0.1× the input price.
  public init(input: Double, output: Double) {
    self.init(input: input, output: output, cacheWrite5m: input * 1.25, cacheWrite1h: input * 2, cacheRead: input * 0.1)
  }

  public init(input: Double, output: Double, cacheWrite5m: Double, cacheWrite1h: Double, cacheRead: Double) {
    self.input = input
    self.output = output
    self.cacheWrite5m = cacheWrite5m
    self.cacheWrite1h = cacheWrite1h
    self.cacheRead = cacheRead
  }
}

/// Prices from the platform pricing page (facts sheet §5). Unknown models have no price: a cost of 0
/// would silently under-report spend, so `cost` returns nil instead.
public enum Pricing {
  /// Keyed by model id without its date suffix.
  static let table: [String: ModelPrice] = [
    "claude-opus-4-8": ModelPrice(input: 5, output: 25),
    "claude-opus-4-7": ModelPrice(input: 5, output: 25),
    "claude-opus-4-6": ModelPrice(input: 5, output: 25),
    "claude-opus-4-5": ModelPrice(input: 5, output: 25),
    "claude-opus-5": ModelPrice(input: 5, output: 25),
    "claude-opus-4-1": ModelPrice(input: 15, output: 75),
    "claude-opus-4": ModelPrice(input: 15, output: 75),
    "claude-3-opus": ModelPrice(input: 15, output: 75),
    "claude-sonnet-4-6": ModelPrice(input: 3, output: 15),
    "claude-sonnet-4-5": ModelPrice(input: 3, output: 15),
    "claude-sonnet-4": ModelPrice(input: 3, output: 15),
    "claude-3-7-sonnet": ModelPrice(input: 3, output: 15),
    "claude-3-5-sonnet": ModelPrice(input: 3, output: 15),
    "claude-haiku-4-5": ModelPrice(input: 1, output: 5),
    "claude-3-5-haiku": ModelPrice(input: 0.8, output: 4),
    // The pricing page rounds Haiku 3's cache prices instead of applying the multipliers exactly.
    "claude-3-haiku": ModelPrice(input: 0.25, output: 1.25, cacheWrite5m: 0.30, cacheWrite1h: 0.50, cacheRead: 0.03),
  ]

  /// The price for a model id, alias, dated id (`claude-sonnet-4-5-20250929`) or `-latest` id.
  public static func price(for model: String) -> ModelPrice? {
    let id = ModelCatalog.resolve(model)
    return table[id] ?? table[baseID(id)]
  }

  /// USD for one call's usage, or nil when the model's price is unknown.
  public static func cost(model: String, usage: Usage) -> Double? {
    guard let p = price(for: model) else { return nil }
    let write1h = min(usage.cacheCreation1hInputTokens, usage.cacheCreationInputTokens)
    let write5m = usage.cacheCreationInputTokens - write1h
    let micro = Double(usage.inputTokens) * p.input + Double(usage.outputTokens) * p.output
      + Double(write5m) * p.cacheWrite5m + Double(write1h) * p.cacheWrite1h
      + Double(usage.cacheReadInputTokens) * p.cacheRead
    return micro / 1_000_000
  }

  /// Strips a trailing `-YYYYMMDD` or `-latest`.
  static func baseID(_ id: String) -> String {
    if id.hasSuffix("-latest") { return String(id.dropLast(7)) }
    let parts = id.split(separator: "-")
    if let last = parts.last, last.count == 8, last.allSatisfy(\.isNumber) {
      return parts.dropLast().joined(separator: "-")
    }
    return id
  }
}
