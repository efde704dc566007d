import Foundation

/// A throwaway directory for one test, removed when the value is deallocated.
final class TempTree {
  let root: String

  init() throws {
    var template = Array((NSTemporaryDirectory() + "/arrakis-si-XXXXXX").utf8CString)
    guard mkdtemp(&template) != nil else { throw CocoaError(.fileWriteUnknown) }
    root = String(cString: template)
  }

  deinit { try? FileManager.default.removeItem(atPath: root) }

  /// Writes `text` to a relative path, creating directories.
  @discardableResult
  func write(_ path: String, _ text: String) throws -> String {
    try write(path, Data(text.utf8))
  }

  @discardableResult
  func write(_ path: String, _ data: Data) throws -> String {
    let full = root + "/" + path
    try FileManager.default.createDirectory(
      atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try data.write(to: URL(fileURLWithPath: full))
    return full
  }

  func mkdir(_ path: String) throws {
    try FileManager.default.createDirectory(atPath: root + "/" + path, withIntermediateDirectories: true)
  }
}
