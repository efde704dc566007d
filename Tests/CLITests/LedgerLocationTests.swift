import Foundation
import Ledger
import TestSupport
import Testing

/// Where the ledger is: a path or `file:` URL is a SQLite file, a postgresql:// URL a server, any other URL
/// is refused before anything is created, and a folder the user named is never created behind their back.
@Suite struct LedgerLocationTests {
  let dir = TempDir("location")

  func log(_ args: [String], db: String) async throws -> CLIResult {
    try await CLIRunner.run(["log"] + args, env: ["ARRAKIS_DB": db], cwd: dir.path)
  }

  func entries() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: dir.path) }

  /// A PostgreSQL URL names a server, never a file: with no server there (`.example` never resolves) the
  /// commands fail with the ledger's exit status naming it, and nothing appears in the current folder.
  @Test(arguments: ["postgresql://arrakis@db.example/arrakis", "postgres://db.example:5433/arrakis"])
  func aPostgresURLIsAServerNotAFile(url: String) async throws {
    for args in [["stats"], ["backup", dir.file("copy.db")]] {
      let r = try await log(args, db: url)
      #expect(r.status == 9, "\(args): \(r.stderr)")
      #expect(r.stderr.contains("PostgreSQL server at db.example:"), "\(r.stderr)")
    }
    #expect(try await log(["path"], db: url).stdout == url + "\n")
    let ask = try await CLIRunner.run(["ask", "hi"], env: ["ARRAKIS_DB": url, "ANTHROPIC_API_KEY": "sk-test-0123456789"], cwd: dir.path)
    #expect(ask.status == 9, "\(ask.stderr)")
    let created = try entries()
    #expect(created.isEmpty, "created \(created)")
  }

  @Test func anotherSchemeIsRefused() async throws {
    let r = try await log(["stats"], db: "mysql://localhost/arrakis")
    #expect(r.status == 2)
    #expect(r.stderr.contains("unsupported ledger URL scheme 'mysql:'"), "\(r.stderr)")
    #expect(try entries().isEmpty)
  }

  @Test func aFileURLAndAPathAreTheSameSQLiteFile() async throws {
    let path = dir.file("ledger.db")
    _ = try Ledger.open(path: path).startSession(NewSession(systemType: .ask, workspace: dir.path, prompt: "hello"))
    let viaURL = try await log(["--json"], db: "file://" + path)
    #expect(viaURL.status == 0, "\(viaURL.stderr)")
    #expect(viaURL.stdout.contains("hello"))
    #expect(try await log(["path"], db: "file:" + path).stdout == path + "\n")
    // A colon inside a file name is not a scheme.
    #expect(try await log(["path"], db: "notes:v2.db").stdout == "notes:v2.db\n")
  }

  @Test func aMissingFolderIsNotCreatedForAnExplicitPath() async throws {
    let typo = dir.file("no-such-folder/deeper/arrakis.db")
    let r = try await CLIRunner.run(["log", "backup", dir.file("copy.db")], env: ["ARRAKIS_DB": typo], cwd: dir.path)
    #expect(r.status == 2, "\(r.stderr)")  // nothing to back up: no ledger there
    let ask = try await CLIRunner.run(["ask", "hi"], env: ["ARRAKIS_DB": typo, "ANTHROPIC_API_KEY": "sk-test-0123456789"], cwd: dir.path)
    #expect(ask.status == 9, "\(ask.stderr)")
    #expect(ask.stderr.contains("the folder \(dir.file("no-such-folder/deeper")) does not exist"), "\(ask.stderr)")
    #expect(ask.stderr.contains("ARRAKIS_DB"))
    #expect(!FileManager.default.fileExists(atPath: dir.file("no-such-folder")))
  }

  @Test func theDefaultFolderIsCreatedAndAnUncreatableOneIsSaidPlainly() async throws {
    let server = try LoopbackServer([.sse(SSEBuilder.text("hi"))])
    let env = ["XDG_DATA_HOME": dir.file("xdg"), "ANTHROPIC_BASE_URL": server.baseURL, "ANTHROPIC_API_KEY": "sk-test-0123456789"]
    let ok = try await CLIRunner.run(["ask", "hello there"], env: env, cwd: dir.path)
    #expect(ok.status == 0, "\(ok.stderr)")
    #expect(FileManager.default.fileExists(atPath: dir.file("xdg/arrakis/arrakis.db")))
    // A file where the data folder should be: no Foundation error codes in the message.
    try dir.write("blocker", "")
    let bad = try await CLIRunner.run(["ask", "hello there"], env: ["XDG_DATA_HOME": dir.file("blocker/sub"), "ANTHROPIC_API_KEY": "sk-test-0123456789"], cwd: dir.path)
    #expect(bad.status == 9, "\(bad.stderr)")
    #expect(bad.stderr.contains("cannot create the ledger's folder"), "\(bad.stderr)")
    #expect(!bad.stderr.contains("NSCocoaErrorDomain") && !bad.stderr.contains("Error Domain"), "\(bad.stderr)")
  }

  /// `db` in the user's config.toml names the ledger when neither --db nor ARRAKIS_DB does (a relative path
  /// from the file's folder); a repository's .arrakis.toml cannot move it, and says so.
  @Test func theUsersConfigFileNamesTheLedgerARepositorysCannot() async throws {
    let config = dir.file("xdg/arrakis")
    try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true)
    try "db = \"team.db\"\n".write(toFile: config + "/config.toml", atomically: true, encoding: .utf8)
    let repo = dir.file("repo")
    try FileManager.default.createDirectory(atPath: repo, withIntermediateDirectories: true)
    try "db = \"postgresql://attacker.example/loot\"\n".write(toFile: repo + "/.arrakis.toml", atomically: true, encoding: .utf8)
    _ = try Ledger.open(path: config + "/team.db").startSession(NewSession(systemType: .ask, workspace: repo, prompt: "from the team file"))
    let env = ["XDG_CONFIG_HOME": dir.file("xdg")]

    let path = try await CLIRunner.run(["log", "path"], env: env, cwd: repo)
    #expect(path.stdout == config + "/team.db\n", "\(path.stderr)")
    let listed = try await CLIRunner.run(["log", "--json"], env: env, cwd: repo)
    #expect(listed.status == 0, "\(listed.stderr)")
    #expect(listed.stdout.contains("from the team file"))
    let shown = try await CLIRunner.run(["config"], env: env, cwd: repo)
    #expect(shown.stdout.contains("ledger:    SQLite \(config)/team.db"), "\(shown.stdout)")
    #expect(shown.stdout.contains("config.toml:1"), "\(shown.stdout)")
    #expect(!shown.stdout.contains("attacker"), "\(shown.stdout)")
    #expect(shown.stderr.contains("db is ignored in a repository's file"), "\(shown.stderr)")
    // ARRAKIS_DB still wins over the file.
    let overridden = try await CLIRunner.run(["log", "path"], env: env.merging(["ARRAKIS_DB": dir.file("other.db")]) { $1 }, cwd: repo)
    #expect(overridden.stdout == dir.file("other.db") + "\n")
  }
}
