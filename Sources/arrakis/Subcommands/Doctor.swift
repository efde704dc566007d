import Agent
import ArgumentParser
import ArrakisCore
import FoundationEssentials
import Glibc
import Ledger

/// `arrakis doctor`: is this machine ready? One line per check; never prints the key.
struct Doctor: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "doctor",
    _superCommandName: "arrakis",  // parsed as the root for speed: Support/DirectSubcommand.swift
    abstract: "Check the API key, the API's reachability, the ledger, git, bubblewrap and rg.",
    discussion: """
      One line per check: ok, warn (optional, arrakis works without it) or fail \
      (required). The key is reported as set or missing, never shown. The API \
      check opens a connection to ANTHROPIC_BASE_URL (or the proxy libcurl would \
      use) and sends nothing. Exit status: 0 when every required check passes; \
      otherwise the code of the first failed one: 3 no API key, 7 the API is \
      unreachable, 9 the ledger, 10 git.
      """)

  @Flag(name: .long, help: "Print one JSON object: {ok, checks: [{name, status, detail, required}]}.")
  var json = false

  @OptionGroup var ledger: LedgerOptions

  struct Check: Encodable {
    enum Status: String, Encodable { case ok, warn, fail }
    var name: String
    var status: Status
    var detail: String
    var required: Bool
    /// The exit code a failure of this check stands for.
    var code: ExitStatus

    enum CodingKeys: String, CodingKey { case name, status, detail, required }
  }

  struct Report: Encodable {
    var ok: Bool
    var checks: [Check]
  }

  func run() async throws {
    let env = Environment()
    let checks = [key(env), api(env), ledgerCheck(), git(), bubblewrap(), ripgrep()]
    let failed = checks.first { $0.status == .fail && $0.required }
    if json {
      Output.out(try JSONOutput.string(Report(ok: failed == nil, checks: checks)) + "\n")
    } else {
      let color = env.useColor(fileDescriptor: STDOUT_FILENO)
      for c in checks { Output.out(line(c, color: color) + "\n") }
    }
    if let failed { throw ExitCode(failed.code.rawValue) }
  }

  func line(_ c: Check, color: Bool) -> String {
    let label = Format.pad(c.status.rawValue, 5)
    let painted = !color ? label : c.status == .ok ? "\u{1B}[32m\(label)\u{1B}[0m" : c.status == .warn ? "\u{1B}[33m\(label)\u{1B}[0m" : "\u{1B}[31m\(label)\u{1B}[0m"
    return "\(painted) \(Format.pad(c.name, 11)) \(c.detail)"
  }

  func key(_ env: Environment) -> Check {
    guard let key = env["ANTHROPIC_API_KEY"] else {
      return Check(name: "API key", status: .fail, detail: "ANTHROPIC_API_KEY is not set: export ANTHROPIC_API_KEY=sk-ant-… (analyze --no-model and log work without it)", required: true, code: .configuration)
    }
    let shaped = key.hasPrefix("sk-ant-") ? "" : "; it does not start with sk-ant-, check that it is an Anthropic key"
    return Check(name: "API key", status: shaped.isEmpty ? .ok : .warn, detail: "ANTHROPIC_API_KEY is set (\(key.count) characters, not shown)\(shaped)", required: true, code: .configuration)
  }

  func api(_ env: Environment) -> Check {
    let base = env["ANTHROPIC_BASE_URL"] ?? "https://api.anthropic.com"
    guard let target = Reachability.target(baseURL: base, environment: env.values) else {
      return Check(name: "API", status: .fail, detail: "ANTHROPIC_BASE_URL=\(base) is not a URL", required: true, code: .network)
    }
    let via = target.via.map { " \($0)" } ?? ""
    switch Reachability.connect(target) {
    case .success(let ms):
      return Check(name: "API", status: .ok, detail: "\(base) reachable\(via) (\(target.host):\(target.port), \(ms) ms)", required: true, code: .network)
    case .failure(let e):
      return Check(name: "API", status: .fail, detail: "\(base) unreachable\(via): \(e.message); check the network, HTTPS_PROXY and ANTHROPIC_BASE_URL", required: true, code: .network)
    }
  }

  func ledgerCheck() -> Check {
    do {
      let location = try ledger.location()
      if location.isServer {
        // Connecting is the check: unreachable or refused credentials are the errors below, with libpq's reason.
        let sessions = try ledger.openIfExists()?.countSessions()
        return Check(
          name: "ledger", status: .ok,
          detail: "PostgreSQL \(location.display) (" + (sessions.map { "\($0) sessions" } ?? "no ledger yet; the first run creates it") + ")",
          required: true, code: .ledger)
      }
      guard let db = try ledger.openIfExists() else {
        let folder = location.path.deletingLastPathComponent
        let creatable = location.isDefault || FileManager.default.fileExists(atPath: folder)
        return Check(
          name: "ledger", status: creatable ? .ok : .fail,
          detail: creatable ? "\(location.path) (not created yet; the first run creates it)" : "\(location.path): the folder \(folder) does not exist",
          required: true, code: .ledger)
      }
      let sessions = try db.countSessions()
      let writable = FileManager.default.isWritableFile(atPath: location.path)
      return Check(
        name: "ledger", status: writable ? .ok : .fail,
        detail: "\(location.path) (\(sessions) sessions, \(Format.bytes(db.sizeOnDisk().bytes)))" + (writable ? "" : ": not writable"),
        required: true, code: .ledger)
    } catch let e as ArrakisError {
      return Check(name: "ledger", status: .fail, detail: e.message, required: true, code: e.status == .usage ? .usage : .ledger)
    } catch {
      return Check(name: "ledger", status: .fail, detail: "\(error)", required: true, code: .ledger)
    }
  }

  func git() -> Check {
    guard let path = ProcessRunner.which("git") else {
      return Check(name: "git", status: .fail, detail: "git is not on PATH: install it (apt-get install git)", required: true, code: .git)
    }
    let r = ProcessRunner.runSync([path, "--version"], timeoutMs: 10_000)
    let version = r.output.trimmed
    return Check(name: "git", status: r.exitCode == 0 ? .ok : .fail, detail: r.exitCode == 0 ? version : "\(path) --version failed: \(version)", required: true, code: .git)
  }

  func bubblewrap() -> Check {
    switch Bubblewrap.availability {
    case .available(let path):
      return Check(name: "bubblewrap", status: .ok, detail: "\(path): --sandbox os works", required: false, code: .configuration)
    case .unavailable(let reason):
      return Check(name: "bubblewrap", status: .warn, detail: "\(reason) (needed only for --sandbox os)", required: false, code: .configuration)
    }
  }

  func ripgrep() -> Check {
    guard let path = ProcessRunner.which("rg") else {
      return Check(name: "rg", status: .warn, detail: "ripgrep is not on PATH: Grep uses its built-in search, slower on large trees (apt-get install ripgrep)", required: false, code: .configuration)
    }
    let r = ProcessRunner.runSync([path, "--version"], timeoutMs: 10_000)
    return Check(name: "rg", status: .ok, detail: r.output.split(separator: "\n").first.map(String.init) ?? path, required: false, code: .configuration)
  }
}
