import Foundation
import TestSupport
import Testing

/// What ships beside the binary: completions (regenerated here and compared: cheap), and `make install`
/// of the built binary into a temporary prefix. Man pages are checked by `make check-generated` in CI,
/// because regenerating them runs the argument-parser plugin (a package build of its own).
@Suite struct GeneratedFilesTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized.path

  @Test(arguments: [("bash", "arrakis.bash"), ("zsh", "_arrakis"), ("fish", "arrakis.fish")])
  func completionsAreUpToDate(shell: String, file: String) async throws {
    let r = try await CLIRunner.run(["--generate-completion-script", shell])
    #expect(r.status == 0)
    let committed = try String(contentsOfFile: Self.root + "/completions/" + file, encoding: .utf8)
    #expect(r.stdout == committed, "completions/\(file) is out of date: run 'make completions' and commit")
  }

  /// `BIN=` installs the binary the tests already built, so no release build is triggered.
  @Test func installAndUninstallIntoAPrefix() async throws {
    let prefix = TempDir("prefix")
    let args = ["-C", Self.root, "--no-print-directory", "BIN=\(CLIRunner.binaryPath)", "PREFIX=\(prefix.path)", "DESTDIR="]
    let install = try await Thread.detachedRun("/usr/bin/make", args + ["install"])
    #expect(install.status == 0, "\(install.output)")
    let expected = [
      "bin/arrakis", "share/man/man1/arrakis.1", "share/man/man1/arrakis-ask.1", "share/man/man1/arrakis-config.1",
      "share/bash-completion/completions/arrakis", "share/zsh/site-functions/_arrakis",
      "share/fish/vendor_completions.d/arrakis.fish",
    ]
    for path in expected { #expect(FileManager.default.fileExists(atPath: prefix.file(path)), "\(path) not installed") }
    let version = try await Thread.detachedRun(prefix.file("bin/arrakis"), ["--version"])
    #expect(version.status == 0)

    let uninstall = try await Thread.detachedRun("/usr/bin/make", args + ["uninstall"])
    #expect(uninstall.status == 0, "\(uninstall.output)")
    for path in expected { #expect(!FileManager.default.fileExists(atPath: prefix.file(path)), "\(path) left behind") }
  }
}
