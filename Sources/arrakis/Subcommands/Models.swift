import ArgumentParser
import ArrakisCore
import Claude
import FoundationEssentials
import Glibc
import Workflows

struct Models: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "models",
    _superCommandName: "arrakis",  // parsed as the root for speed: Support/DirectSubcommand.swift
    abstract: "List the model aliases and ids with their context windows, output limits and prices.",
    discussion: """
      Prices are USD per million tokens in force today, from the table built into arrakis or from `prices` \
      in your config.toml. A model not listed can still be named with --model; its cost is then unknown.
      """)

  @Flag(name: .long, help: "Print one JSON object.")
  var json = false

  func run() async throws {
    try await reportingErrors(json: json) {
      _ = try RunConfiguration.load(flags: [:], workspaceRoot: Workspace.detect(from: FileManager.default.currentDirectoryPath).root)
      Output.out(json ? Self.json() + "\n" : Self.text())
    }
  }

  static func aliases(of id: String) -> [String] { ModelCatalog.aliases.filter { $0.model == id }.map(\.alias) }

  static func text() -> String {
    var out = "ALIAS   MODEL               WINDOW  OUTPUT  INPUT   OUTPUT  CACHE READ  (USD / million tokens)\n"
    for m in ModelCatalog.models {
      let alias = aliases(of: m.id).first ?? ""
      let bands = Pricing.bands(for: m.id)
      let head = alias.paddedToWidth(8) + m.id.paddedToWidth(20)
        + Format.padLeft(size(m.contextWindow), 6) + "  " + Format.padLeft(size(m.maxOutput), 6)
      if bands.isEmpty { out += head + "  price unknown\n"; continue }
      for (i, b) in bands.enumerated() {
        let lead = i == 0 ? head : String(repeating: " ", count: head.count)
        let note = b.promptOver > 0 ? "  prompts over \(Hotspots.grouped(b.promptOver)) tokens"
          : (bands.count > 1 ? "  prompts up to \(Hotspots.grouped(bands[1].promptOver)) tokens" : "")
        out += lead + "  " + Format.padLeft(usd(b.price.input), 6) + "  " + Format.padLeft(usd(b.price.output), 6)
          + "  " + Format.padLeft(usd(b.price.cacheRead), 10) + (b.from == "config" ? "  (config)" : "") + note + "\n"
      }
    }
    out += "\ndefault: \(ModelCatalog.defaultModel)\n"
    return out
  }

  static func json() -> String {
    let models: [JSONValue] = ModelCatalog.models.map { m in
      let bands: [JSONValue] = Pricing.bands(for: m.id).map { b in
        [
          "prompt_over_tokens": .number(Double(b.promptOver)), "from": .string(b.from),
          "input": .number(b.price.input), "output": .number(b.price.output),
          "cache_write_5m": .number(b.price.cacheWrite5m), "cache_write_1h": .number(b.price.cacheWrite1h),
          "cache_read": .number(b.price.cacheRead),
        ]
      }
      return [
        "id": .string(m.id), "name": .string(m.name), "aliases": .array(aliases(of: m.id).map(JSONValue.string)),
        "context_window": .number(Double(m.contextWindow)), "max_output_tokens": .number(Double(m.maxOutput)),
        "thinking": .string(m.thinking.rawValue), "current": .bool(m.current),
        "prices_usd_per_mtok": bands.isEmpty ? .null : .array(bands),
      ]
    }
    return JSONValue.object([
      "default": .string(ModelCatalog.defaultModel),
      "aliases": .object(Dictionary(uniqueKeysWithValues: ModelCatalog.aliases.map { ($0.alias, JSONValue.string($0.model)) })),
      "models": .array(models),
    ]).serialized()
  }

  /// 1M, 200K, 128K: windows as the model pages write them.
  static func size(_ n: Int) -> String {
    n % 1_000_000 == 0 ? "\(n / 1_000_000)M" : "\(n / 1000)K"
  }

  static func usd(_ d: Double) -> String {
    var s = String(cFormat: "%.3f", d)
    if s.hasSuffix("0") { s.removeLast() }  // $0.125 keeps its third decimal, $0.20 does not need one
    return "$" + s
  }
}
