import ArrakisCore
import Foundation

/// A folder of Messages API responses: `NAME.response.json` or `NAME.response.sse` is the body, and an optional
/// `NAME.meta.json` gives the HTTP status (`status.code`, default 200), the response headers
/// (`response_headers`, each a list of values) and, for other endpoints, the `uri`.
public struct FixtureSet: Sendable {
  public let directory: URL

  public init(directory: URL) { self.directory = directory }

  /// The project's own responses, written for these tests from the documented format
  /// (Tests/Fixtures/anthropic/README.md lists them): every clone has them.
  public static let own = FixtureSet(directory: Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/anthropic"))

  /// Real recorded API traffic, an extra layer where it is present: `ARRAKIS_SHARED_DIR/fixtures/anthropic-real`,
  /// else `shared/fixtures/anthropic-real` beside the package (CI checks the package out next to it).
  /// A clone without it skips the tests that need it, visibly.
  public static let recorded: FixtureSet = {
    let shared = ProcessInfo.processInfo.environment["ARRAKIS_SHARED_DIR"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
      ?? Fixtures.packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    return FixtureSet(directory: shared.appendingPathComponent("fixtures/anthropic-real"))
  }()

  /// Whether the folder exists and holds at least one response.
  public var isPresent: Bool { !all.isEmpty }

  /// The response body (`.response.json` or `.response.sse`); a missing one throws, naming the file.
  public func body(_ name: String) throws -> Data {
    for ext in ["json", "sse"] {
      let url = directory.appendingPathComponent("\(name).response.\(ext)")
      if FileManager.default.fileExists(atPath: url.path) { return try Data(contentsOf: url) }
    }
    throw FixtureMissing(name: name, directory: directory.path)
  }

  public func isSSE(_ name: String) -> Bool {
    FileManager.default.fileExists(atPath: directory.appendingPathComponent("\(name).response.sse").path)
  }

  /// The meta file, or an empty object when the fixture has none (a plain 200).
  public func meta(_ name: String) throws -> JSONValue {
    let url = directory.appendingPathComponent("\(name).meta.json")
    guard FileManager.default.fileExists(atPath: url.path) else { return [:] }
    return try JSONValue.parse(Data(contentsOf: url))
  }

  /// The HTTP status to answer with.
  public func status(_ name: String) throws -> Int {
    try meta(name)["status"]?["code"]?.intValue ?? 200
  }

  /// Whether the response answers `/v1/messages/count_tokens` rather than `/v1/messages`.
  public func isCountTokens(_ name: String) throws -> Bool {
    try meta(name)["uri"]?.stringValue?.contains("/messages/count_tokens") == true
  }

  /// Response headers worth replaying (lowercased), without the framing ones the server sets itself.
  public func headers(_ name: String) throws -> [String: String] {
    let skip: Set<String> = ["content-length", "transfer-encoding", "content-encoding", "connection", "content-type"]
    var out: [String: String] = [:]
    for (k, v) in try meta(name)["response_headers"]?.objectValue ?? [:] where !skip.contains(k.lowercased()) {
      if let first = v[0]?.stringValue { out[k.lowercased()] = first }
    }
    return out
  }

  /// Every response name in the folder, sorted, e.g. "stream-tool-use"; none when the folder is absent.
  public var all: [String] {
    let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return files.compactMap { file in file.range(of: ".response.").map { String(file[..<$0.lowerBound]) } }.sorted()
  }
}

/// Thrown for a fixture that is not there, so the test fails with the path instead of crashing the run.
public struct FixtureMissing: Error, CustomStringConvertible {
  public var name: String
  public var directory: String
  public var description: String { "no fixture \(name).response.{json,sse} in \(directory)" }
}

/// The project's own fixtures by default (`Fixtures.body("stream-text")`); `FixtureSet.recorded` for the real ones.
public enum Fixtures {
  /// The package root, found from this file's place in it (Tests/TestSupport/Fixtures.swift).
  public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()  // TestSupport
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()

  public static func body(_ name: String) throws -> Data { try FixtureSet.own.body(name) }
  public static func isSSE(_ name: String) -> Bool { FixtureSet.own.isSSE(name) }
  public static func status(_ name: String) throws -> Int { try FixtureSet.own.status(name) }
  public static func headers(_ name: String) throws -> [String: String] { try FixtureSet.own.headers(name) }
  public static var all: [String] { FixtureSet.own.all }
}
