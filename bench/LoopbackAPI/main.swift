import ArrakisCore
import Foundation
import TestSupport

// A zero-latency stand-in for the Messages API, for benchmarks and offline demos (the tests use the same
// server in-process). Prints its base URL on the first line of stdout, then serves until killed.
//
//   loopback-api text N          every request gets a text answer streamed in N deltas
//   loopback-api turns FILE      request k gets line k (cycling) of FILE, a JSONL of turns; each turn is a
//                                JSON array of blocks {"type":"text","text":…} / {"type":"tool_use","name":…,"input":…}
//   … --prompt-limit N           reject prompts over N tokens (body bytes / 4) like the API, and report
//                                every prompt's size in its usage, so a long session must compact to go on

func usage() -> Never {
  FileHandle.standardError.write(Data("usage: loopback-api text N | loopback-api turns FILE [--prompt-limit N]\n".utf8))
  exit(2)
}

var args = CommandLine.arguments.dropFirst()
var promptLimit: Int?
if let i = args.firstIndex(of: "--prompt-limit") {
  guard i + 1 < args.endIndex, let n = Int(args[i + 1]), n > 0 else { usage() }
  promptLimit = n
  args.removeSubrange(i...(i + 1))
}
guard let mode = args.first else { usage() }

/// Each turn as blocks, so that its usage can report the prompt it answers.
let responses: [(blocks: [SSEBuilder.Block], stopReason: String)]
switch mode {
case "text":
  guard let n = Int(args.dropFirst().first ?? ""), n > 0 else { usage() }
  // One word per delta, so N deltas.
  let words = (0..<n).map { "w\($0) " }
  responses = [([.text(words.joined())], "end_turn")]
case "turns":
  guard let path = args.dropFirst().first, let text = try? String(contentsOfFile: path, encoding: .utf8) else { usage() }
  var turns: [(blocks: [SSEBuilder.Block], stopReason: String)] = []
  for (i, line) in text.split(separator: "\n").enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
    guard let blocks = (try? JSONValue.parse(String(line)))?.arrayValue else { usage() }
    var built: [SSEBuilder.Block] = []
    for (j, b) in blocks.enumerated() {
      if b["type"]?.stringValue == "tool_use" {
        built.append(.toolUse(id: "toolu_bench_\(i)_\(j)", name: b["name"]?.stringValue ?? "", input: b["input"] ?? [:]))
      } else {
        built.append(.text(b["text"]?.stringValue ?? ""))
      }
    }
    let hasTool = blocks.contains { $0["type"]?.stringValue == "tool_use" }
    turns.append((built, hasTool ? "tool_use" : "end_turn"))
  }
  guard !turns.isEmpty else { usage() }
  responses = turns
default:
  usage()
}

final class Counter: @unchecked Sendable {
  let lock = NSLock()
  var n = 0
  func next() -> Int { lock.withLock { defer { n += 1 }; return n } }
}
let counter = Counter()
let all = responses
let server = try LoopbackServer(handler: { request in
  let turn = all[counter.next() % all.count]
  return .sse(SSEBuilder.turn(blocks: turn.blocks, stopReason: turn.stopReason, usage: (max(12, request.rawBody.count / 4), 7)))
})
server.promptLimitTokens = promptLimit
server.keepsOnlyLast = 1
print(server.baseURL)
fflush(stdout)
while true { sleep(3600) }
