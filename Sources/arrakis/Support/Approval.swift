import ArrakisCore
import FoundationEssentials
import Glibc

/// The question for calls above the interactive default level, asked on the terminal: the change first
/// (the diff of a Write or Edit, which the question carries below its first line), then
/// `[y/N/a]`. `a` says yes and stops asking for the rest of this session: for Write and Edit, any call of
/// that tool; for Bash, that same command. Anything but y, yes, a or always is a no.
enum Approval {
  static func terminalPrompt() -> ((String, String) async -> Bool)? {
    guard isatty(STDIN_FILENO) == 1 else { return nil }
    let always = Remembered()
    let color = Environment().useColor(fileDescriptor: STDERR_FILENO)
    return { tool, question in
      let lines = question.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      let ask = lines.first ?? question
      let key = scope(tool: tool, question: ask)
      if always.contains(key.id) { return true }
      var text = ""
      for line in lines.dropFirst() { text += "  " + paint(line, color: color) + "\n" }
      text += "arrakis: \(ask) [y/N/a = always \(key.label) this session] "
      Output.err(text)
      guard let answer = readLine()?.trimmingSpacesAndTabs.lowercased() else { return false }
      if ["a", "always"].contains(answer) {
        always.insert(key.id)
        return true
      }
      return ["y", "yes"].contains(answer)
    }
  }

  /// What an "always" covers: a file tool as a whole, a Bash command exactly (as `--allow 'Bash(cmd)'`).
  static func scope(tool: String, question: String) -> (id: String, label: String) {
    guard tool == "Bash" else { return (tool, tool) }
    var command = question
    for prefix in ["allow Bash ", "run `"] where command.hasPrefix(prefix) { command = String(command.dropFirst(prefix.count)) }
    if let end = command.firstRange(of: "`?") ?? command.lastRange(of: "?") { command = String(command[..<end.lowerBound]) }
    return ("Bash(\(command))", "Bash(\(command))")
  }

  static func paint(_ line: String, color: Bool) -> String {
    guard color else { return line }
    if line.hasPrefix("+") { return "\u{1B}[32m\(line)\u{1B}[0m" }
    if line.hasPrefix("-") { return "\u{1B}[31m\(line)\u{1B}[0m" }
    if line.hasPrefix("@@") { return "\u{1B}[36m\(line)\u{1B}[0m" }
    return line
  }

  final class Remembered: @unchecked Sendable {
    private var ids: Set<String> = []
    private let lock = Lock()
    func contains(_ id: String) -> Bool { lock.withLock { ids.contains(id) } }
    func insert(_ id: String) { _ = lock.withLock { ids.insert(id) } }
  }
}
