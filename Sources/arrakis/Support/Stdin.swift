import Foundation

/// Piped input: read all of stdin when it is not a terminal (`git diff | arrakis ask "review"`).
enum Stdin {
  static func readIfPiped() -> String? {
    guard isatty(STDIN_FILENO) == 0 else { return nil }
    let data = FileHandle.standardInput.readDataToEndOfFile()
    guard !data.isEmpty else { return nil }
    return String(decoding: data, as: UTF8.self)
  }
}
