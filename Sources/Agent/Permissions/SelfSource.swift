import FoundationEssentials
import Glibc

/// Recognises arrakis's own source tree, which only `self-modify` may change.
public enum SelfSource {
  public static func isArrakisSource(_ root: String) -> Bool {
    guard let data = FileManager.default.contents(atPath: root + "/Package.swift") else { return false }
    let text = String(decoding: data, as: UTF8.self)
    return text.contains("name: \"arrakis\"") && FileManager.default.fileExists(atPath: root + "/Sources/Agent")
  }
}
