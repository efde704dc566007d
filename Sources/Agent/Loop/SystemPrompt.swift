import ArrakisCore
import FoundationEssentials
import Glibc

/// What the agent is told about the workspace. Gathered by the caller (git facts come through libgit2
/// in Workflows), so the loop itself stays free of git.
public struct WorkspaceContext: Sendable, Equatable {
  public var root: String
  public var gitBranch: String?
  public var head: String?
  public var dirtyFiles: [String]
  public var recentCommits: [String]
  public var testCommand: String?
  /// The project's instructions: ARRAKIS.md, else AGENTS.md, else CLAUDE.md.
  public var instructions: (file: String, text: String)?

  public init(
    root: String, gitBranch: String? = nil, head: String? = nil, dirtyFiles: [String] = [],
    recentCommits: [String] = [], testCommand: String? = nil, instructions: (file: String, text: String)? = nil
  ) {
    self.root = root
    self.gitBranch = gitBranch
    self.head = head
    self.dirtyFiles = dirtyFiles
    self.recentCommits = recentCommits
    self.testCommand = testCommand
    self.instructions = instructions
  }

  public static func == (a: WorkspaceContext, b: WorkspaceContext) -> Bool {
    a.root == b.root && a.gitBranch == b.gitBranch && a.head == b.head && a.dirtyFiles == b.dirtyFiles
      && a.recentCommits == b.recentCommits && a.testCommand == b.testCommand
      && a.instructions?.file == b.instructions?.file && a.instructions?.text == b.instructions?.text
  }

  /// The first instructions file found at the root, capped so it cannot crowd out the task.
  public static func loadInstructions(root: String, maxChars: Int = 8_000) -> (file: String, text: String)? {
    for name in ["ARRAKIS.md", "AGENTS.md", "CLAUDE.md"] {
      if let text = try? String(contentsOfFile: root + "/" + name, encoding: .utf8) {
        return (name, text.count > maxChars ? String(text.prefix(maxChars)) + "\n[… cut at \(maxChars) characters]" : text)
      }
    }
    return nil
  }
}

/// The system prompt: short and specific. Every byte is paid for on every turn (from cache after the first).
public enum SystemPrompt {
  public static func build(context c: WorkspaceContext, level: PermissionLevel, extra: String?) -> String {
    var s = """
      You are arrakis, a coding agent working in a git workspace through tools. Work carefully and finish the task.
      - Read a file before you Edit or Write it; prefer Edit for changes to existing files.
      - Use Glob and Grep to find code instead of guessing paths. Paths are relative to the workspace root.
      - Keep changes minimal and in the project's style. Do not weaken, skip or delete tests to make them pass.
      - Run the project's tests after changing code when Bash is available.
      - When done, reply with a short summary of what you changed and why; no tool call.
      Permission level: \(level.rawValue). Tools outside it are denied; a denied call returns an error, do not retry it.

      <workspace>
      root: \(c.root)

      """
    if let b = c.gitBranch { s += "branch: \(b)\n" }
    if let h = c.head { s += "HEAD: \(h)\n" }
    if !c.dirtyFiles.isEmpty {
      s += "uncommitted changes: " + c.dirtyFiles.prefix(20).joined(separator: ", ")
      s += c.dirtyFiles.count > 20 ? " (+\(c.dirtyFiles.count - 20) more)\n" : "\n"
    }
    if !c.recentCommits.isEmpty { s += "recent commits:\n" + c.recentCommits.prefix(5).map { "  \($0)\n" }.joined() }
    if let t = c.testCommand { s += "test command: \(t)\n" }
    s += "</workspace>\n"
    if let i = c.instructions { s += "\n<instructions file=\"\(i.file)\">\n\(i.text)\n</instructions>\n" }
    if let extra { s += "\n" + extra + "\n" }
    return s
  }
}
