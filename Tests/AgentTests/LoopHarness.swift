import ArrakisCore
import Claude
import Foundation
import Ledger
import TestSupport
import Testing

@testable import Agent

/// A git repository with a bug, a real ledger file beside it, and the loop run in-process over them.
final class LoopHarness {
  let ws = TempWorkspace()
  let ledgerDir: String
  let ledger: Ledger

  init() throws {
    ledgerDir = NSTemporaryDirectory() + "/arrakis-loop-ledger-\(UUID().uuidString)"
    ledger = try Ledger.open(path: ledgerDir + "/ledger.db")
    ws.write("calc.sh", "add() { echo $(( $1 - $2 )); }\n")
    ws.write("test.sh", ". ./calc.sh\n[ \"$(add 2 3)\" = 5 ] && echo PASS || { echo FAIL add; exit 1; }\n")
    ws.write("notes.txt", "v1\n")
    try GitFixture.sh("git init -q -b main && git add -A && git commit -qm init", cwd: ws.root)
  }

  deinit { try? FileManager.default.removeItem(atPath: ledgerDir) }

  func run(_ model: ModelSource, prompt: String = "fix add", level: PermissionLevel = .fullAccess, maxTurns: Int = 10,
           budget: Double? = nil) async throws -> AgentResult {
    let options = AgentOptions(model: "claude-sonnet-4-6", maxTurns: maxTurns, maxBudgetUSD: budget,
                               policy: PermissionPolicy(level: level, askAbove: nil))
    let loop = AgentLoop(ledger: ledger, model: model, tools: ws.context(), options: options,
                         workspace: WorkspaceContext(root: ws.root, gitBranch: "main"))
    return try await loop.run(prompt: prompt)
  }

  func session(_ id: String) throws -> SessionRow { try ledger.session(idOrPrefix: id) }
}
