import Agent
import ArrakisCore
import Foundation

// The Grep tool end to end in a process of its own, for bench/grep-bench.sh to time under hyperfine
// beside plain `rg` with the same arguments (the same clock, the same kind of process start for both).
//
//   grep-driver ROOT JSON [--builtin] [--repeat N]   runs Grep with input JSON in workspace ROOT and prints
//                                                    its result; --repeat prints each call's time instead
//   grep-driver ROOT JSON --rg-argv                  prints the argv the tool gives rg, each ending in NUL
//   grep-driver --noop                               starts and exits: the driver's own start-up, to subtract

func usage() -> Never {
  FileHandle.standardError.write(Data("usage: grep-driver ROOT JSON [--builtin] [--repeat N] [--rg-argv] | grep-driver --noop\n".utf8))
  exit(2)
}

var args = Array(CommandLine.arguments.dropFirst())
if args == ["--noop"] { exit(0) }
var builtin = false
var printArgv = false
if let k = args.firstIndex(of: "--rg-argv") { printArgv = true; args.remove(at: k) }
var repeats = 0
if let k = args.firstIndex(of: "--builtin") { builtin = true; args.remove(at: k) }
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

func once() async -> ToolOutput {
  do { return try await GrepTool().run(input, in: context) } catch {
    FileHandle.standardError.write(Data("grep-driver: \(error)\n".utf8))
    exit(1)
  }
}

if repeats == 0 {
  let out = await once()
  FileHandle.standardOutput.write(Data((out.content + "\n").utf8))
  exit(out.isError ? 1 : 0)
}
for _ in 0..<repeats {
  let start = DispatchTime.now().uptimeNanoseconds
  _ = await once()
  let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
  print(String(format: "%.2f", ms))
}
