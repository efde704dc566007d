import ArrakisCore
import Foundation
import Testing

@testable import Agent

/// The seven spellings of `git push` that reached a local remote through the screen: each is now refused
/// through the real Bash tool path, and the remote is checked to have received nothing. Near-misses that
/// push nothing stay allowed.
@Suite struct PushSpellingTests {
  static let spellings = [
    "x=git; $x push origin HEAD:main",
    "$(echo git) push origin HEAD:main",
    "git -c alias.p=push p origin HEAD:main",
    "echo push origin HEAD:main | xargs git",
    "python3 -c \"import os; os.system('git push origin HEAD:main')\"",
    "/usr/lib/git-core/git-push origin HEAD:main",
    "git send-pack ../remote.git HEAD:refs/heads/main",
  ]

  @Test(arguments: spellings)
  func refusedAndTheRemoteReceivesNothing(command: String) async throws {
    let ws = TempWorkspace()
    let repo = ws.root + "/repo"
    let setup = ProcessRunner.runSync([
      "bash", "-c",
      """
      set -e; git init -q --bare '\(ws.root)/remote.git'; git init -q -b main '\(repo)'; cd '\(repo)'
      git -c user.name=t -c user.email=t@t commit -q --allow-empty -m one; git remote add origin ../remote.git
      """,
    ], timeoutMs: 30_000)
    try #require(setup.exitCode == 0, "\(setup.output)")
    let ctx = ToolContext(root: repo, sandbox: SandboxPolicy(workspace: repo, mode: .policy))
    let o = await call("Bash", ["command": .string(command)], ctx)
    #expect(o.isDenied, "\(command) was not refused: \(o.text.prefix(200))")
    let refs = ProcessRunner.runSync(["git", "--git-dir", ws.root + "/remote.git", "for-each-ref"], timeoutMs: 30_000)
    #expect(refs.output.isEmpty, "\(command) reached the remote: \(refs.output)")
  }

  @Test func nearMissesStayAllowed() {
    let sandbox = SandboxPolicy(workspace: "/tmp")
    for c in [
      "x=git; $x status", "$(echo git) log -1", "git -c alias.l=log l", "ls | xargs git add",
      "python3 -c \"print('push')\"", "/usr/lib/git-core/git-log -1", "echo 'git push'", "git pushd-helper",
      "git stash push -m wip", "x=push; echo $x",
    ] {
      #expect(sandbox.forbiddenReason(command: c) == nil, "\(c) wrongly forbidden")
    }
  }
}
