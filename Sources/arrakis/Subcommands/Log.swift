import ArgumentParser
import ArrakisCore
import FoundationEssentials
import Glibc
import Ledger

struct Log: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "log",
    _superCommandName: "arrakis",  // parsed as the root for speed: Support/DirectSubcommand.swift
    abstract: "Read the ledger: recent runs, transcripts, stats, insights; back it up and prune it.",
    subcommands: [LogList.self, LogShow.self, LogStats.self, LogInsights.self, LogBackup.self, LogPrune.self, LogRecost.self, LogCopy.self, LogPath.self],
    defaultSubcommand: LogList.self)
}

struct LogList: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List recent sessions, newest first (the default).")

  @Option(name: [.customShort("n"), .customLong("limit")], help: "How many sessions.")
  var n: Int = 10

  @Option(name: .long, help: ArgumentHelp("Only this subcommand: ask, code, analyze, improve, rollback.", valueName: "system"), completion: .list(SystemType.known.map(\.rawValue)))
  var system: String?

  @Option(name: .long, help: ArgumentHelp("Only sessions since: 90.days, 12h, 2026-11-01.", valueName: "when"))
  var since: String?

  @Option(name: .long, help: ArgumentHelp("Only sessions in this workspace (a path; . for here).", valueName: "path"))
  var workspace: String?

  @Option(name: .long, help: ArgumentHelp("Only sessions with this status: running, success, failed, interrupted.", valueName: "status"), completion: .list(SessionStatus.known.map(\.rawValue)))
  var status: String?

  @Option(name: .customShort("q"), help: ArgumentHelp("Only sessions whose messages contain these words (full-text).", valueName: "text"))
  var query: String?

  @Flag(name: .long, help: "Print a JSON array.")
  var json = false

  @Flag(name: .long, help: "Print one JSON object per line.")
  var jsonl = false

  @OptionGroup var ledger: LedgerOptions

  func validate() throws {
    guard n > 0 else { throw ValidationError("-n must be a positive number") }
    if let s = system, !SystemType.known.contains(SystemType(s)) {
      throw ValidationError("unknown --system '\(s)'; use one of: \(SystemType.known.map(\.rawValue).joined(separator: ", "))")
    }
    if let s = status, !SessionStatus.known.contains(SessionStatus(s)) {
      throw ValidationError("unknown --status '\(s)'; use one of: \(SessionStatus.known.map(\.rawValue).joined(separator: ", "))")
    }
  }

  /// The filters as given, for "no sessions match --system code --since 1.day".
  var filterWords: [String] {
    [("--system", system), ("--since", since), ("--workspace", workspace), ("--status", status), ("-q", query)]
      .compactMap { flag, value in value.map { "\(flag) \($0.contains(" ") ? "'\($0)'" : $0)" } }
  }

  func run() async throws {
    try await reportingErrors(json: json || jsonl) {
      var filter = SessionFilter(limit: n, text: query)
      filter.systemType = system.map { SystemType($0) }
      filter.status = status.map { SessionStatus($0) }
      if let since { filter.since = try TimeWindow.parseSince(since) }
      if let workspace { filter.workspace = Workspace.detect(from: workspace).root }
      // One copy of the environment for the location, the messages and the colour choice.
      let environment = Environment()
      // Reading never creates a ledger: a missing file is an empty record.
      let db = try ledger.openReadOnly(environment: environment)
      let rows = try db?.listSessions(filter) ?? []
      if json {
        Output.out(try JSONOutput.string(rows) + "\n")
      } else if jsonl {
        Output.out(try rows.map { try JSONOutput.string($0) + "\n" }.joined())
      } else if rows.isEmpty {
        let total = try db?.countSessions() ?? 0
        if total > 0 && !filterWords.isEmpty {
          Output.err("no sessions match \(filterWords.joined(separator: " ")) (the ledger at \(ledger.path(environment: environment)) holds \(total))\n")
        } else {
          Output.err("no sessions recorded in \(ledger.path(environment: environment))\n")
        }
      } else {
        Output.out(SessionTable.render(rows, color: environment.useColor(fileDescriptor: STDOUT_FILENO)))
      }
    }
  }
}

struct LogShow: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show", abstract: "Print a whole session: transcript, tool operations, modifications.")

  @Argument(help: "A session id or a unique prefix of one.", completion: Completions.sessionIDs)
  var id: String

  @Flag(name: .long, help: "Print one JSON object.")
  var json = false

  @OptionGroup var ledger: LedgerOptions

  func run() async throws {
    try await reportingErrors(json: json) {
      let db = try ledger.existingReadOnly()
      let session = try db.session(idOrPrefix: id)
      let messages = try db.messages(sessionID: session.id)
      let tools = try db.toolOperations(sessionID: session.id)
      let mods = try db.selfModifications(sessionID: session.id)
      if json {
        let record = SessionRecord(session: session, messages: messages, toolOperations: tools, selfModifications: mods)
        Output.out(try JSONOutput.string(record) + "\n")
      } else {
        Output.out(Transcript.render(session: session, messages: messages, tools: tools, modifications: mods))
      }
    }
  }

  struct SessionRecord: Encodable {
    var session: SessionRow
    var messages: [MessageRow]
    var toolOperations: [ToolOperationRow]
    var selfModifications: [SelfModificationRow]
  }
}

struct LogPath: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "path", abstract: "Print the ledger's path.")

  @OptionGroup var ledger: LedgerOptions

  func run() async throws {
    try await reportingErrors { Output.out(try ledger.location().display + "\n") }
  }
}
