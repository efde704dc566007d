import ArrakisCore
import Foundation
import TestSupport
import Testing

/// libgit2 is loaded on first use, not linked (Sources/CGit2/Loader.c): a command that never opens a
/// repository runs on a machine without it, and one that does says what to install, with git's exit status.
/// "Without libgit2" is a bubblewrap mount namespace in which every libgit2 file on the system reads as empty.
@Suite(.enabled(if: bubblewrapRuns, "needs bubblewrap to hide libgit2"))
struct LazyLibraryTests {
  let dir = TempDir("lazy-library")

  /// Every libgit2 file the dynamic loader could find, in the usual library folders.
  static var libgit2Files: [String] {
    let folders = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib", "/usr/local/lib", "/lib", "/lib64"]
    return folders.flatMap { folder in
      ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
        .filter { $0.hasPrefix("libgit2.so") }.map { folder + "/" + $0 }
    }
  }

  func withoutLibgit2(_ args: [String]) throws -> CLIResult {
    let hidden = Self.libgit2Files
    try #require(!hidden.isEmpty, "no libgit2 on this machine to hide")
    let out = dir.file("out"), err = dir.file("err")
    FileManager.default.createFile(atPath: out, contents: nil)
    FileManager.default.createFile(atPath: err, contents: nil)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["bwrap", "--bind", "/", "/", "--dev", "/dev"] + hidden.flatMap { ["--ro-bind", "/dev/null", $0] }
      + ["--", CLIRunner.binaryPath] + args
    p.environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": dir.path,
                     "ARRAKIS_DB": dir.file("ledger.db")]
    p.currentDirectoryURL = URL(fileURLWithPath: dir.path)
    p.standardInput = FileHandle.nullDevice
    p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
    p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
    try p.run()
    p.waitUntilExit()
    return CLIResult(stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                     stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "", status: p.terminationStatus)
  }

  @Test func commandsWithoutARepositoryRunWithoutLibgit2() throws {
    let version = try withoutLibgit2(["--version"])
    #expect(version.status == 0, "\(version.stderr)")
    #expect(version.stdout == ArrakisVersion.string + "\n")
    let log = try withoutLibgit2(["log"])
    #expect(log.status == 0, "\(log.stderr)")
    #expect(log.stderr.contains("no sessions recorded"))
  }

  @Test func aCommandThatNeedsLibgit2SaysWhatToInstall() throws {
    let repo = dir.file("repo")
    try GitFixture.sh("git init -q . && echo a > a.txt && git add a.txt && git commit -qm one", cwd: repo)
    let r = try withoutLibgit2(["analyze", "--no-model", repo])
    #expect(r.status == 10, "\(r.stdout)\n\(r.stderr)")
    #expect(r.stderr.contains("cannot load libgit2"))
    #expect(r.stderr.contains("apt-get install libgit2-"))
  }
}
