import ArrakisCore
import Foundation
import Ledger
import TestSupport
import Testing

/// One improvement queue for every clone of a project: two clones (origin spelled two ways, as on two
/// machines) sharing one ledger file see the analysis one of them recorded, and two `improve --next` runs
/// at the same time take different improvements. The overlap is made certain rather than left to timing:
/// the laptop's run claims its improvement, then waits (`--wait`) for its repository's lock, which the test
/// holds, while the runner's run picks; the improvement the first took is still `open` meanwhile.
@Suite(.serialized) struct ImproveQueueTests {
  let dir = TempDir("improve-queue")
  /// The shared ledger: a SQLite file, or a database on the test PostgreSQL server (where one can be had;
  /// .ci/run always has one), whose `FOR UPDATE SKIP LOCKED` is the claim.
  static let engines = ["sqlite"] + (PostgresServer.isAvailable ? ["postgres"] : [])

  func ledgerLocation(_ engine: String) throws -> String {
    engine == "postgres" ? try PostgresServer.shared().makeDatabase("queue") : dir.file("ledger.db")
  }

  init() throws {
    try dir.write("upstream/calc.sh", "add() { echo $(( $1 + $2 )); }\n")
    try dir.write("upstream/Makefile", "test:\n\t@echo PASS\n")
    try GitFixture.sh("git init -q -b main && git add -A && git commit -qm init", cwd: dir.file("upstream"))
    try GitFixture.sh("""
      git clone -q upstream laptop && git -C laptop remote set-url origin git@github.com:team/calc.git
      git clone -q upstream runner && git -C runner remote set-url origin https://github.com/team/calc
      """, cwd: dir.path)
  }

  func improveNext(from clone: String, db: String, wait: Bool = false) async throws -> CLIResult {
    try await CLIRunner.run(
      ["improve", "--next", "--setup-only", "--json"] + (wait ? ["--wait"] : []),
      env: ["ARRAKIS_DB": db, "ANTHROPIC_API_KEY": "sk-test", "XDG_STATE_HOME": dir.file("state-\(clone)")],
      cwd: dir.file(clone), timeout: 300)
  }

  @Test(arguments: engines)
  func twoClonesRunningNextTogetherTakeDifferentImprovements(engine: String) async throws {
    let db = try ledgerLocation(engine)
    // The analysis the runner's clone recorded, filed under the project's identity.
    let root = try GitFixture.sh("git rev-list --max-parents=0 HEAD", cwd: dir.file("runner"))
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let ledger = try Ledger.open(path: db)
    let analysis = try ledger.insertAnalysis(
      sessionID: nil, workspace: dir.file("runner"), repository: "github.com/team/calc@\(root)", headCommit: root,
      signals: nil, summary: nil)
    try ledger.insertImprovements([
      ImprovementRow(id: "q1", analysisID: analysis, title: "medium", impact: "3", risk: "1", effort: "small"),
      ImprovementRow(id: "q2", analysisID: analysis, title: "best", impact: "5", risk: "1", effort: "small"),
      ImprovementRow(id: "q3", analysisID: analysis, title: "worst", impact: "1", risk: "5", effort: "large"),
    ])

    // The laptop's improve lock, held as another improve on the laptop would hold it.
    let lockDir = dir.file("laptop/.git/arrakis")
    try FileManager.default.createDirectory(atPath: lockDir, withIntermediateDirectories: true)
    let fd = open(lockDir + "/improve.lock", O_RDWR | O_CREAT, 0o644)
    defer { close(fd) }
    #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)

    // A run refused before it starts (the lock is taken, no --wait) gives its claim back.
    let refused = try await improveNext(from: "laptop", db: db)
    #expect(refused.status == 12, "\(refused.stderr)")
    let back = try #require(try ledger.improvement(id: "q2"))
    #expect(back.status == .open && back.claimedBy == nil, "\(back)")

    async let fromLaptop = improveNext(from: "laptop", db: db, wait: true)
    // Generous: on a loaded machine starting the process alone can take a while.
    let deadline = Date().addingTimeInterval(240)
    // Task.sleep, not usleep: a blocked cooperative thread could keep the laptop's run from ever starting.
    while try ledger.improvement(id: "q2")?.claimedBy == nil && Date() < deadline { try await Task.sleep(nanoseconds: 20_000_000) }
    let held = try ledger.improvement(id: "q2")
    let waiting = held?.status == .open && held?.claimedBy != nil
    if !waiting { flock(fd, LOCK_UN) }  // let the laptop's run end before failing
    try #require(waiting, "the laptop's run claimed the best one and waits: \(String(describing: held))")
    let b = try await improveNext(from: "runner", db: db)
    flock(fd, LOCK_UN)
    let a = try await fromLaptop
    #expect(a.status == 0, "laptop: \(a.stderr)")
    #expect(b.status == 0, "runner: \(b.stderr)")
    let taken = try [a, b].map { r -> String in
      let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout)")
      return try #require(report["improvement_id"] as? String, "\(r.stdout)")
    }
    #expect(taken == ["q2", "q1"], "the best to the laptop, the next to the runner: \(taken)")
    for id in ["q1", "q2"] {
      let row = try #require(try ledger.improvement(id: id))
      #expect(row.status == .attempted)
      // The claim ended with the run's own session, which is finished.
      let holder = try #require(row.claimedBy)
      #expect(try ledger.session(idOrPrefix: holder).status == .success)
    }

    // What is left goes to the next run, from either clone; then the queue is empty.
    let third = try await improveNext(from: "laptop", db: db)
    #expect(third.status == 0 && third.stdout.contains("\"q3\""), "\(third.stdout) \(third.stderr)")
    let fourth = try await improveNext(from: "runner", db: db)
    #expect(fourth.status == 2 && fourth.stderr.contains("no open improvement"), "\(fourth.status) \(fourth.stderr)")
  }
}
