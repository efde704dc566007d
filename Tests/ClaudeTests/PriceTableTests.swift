import ArrakisCore
import Foundation
import Testing
@testable import Claude

/// The price table in Sources/Claude/Data/prices.tsv, as the binary embeds it, and what it prices.
@Suite struct PriceTableTests {
  static func day(_ s: String) throws -> Date {
    let p = s.split(separator: "-").compactMap { Int($0) }
    var c = DateComponents(); c.year = p[0]; c.month = p[1]; c.day = p[2]; c.hour = 12
    var cal = Calendar(identifier: .gregorian); cal.timeZone = TimeZone(identifier: "UTC")!
    return try #require(cal.date(from: c))
  }

  @Test func theEmbeddedTableIsTheRepositoryFileAndParsesWhole() throws {
    let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Sources/Claude/Data/prices.tsv")
    let onDisk = try String(contentsOf: file, encoding: .utf8)
    #expect(String(decoding: PackageResources.prices_tsv, as: UTF8.self) == onDisk)
    let table = PriceTable.parse(onDisk)
    #expect(table.problems.isEmpty, "\(table.problems)")
    #expect(table.rows.count >= 20)
  }

  @Test func aMalformedLineIsReportedAndSkipped() {
    let t = PriceTable.parse("# c\nclaude-x\t2026-01-01\t0\t1\t2\t3\t4\t5\nclaude-y\t2026-1-1\t0\t1\t2\t3\t4\t5\nclaude-z\t2026-01-01\t0\t1\t2\n")
    #expect(t.rows.map(\.model) == ["claude-x"])
    #expect(t.problems.count == 2 && t.problems[0].hasPrefix("line 3:"))
  }

  @Test func everyAliasAndCatalogModelHasAWindowAndAPrice() {
    let usage = Usage(inputTokens: 1000, outputTokens: 1000)
    for name in ModelCatalog.aliases.map(\.alias) + ModelCatalog.models.map(\.id) {
      let info = ModelCatalog.info(name)
      #expect((info?.contextWindow ?? 0) >= 200_000, "\(name)")
      #expect((info?.maxOutput ?? 0) >= 4096, "\(name)")
      #expect((Pricing.cost(model: name, usage: usage) ?? 0) > 0, "\(name) has no price")
    }
  }

  @Test func currentLineUpPrices() throws {
    let mtok = Usage(inputTokens: 1_000_000, outputTokens: 1_000_000)
    #expect(Pricing.cost(model: "claude-fable-5-1", usage: mtok) == 60)
    #expect(Pricing.cost(model: "claude-opus-5-5", usage: mtok) == 24)
    #expect(Pricing.cost(model: "claude-sonnet-5-5", usage: mtok) == 12)
    #expect(Pricing.cost(model: "claude-sonnet-5", usage: mtok) == 12)
    // Fable 5.1 reads its cache at $0.25, a quarter of Fable 5's $1.
    let read = Usage(cacheReadInputTokens: 1_000_000)
    #expect(Pricing.cost(model: "claude-fable-5-1", usage: read) == 0.25)
    #expect(Pricing.cost(model: "claude-fable-5", usage: read) == 1)
    #expect(Pricing.cost(model: "claude-opus-5-5", usage: read) == 0.2)
  }

  @Test func sonnet55CacheReadsHalveOn20261007BySessionDate() throws {
    let read = Usage(cacheReadInputTokens: 1_000_000)
    let before = try #require(Pricing.cost(model: "claude-sonnet-5-5", usage: read, on: try Self.day("2026-10-06")))
    let after = try #require(Pricing.cost(model: "claude-sonnet-5-5", usage: read, on: try Self.day("2026-10-07")))
    #expect(abs(before - 0.20) < 1e-12 && abs(after - 0.10) < 1e-12)
    // Input and output did not change.
    let io = Usage(inputTokens: 1_000_000, outputTokens: 1_000_000)
    #expect(Pricing.cost(model: "sonnet", usage: io, on: try Self.day("2026-10-06")) == Pricing.cost(model: "sonnet", usage: io, on: try Self.day("2026-12-01")))
  }

  @Test func haiku55PromptsOver100kPayTheHigherBandOnEveryToken() throws {
    // 100,000 prompt tokens: the lower band ($0.10 in, $0.50 out).
    let low = try #require(Pricing.cost(model: "haiku", usage: Usage(inputTokens: 60_000, outputTokens: 1_000, cacheReadInputTokens: 40_000)))
    #expect(abs(low - (60_000 * 0.10 + 1_000 * 0.50 + 40_000 * 0.01) / 1e6) < 1e-12)
    // One more token (a cache write counts too): every token at the higher band ($0.50 / $2.50 / reads $0.05).
    let high = try #require(Pricing.cost(model: "haiku", usage: Usage(inputTokens: 60_000, outputTokens: 1_000, cacheCreationInputTokens: 1, cacheReadInputTokens: 40_000)))
    #expect(abs(high - (60_000 * 0.50 + 1_000 * 2.50 + 1 * 0.625 + 40_000 * 0.05) / 1e6) < 1e-12)
    #expect(Pricing.bands(for: "claude-haiku-5-5").map(\.promptOver) == [0, 100_000])
  }

  @Test func configuredPricesOverrideTheTableForThatModelOnly() throws {
    let parsed = try PriceOverrides.parse(["claude-3-5-haiku input=2 output=8 cache_read=0.5"], origin: "config.toml:3")
    let p = try #require(parsed["claude-3-5-haiku"])
    #expect(p == ModelPrice(input: 2, output: 8, cacheWrite5m: 2.5, cacheWrite1h: 4, cacheRead: 0.5))
    #expect(throws: ArrakisError.self) { try PriceOverrides.parse(["claude-x input=1"], origin: "f:1") }
    #expect(throws: ArrakisError.self) { try PriceOverrides.parse(["claude-x input=1 output=two"], origin: "f:1") }
    #expect(throws: ArrakisError.self) { try PriceOverrides.parse(["input=1 output=2"], origin: "f:1") }
  }

  @Test func unknownModelsHaveNoPriceNeverZero() {
    #expect(Pricing.cost(model: "claude-future-9", usage: Usage(inputTokens: 1)) == nil)
    #expect(Pricing.bands(for: "claude-future-9").isEmpty)
    #expect(ModelCatalog.info("claude-future-9") == nil)
  }
}
