import ArrakisCore
import Foundation
import TestSupport

// A zero-latency stand-in for the Messages API, for benchmarks and offline demos (the tests use the same
// server in-process). Prints its base URL on the first line of stdout, then serves until killed.
//
//   loopback-api text N          every request gets a text answer streamed in N deltas
//   loopback-api turns FILE      request k gets line k (cycling) of FILE, a JSONL of turns; each turn is a
//                                JSON array of blocks {"type":"text","text":…} / {"type":"tool_use","name":…,"input":…}

func usage() -> Never {
  FileHandle.standardError.write(Data("usage: loopback-api text N | loopback-api turns FILE\n".utf8))
  exit(2)
}

let args = CommandLine.arguments.dropFirst()
guard let mode = args.first else { usage() }

let responses: [String]
switch mode {
case "text":
  guard let n = Int(args.dropFirst().first ?? ""), n > 0 else { usage() }
  // One word per delta, so N deltas.
  let words = (0..<n).map { "w\($0) " }
  responses = [SSEBuilder.turn(blocks: [.text(words.joined())])]
case "turns":
  guard let path = args.dropFirst().first, let text = try? String(contentsOfFile: path, encoding: .utf8) else { usage() }
  var turns: [String] = []
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
    turns.append(SSEBuilder.turn(blocks: built, stopReason: hasTool ? "tool_use" : "end_turn"))
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
let server = try LoopbackServer(handler: { _ in .sse(all[counter.next() % all.count]) })
print(server.baseURL)
fflush(stdout)
while true { sleep(3600) }
