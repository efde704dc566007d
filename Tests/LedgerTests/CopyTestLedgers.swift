import ArrakisCore
import Foundation
import TestSupport
@testable import Ledger

/// A ledger written by real `arrakis` runs against the loopback Messages API, holding a row in every
/// table: two asks (the second --continue'd, so a parent link), an analyze with the model (an analysis,
/// two improvements, commit stats), an `improve --next` (a kept self-modification of one of them, tool
/// operations) and a `code` run whose tool operation points at its message. Built once per test process;
/// each test takes its own copy (`fresh`).
enum RealLedger {
  struct Failure: Error, CustomStringConvertible { var description: String }

  private static let built: Result<String, any Error> = Result { try build() }
  private static let home = TempDir("copy-real-ledger")

  /// A new file holding the template's records, at `path`.
  static func fresh(at path: String) throws -> Ledger {
    let template = try built.get()
    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Ledger.open(path: template).backup(to: path)
    return try Ledger.open(path: path)
  }

  /// The template's records in a new ledger of `engine` (a file in `dir`, or a new PostgreSQL database
  /// filled by a copy, which `CopyTests` checks on its own).
  static func fresh(_ engine: TestEngine, in dir: TempDir, name: String = "source") throws -> Ledger {
    let file = try fresh(at: dir.file("\(name).db"))
    guard engine == .postgres else { return file }
    let server = try Ledger.open(path: try freshLocation(.postgres))
    _ = try server.copy(from: file)
    return server
  }

  private static func build() throws -> String {
    let repo = home.file("repo"), db = home.file("template.db")
    try home.write("repo/calc.sh", "add() { echo $(( $1 + $2 )); }\nsub() { echo $(( $1 - $2 )); }\n")
    try home.write("repo/test.sh", ". ./calc.sh\n[ \"$(add 2 3)\" = 5 ] && echo PASS || { echo FAIL; exit 1; }\n")
    try home.write("repo/Makefile", "test:\n\tsh test.sh\n")
    _ = try GitFixture.sh("git init -q -b main && git add -A && git -c user.name=t -c user.email=t@t commit -qm init", cwd: repo)
    let server = try LoopbackServer()
    defer { server.stop() }
    let env = [
      "ARRAKIS_DB": db, "ANTHROPIC_API_KEY": "sk-test", "ANTHROPIC_BASE_URL": server.baseURL,
      "XDG_STATE_HOME": home.file("state"), "ARRAKIS_STALL_TIMEOUT": "5",
      "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t",
    ]
    func run(_ args: [String], _ responses: ScriptedResponse...) throws {
      for r in responses { server.enqueue(r) }
      let r = try CLIRunner.runBlocking(args, env: env, cwd: repo, timeout: 120)
      guard r.status == 0 else { throw Failure(description: "arrakis \(args.joined(separator: " ")) exited \(r.status): \(r.stderr)") }
    }
    func bash(_ id: String, _ command: String) -> ScriptedResponse {
      .sse(SSEBuilder.turn(blocks: [.toolUse(id: id, name: "Bash", input: ["command": .string(command)])], stopReason: "tool_use"))
    }
    try run(["ask", "2+2?"], .sse(SSEBuilder.text("Four.")))
    try run(["ask", "-c", "double it"], .sse(SSEBuilder.text("Eight.")))
    let proposals: JSONValue = ["improvements": [
      ["title": "Add mul() to calc.sh", "rationale": "Multiplication is missing.", "files": ["calc.sh"],
       "category": "readability", "impact": 4, "risk": 1, "effort": "small", "acceptance": "make test passes"],
      ["title": "Test sub()", "rationale": "sub() has no test.", "files": ["test.sh"],
       "category": "test", "impact": 3, "risk": 1, "effort": "small", "acceptance": "make test checks sub"],
    ]]
    try run(["analyze"], .sse(SSEBuilder.toolUse(id: "toolu_1", name: "record_improvements", input: proposals)))
    try run(["improve", "--next"], bash("t1", "echo 'mul() { echo $(( $1 * $2 )); }' >> calc.sh"),
            .sse(SSEBuilder.text("Add mul() to calc.sh\n\nMultiplication was missing.")))
    try run(["code", "--permission", "full-access", "what does calc.sh hold?"],
            .sse(SSEBuilder.turn(blocks: [.text("Let me look."), .toolUse(id: "t2", name: "Read", input: ["file_path": "calc.sh"])], stopReason: "tool_use")),
            .sse(SSEBuilder.text("add, sub and mul.")))
    return db
  }
}

/// Every table of a ledger in a form two ledgers, of either engine, can be compared in: integer ids, which
/// differ between them, are replaced by what they stand for (a message by session and seq, an analysis by
/// its natural key, a tool operation or self-modification by its rank in its session); only `columns`
/// (per table: those both ledgers have) are shown; JSON text is shown canonically (PostgreSQL's jsonb
/// keeps its own spacing and key order). Rows sorted, per table.
func naturalDump(_ ledger: Ledger, columns: [String: Set<String>]) throws -> [String: [String]] {
  try ledger.read("dump") { c in
    func all(_ table: String, _ order: String) throws -> [SQLRow] { try c.rows(sql: "SELECT * FROM \(table) ORDER BY \(order)") }
    func text(_ v: SQLValue?) -> String {
      switch v ?? .null {
      case .null: return "NULL"
      case .integer(let i): return "\(i)"
      case .real(let d): return "\(d)"
      case .text(let s): return "'\(canonicalJSON(s) ?? s)'"
      case .blob(let b): return "x\(b.map { String(format: "%02x", $0) }.joined())"
      }
    }
    func render(_ table: String, _ row: SQLRow, replace: [String: String] = [:]) -> String {
      let shown = columns[table] ?? []
      return (zip(row.columns, row.values).filter { shown.contains($0.0) && replace[$0.0] == nil }.map { "\($0.0)=\(text($0.1))" }
        + replace.map { "\($0.key)=\($0.value)" }).sorted().joined(separator: " ")
    }
    var out: [String: [String]] = [:]
    let messages = try all("messages", "session_id, seq")
    var messageKey: [Int64: String] = [:]
    for m in messages { messageKey[m["id"]] = "\(m["session_id"] as String)#\(m["seq"] as Int64)" }
    out["messages"] = messages.map { render("messages", $0) }
    let analyses = try all("analyses", "id")
    var analysisKey: [Int64: String] = [:]
    for a in analyses { analysisKey[a["id"]] = render("analyses", a) }
    out["analyses"] = analyses.map { render("analyses", $0) }
    out["improvements"] = try all("improvements", "id").map { row in
      render("improvements", row, replace: ["analysis_id": (row["analysis_id"] as Int64?).map { analysisKey[$0] ?? "?" } ?? "NULL"])
    }
    for table in ["tool_operations", "self_modifications"] {
      var rank: [String: Int] = [:]
      out[table] = try all(table, "session_id, id").map { row in
        let session: String = row["session_id"]
        rank[session, default: 0] += 1
        var replace = ["#rank": "\(rank[session]!)"]
        if table == "tool_operations" {
          replace["message_id"] = (row["message_id"] as Int64?).map { messageKey[$0] ?? "?" } ?? "NULL"
        }
        return render(table, row, replace: replace)
      }
    }
    out["sessions"] = try all("sessions", "id").map { render("sessions", $0) }
    out["commit_stats"] = try all("commit_stats", "commit_id, variant").map { render("commit_stats", $0) }
    return out.mapValues { $0.sorted() }
  }
}

/// JSON text in one spelling (sorted keys, no spaces); nil for text that is not a JSON object or array.
func canonicalJSON(_ text: String) -> String? {
  guard text.first == "{" || text.first == "[", let data = text.data(using: .utf8),
    let value = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
    let again = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])
  else { return nil }
  return String(decoding: again, as: UTF8.self)
}

/// Per table, the columns both ledgers have, without the integer ids (new in every ledger).
func commonColumns(_ a: Ledger, _ b: Ledger) throws -> [String: Set<String>] {
  func columns(_ l: Ledger) throws -> [String: Set<String>] {
    try l.copyRead("read the schema") { c in
      Dictionary(uniqueKeysWithValues: try LedgerCopier.tables.map { ($0, Set(try c.columns(of: $0))) })
    }
  }
  var common = try columns(a).merging(try columns(b)) { $0.intersection($1) }
  for table in ["messages", "tool_operations", "analyses", "self_modifications"] { common[table]?.remove("id") }
  return common
}

/// The tables whose records differ between `a` and `b`, with both sides' rows.
func differences(_ a: Ledger, _ b: Ledger) throws -> [String: (a: [String], b: [String])] {
  let columns = try commonColumns(a, b)
  let x = try naturalDump(a, columns: columns), y = try naturalDump(b, columns: columns)
  var out: [String: (a: [String], b: [String])] = [:]
  for table in LedgerCopier.tables where x[table] != y[table] { out[table] = (x[table] ?? [], y[table] ?? []) }
  return out
}

/// Rows per table, as `CopyReport` names them.
func rowCounts(_ ledger: Ledger) throws -> [String: Int] {
  try ledger.read("count") { c in
    Dictionary(uniqueKeysWithValues: try LedgerCopier.tables.map { ($0, try c.value(Int.self, sql: "SELECT count(*) FROM \($0)") ?? 0) })
  }
}
