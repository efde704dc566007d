import FoundationEssentials
import Glibc
import ArrakisCore

/// One row of the price table: a model's prices from a date on, for prompts over `promptOver` tokens.
public struct PriceRow: Equatable, Sendable {
  public var model: String
  /// YYYY-MM-DD (UTC), compared as text.
  public var from: String
  public var promptOver: Int
  public var price: ModelPrice
}

/// The effective-dated price table (Data/prices.tsv), parsed. A malformed line is reported in `problems`
/// (a test keeps that empty) and skipped, so a bad edit can never crash a run.
public struct PriceTable: Sendable {
  public var rows: [PriceRow] = []
  public var problems: [String] = []

  public static func parse(_ text: String) -> PriceTable {
    var t = PriceTable()
    for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = raw.trimmingSpacesAndTabs
      if line.isEmpty || line.hasPrefix("#") { continue }
      let f = line.split(separator: "\t").map { $0.trimmingSpacesAndTabs }
      let numbers = f.count == 8 ? f[3...].compactMap(Double.init) : []
      guard f.count == 8, isDate(f[1]), let over = Int(f[2]), over >= 0, numbers.count == 5, numbers.allSatisfy({ $0 >= 0 }) else {
        t.problems.append("line \(n + 1): expected model, from (YYYY-MM-DD), prompt_over and five prices, tab-separated: \(line)")
        continue
      }
      t.rows.append(PriceRow(model: f[0], from: f[1], promptOver: over, price: ModelPrice(
        input: numbers[0], output: numbers[1], cacheWrite5m: numbers[2], cacheWrite1h: numbers[3], cacheRead: numbers[4])))
    }
    return t
  }

  func has(_ model: String) -> Bool { rows.contains { $0.model == model } }

  /// The rows in force on `date`: those of the latest `from` not after it; before a model's first row, its
  /// first row (a clock running behind must not make a known model unpriced).
  func bands(model: String, on date: Date) -> [PriceRow] {
    let mine = rows.filter { $0.model == model }
    let day = UTCDay.string(date)
    guard let from = mine.map(\.from).filter({ $0 <= day }).max() ?? mine.map(\.from).min() else { return [] }
    return mine.filter { $0.from == from }.sorted { $0.promptOver < $1.promptOver }
  }

  /// The band a prompt of `promptTokens` falls in: the highest threshold it is over.
  func row(model: String, on date: Date, promptTokens: Int) -> PriceRow? {
    bands(model: model, on: date).last { promptTokens > $0.promptOver || $0.promptOver == 0 }
  }


  private static func isDate(_ s: String) -> Bool {
    let p = s.split(separator: "-")
    return p.count == 3 && p[0].count == 4 && p[1].count == 2 && p[2].count == 2 && p.allSatisfy { $0.allSatisfy(\.isNumber) }
  }
}

/// The `prices` setting: one string per model, `"MODEL input=4 output=20 [cache_write_5m=… cache_write_1h=…
/// cache_read=…]"` (USD per million tokens); cache prices left out follow the standard multipliers.
public enum PriceOverrides {
  public static func parse(_ entries: [String], origin: String) throws -> [String: ModelPrice] {
    var result: [String: ModelPrice] = [:]
    for entry in entries {
      let words = entry.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }).map(String.init)
      guard let model = words.first, !model.contains("=") else { throw bad(entry, origin, "it must start with a model id") }
      var v: [String: Double] = [:]
      for w in words.dropFirst() {
        let kv = w.split(separator: "=", maxSplits: 1).map(String.init)
        guard kv.count == 2, ["input", "output", "cache_write_5m", "cache_write_1h", "cache_read"].contains(kv[0]) else {
          throw bad(entry, origin, "unknown field '\(w)'")
        }
        guard let d = Double(kv[1]), d >= 0, d.isFinite else { throw bad(entry, origin, "\(kv[0]) must be a number of USD per million tokens") }
        v[kv[0]] = d
      }
      guard let input = v["input"], let output = v["output"] else { throw bad(entry, origin, "input= and output= are required") }
      let standard = ModelPrice(input: input, output: output)
      result[ModelCatalog.resolve(model)] = ModelPrice(
        input: input, output: output, cacheWrite5m: v["cache_write_5m"] ?? standard.cacheWrite5m,
        cacheWrite1h: v["cache_write_1h"] ?? standard.cacheWrite1h, cacheRead: v["cache_read"] ?? standard.cacheRead)
    }
    return result
  }

  private static func bad(_ entry: String, _ origin: String, _ why: String) -> ArrakisError {
    ArrakisError(.configuration, "\(origin): bad price \"\(entry)\": \(why)",
                 hint: #"write e.g. prices = ["claude-opus-5-5 input=4 output=20 cache_read=0.2"] (USD per million tokens)"#)
  }
}
