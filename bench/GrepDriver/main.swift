import Agent
import ArrakisCore
import Foundation

// The Grep tool end to end in a process of its own, for bench/grep-bench.sh to time under hyperfine
// beside plain `rg` with the same arguments (the same clock, the same kind of process start for both).
//
//   grep-driver ROOT JSON [--builtin]             one warm-up call, then Grep with input JSON in workspace ROOT;
//                                                 prints its result
//   grep-driver ROOT JSON [--builtin] --warm-only the start and the warm-up call alone, to subtract
//   grep-driver ROOT JSON [--builtin] --repeat N  prints each of N calls' time (ms) instead, in one process
//   grep-driver ROOT JSON --rg-argv               prints the argv the tool gives rg, each ending in NUL
//
// The warm-up call (the same pattern in a one-file workspace of its own) pays what arrakis pays once per
// session, not per Grep call: the runtime's threads, the regex library's data, the first spawn.
// GREP_DRIVER_SPAWN_ONLY=1 with --repeat: rg through ProcessRunner alone (no parsing, ordering or budget).

func usage() -> Never {
  FileHandle.standardError.write(Data("usage: grep-driver ROOT JSON [--builtin] [--warm-only | --repeat N | --rg-argv]\n".utf8))
  exit(2)
}

var args = Array(CommandLine.arguments.dropFirst())
func flag(_ name: String) -> Bool {
  guard let k = args.firstIndex(of: name) else { return false }
  args.remove(at: k)
  return true
}
let builtin = flag("--builtin")
let printArgv = flag("--rg-argv")
let warmOnly = flag("--warm-only")
var repeats = 0
if let k = args.firstIndex(of: "--repeat") {
  guard k + 1 < args.count, let n = Int(args[k + 1]), n > 0 else { usage() }
  repeats = n
  args.removeSubrange(k...(k + 1))
}
guard args.count == 2, let input = try? JSONValue.parse(args[1]) else { usage() }
let root = URL(fileURLWithPath: args[0]).resolvingSymlinksInPath().path
let engine: GrepEngine
if builtin {
  engine = .builtin
} else if let rg = ProcessRunner.which("rg") {
  engine = .ripgrep(path: rg)
} else {
  FileHandle.standardError.write(Data("grep-driver: rg is not on PATH (use --builtin)\n".utf8))
  exit(1)
}
let context = ToolContext(root: root, grepEngine: engine)

if printArgv {
  guard case .ripgrep(let rg) = engine, let argv = try? GrepTool.ripgrepArguments(input, in: context, rg: rg) else {
    FileHandle.standardError.write(Data("grep-driver: no rg call for this input\n".utf8))
    exit(1)
  }
  FileHandle.standardOutput.write(Data(argv.map { $0 + "\u{0}" }.joined().utf8))
  exit(0)
}

func grep(_ json: JSONValue, in ctx: ToolContext) async -> ToolOutput {
  do { return try await GrepTool().run(json, in: ctx) } catch {
    FileHandle.standardError.write(Data("grep-driver: \(error)\n".utf8))
    exit(1)
  }
}

func warmUp() async {
  var template = Array((NSTemporaryDirectory() + "/grep-driver-XXXXXX").utf8CString)
  guard let dir = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }).map({ String(cString: $0) }) else { return }
  defer { try? FileManager.default.removeItem(atPath: dir) }
  FileManager.default.createFile(atPath: dir + "/a.txt", contents: Data("warm up\n".utf8))
  var json = input.objectValue ?? [:]
  json["path"] = nil
  json["glob"] = nil
  json["type"] = nil
  _ = await grep(.object(json), in: ToolContext(root: URL(fileURLWithPath: dir).resolvingSymlinksInPath().path, grepEngine: engine))
}

if repeats > 0 {
  let spawnOnly = ProcessInfo.processInfo.environment["GREP_DRIVER_SPAWN_ONLY"] == "1"
  for _ in 0..<repeats {
    let start = DispatchTime.now().uptimeNanoseconds
    if spawnOnly, case .ripgrep(let rg) = engine, let argv = try? GrepTool.ripgrepArguments(input, in: context, rg: rg) {
      _ = await ProcessRunner.run(argv, directory: root, timeoutMs: 60_000, outputCap: 16 << 20)
    } else {
      _ = await grep(input, in: context)
    }
    print(String(format: "%.2f", Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6))
  }
  exit(0)
}
await warmUp()
if warmOnly { exit(0) }
let out = await grep(input, in: context)
FileHandle.standardOutput.write(Data((out.content + "\n").utf8))
exit(out.isError ? 1 : 0)
