import Foundation
import Ledger
import TestSupport
import Testing

/// The commit an improve run makes is titled by what changed: when the model's summary says nothing
/// ("Done."), the goal is the subject.
@Suite struct CommitSubjectTests {
  let dir = TempDir("subject")
  var repo: String { dir.file("repo") }

  init() throws {
    try dir.write("repo/calc.sh", "add() { echo $(( $1 + $2 )); }\n")
    try dir.write("repo/test.sh", ". ./calc.sh\n[ \"$(add 2 3)\" = 5 ] && echo PASS\n")
    try dir.write("repo/Makefile", "test:\n\tsh test.sh\n")
    try GitFixture.sh("git init -q -b main && git add -A && git -c user.name=t -c user.email=t@t commit -qm init", cwd: repo)
  }

  @Test func doneIsNotASubject() async throws {
    let server = try LoopbackServer([
      .sse(SSEBuilder.turn(blocks: [.toolUse(id: "t1", name: "Bash", input: ["command": "echo 'mul() { echo $(( $1 * $2 )); }' >> calc.sh"])], stopReason: "tool_use")),
      .sse(SSEBuilder.text("Done.")),
    ])
    let r = try await CLIRunner.run(
      ["improve", "add a mul function to calc.sh"],
      env: ["ARRAKIS_DB": dir.file("ledger.db"), "ANTHROPIC_API_KEY": "sk-test", "ANTHROPIC_BASE_URL": server.baseURL,
            "XDG_STATE_HOME": dir.file("state"), "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"],
      cwd: repo)
    #expect(r.status == 0, "\(r.stderr)")
    let session = try #require(try Ledger.open(path: dir.file("ledger.db")).listSessions(SessionFilter(systemType: .improve)).first)
    let subject = try GitFixture.sh("git log -1 --format=%s arrakis/improve/\(session.id.prefix(8))", cwd: repo)
    #expect(subject.trimmingCharacters(in: .whitespacesAndNewlines) == "add a mul function to calc.sh")
  }
}
