import Agent
import ArrakisCore
import Git

/// Gathers what the agent's system prompt says about a workspace: git facts through libgit2, the detected
/// test command, the project's instructions file. Outside a repository only the root and the rest.
public enum WorkspaceContextBuilder {
  public static func build(root: String, configuredTestCommand: String? = nil) -> WorkspaceContext {
    var c = WorkspaceContext(root: root)
    if let repo = try? Repository.discover(from: root) {
      c.gitBranch = repo.currentBranch
      if let head = repo.headCommitID { c.head = String(head.prefix(12)) }
      c.dirtyFiles = (try? repo.dirtyPaths) ?? []
      c.recentCommits = ((try? repo.recentCommits(limit: 5)) ?? []).map { "\($0.shortID) \($0.summary)" }
    }
    c.testCommand = TestCommandDetector.detect(in: root, configured: configuredTestCommand)?.command
    c.instructions = WorkspaceContext.loadInstructions(root: root)
    return c
  }
}
