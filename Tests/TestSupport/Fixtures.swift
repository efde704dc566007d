import ArrakisCore
import Foundation

/// The real recorded API responses in `<packageRoot>/../shared/fixtures/anthropic-real` (CI clones the
/// package next to `shared/`); `ARRAKIS_SHARED_DIR` overrides the location.
public enum Fixtures {
  public static var directory: URL {
    if let dir = ProcessInfo.processInfo.environment["ARRAKIS_SHARED_DIR"], !dir.isEmpty {
      return URL(fileURLWithPath: dir).appendingPathComponent("fixtures/anthropic-real")
    }
    let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()  // TestSupport
      .deletingLastPathComponent()  // Tests
      .deletingLastPathComponent()
    return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures/anthropic-real")
  }

  /// The response body (`.response.json` or `.response.sse`).
  public static func body(_ name: String) throws -> Data {
    for ext in ["json", "sse"] {
      let url = directory.appendingPathComponent("\(name).response.\(ext)")
      if FileManager.default.fileExists(atPath: url.path) { return try Data(contentsOf: url) }
    }
    throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: directory.appendingPathComponent(name).path])
  }

  public static func isSSE(_ name: String) -> Bool {
    FileManager.default.fileExists(atPath: directory.appendingPathComponent("\(name).response.sse").path)
  }

  public static func meta(_ name: String) throws -> JSONValue {
    try JSONValue.parse(Data(contentsOf: directory.appendingPathComponent("\(name).meta.json")))
  }

  /// The recorded HTTP status.
  public static func status(_ name: String) throws -> Int {
    try meta(name)["status"]?["code"]?.intValue ?? 200
  }

  /// Recorded response headers worth replaying (lowercased), without the framing ones the server sets itself.
  public static func headers(_ name: String) throws -> [String: String] {
    let skip: Set<String> = ["content-length", "transfer-encoding", "content-encoding", "connection", "content-type"]
    var out: [String: String] = [:]
    for (k, v) in try meta(name)["response_headers"]?.objectValue ?? [:] where !skip.contains(k.lowercased()) {
      if let first = v[0]?.stringValue { out[k.lowercased()] = first }
    }
    return out
  }

  /// Every recorded response name, e.g. "05-stream-tool-use-input-json-delta".
  public static var all: [String] {
    let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return files.filter { $0.contains(".response.") }.map { String($0[..<$0.range(of: ".response.")!.lowerBound]) }.sorted()
  }
}
