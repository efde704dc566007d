import Foundation

/// The y/n prompt for calls above the interactive default level. Asked on the terminal; anything but
/// y/yes is a no.
enum Approval {
  static func terminalPrompt() -> ((String, String) async -> Bool)? {
    guard isatty(STDIN_FILENO) == 1 else { return nil }
    return { _, question in
      FileHandle.standardError.write(Data("arrakis: \(question) [y/N] ".utf8))
      guard let line = readLine() else { return false }
      return ["y", "yes"].contains(line.trimmingCharacters(in: .whitespaces).lowercased())
    }
  }
}
