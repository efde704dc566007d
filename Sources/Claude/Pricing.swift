import FoundationEssentials
import Glibc

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

/// Prices come from the table in Data/prices.tsv (embedded in the binary), overridden per model id by the
/// user's configuration. Unknown models have no price: a cost of 0 would silently under-report spend, so
/// `cost` returns nil instead.
public enum Pricing {
  /// Set once at start-up from the `prices` setting (see `PriceOverrides`); keyed by model id.
  nonisolated(unsafe) public static var overrides: [String: ModelPrice] = [:]

  static let table: PriceTable = PriceTable.parse(String(decoding: PackageResources.prices_tsv, as: UTF8.self))

  /// The price of one request on `model`: the row in force on `date` (a session's start) for a prompt of
  /// `promptTokens` (input + cache reads + cache writes; it selects Haiku 5.5's band).
  public static func price(for model: String, on date: Date = Date(), promptTokens: Int = 0) -> ModelPrice? {
    let id = ModelCatalog.resolve(model)
    let base = ModelCatalog.baseID(id)
    if let p = overrides[id] ?? overrides[base] { return p }
    return table.row(model: table.has(id) ? id : base, on: date, promptTokens: promptTokens)?.price
  }

  /// Every band in force on `date` for `model` (one row for most models), for `arrakis models`.
  public static func bands(for model: String, on date: Date = Date()) -> [PriceRow] {
    let id = ModelCatalog.resolve(model)
    if let p = overrides[id] { return [PriceRow(model: id, from: "config", promptOver: 0, price: p)] }
    return table.bands(model: id, on: date)
  }

  /// What a recorded call costs: no tokens cost nothing whatever the model (a replay, a reply lost before any
  /// usage arrived); otherwise `cost`. Recording and `log recost` both price by this rule.
  public static func recordedCost(model: String, usage: Usage, on date: Date) -> Double? {
    usage == Usage() ? 0 : cost(model: model, usage: usage, on: date)
  }

  /// USD for one call's usage, or nil when the model's price is unknown.
  public static func cost(model: String, usage: Usage, on date: Date = Date()) -> Double? {
    let prompt = usage.inputTokens + usage.cacheReadInputTokens + usage.cacheCreationInputTokens
    guard let p = price(for: model, on: date, promptTokens: prompt) else { return nil }
    let write1h = min(usage.cacheCreation1hInputTokens, usage.cacheCreationInputTokens)
    let write5m = usage.cacheCreationInputTokens - write1h
    let micro = Double(usage.inputTokens) * p.input + Double(usage.outputTokens) * p.output
      + Double(write5m) * p.cacheWrite5m + Double(write1h) * p.cacheWrite1h
      + Double(usage.cacheReadInputTokens) * p.cacheRead
    return micro / 1_000_000
  }
}
