import Foundation
import TestSupport
import Testing

@testable import Agent
@testable import ArrakisCore

/// A command starts with every signal at its default and none blocked, as from a shell: the guardian
/// (Sources/CSystem/Guardian.c) is started with posix_spawn, whose glibc leaves its own two signals (32
/// and 33, below SIGRTMIN) ignored, and an ignored signal stays ignored across exec.
@Suite struct SignalDispositionTests {
  static let report = "grep -E '^Sig(Ign|Blk):' /proc/self/status"

  /// The signal numbers set in the hexadecimal mask of the line `name` ("SigIgn") of `status`, or nil.
  static func signals(_ name: String, in status: String) -> [Int]? {
    let line = status.split(separator: "\n").first { $0.hasPrefix(name + ":") }
    guard let hex = line?.split(separator: "\t").last, let mask = UInt64(hex, radix: 16) else { return nil }
    return (1...64).filter { mask & (1 << UInt64($0 - 1)) != 0 }
  }

  /// What the test process itself has, for the message: the command must not inherit any of it either.
  static var ours: String { (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)).map { status in
    "this test process: ignored \(signals("SigIgn", in: status) ?? []), blocked \(signals("SigBlk", in: status) ?? [])"
  } ?? "" }

  @Test(arguments: [false, true])
  func aCommandStartsWithNoSignalIgnoredOrBlocked(isolated: Bool) throws {
    let r = ProcessRunner.runSync(["bash", "-c", Self.report], timeoutMs: 20_000, isolated: isolated)
    #expect(r.exitCode == 0, "\(r)")
    let ignored = try #require(Self.signals("SigIgn", in: r.output), "no SigIgn in \(r.output)")
    let blocked = try #require(Self.signals("SigBlk", in: r.output), "no SigBlk in \(r.output)")
    #expect(ignored.isEmpty, "isolated: \(isolated): the command starts with signals \(ignored) ignored (\(Self.ours))")
    #expect(blocked.isEmpty, "isolated: \(isolated): the command starts with signals \(blocked) blocked (\(Self.ours))")
  }

  /// What a user would see: signal 33, at its default, ends the shell that sends it to itself, and the
  /// guardian reports that death as the command's own (exit 128 + 33), not an exit after "survived".
  @Test(arguments: [false, true])
  func signal33EndsTheCommandAsItsDefaultSays(isolated: Bool) {
    let r = ProcessRunner.runSync(["bash", "-c", "kill -33 $$; echo survived"], timeoutMs: 20_000, isolated: isolated)
    #expect(!r.output.contains("survived"), "isolated: \(isolated): \(r.output)")
    #expect(r.signal == 33 && r.exitCode == 128 + 33, "isolated: \(isolated): \(r)")
  }

  /// The same through the Bash tool (the policy sandbox: isolated where the kernel allows).
  @Test func theBashToolsCommandHasNoSignalIgnoredOrBlocked() async throws {
    let ws = TempWorkspace()
    let o = await call("Bash", ["command": .string(Self.report)], ws.context())
    #expect(!o.isError, "\(o.text)")
    let ignored = try #require(Self.signals("SigIgn", in: o.text), "no SigIgn in \(o.text)")
    let blocked = try #require(Self.signals("SigBlk", in: o.text), "no SigBlk in \(o.text)")
    #expect(ignored.isEmpty && blocked.isEmpty, "ignored \(ignored), blocked \(blocked) (\(Self.ours))")
  }
}
