import ArrakisCore
import Foundation
import Testing

@testable import Workflows

/// The progress line of a long first analysis: drawn on a terminal (a real pseudo-terminal here),
/// erased by `stop()`, never on a pipe.
@Suite struct WalkProgressTests {
  /// A pseudo-terminal pair: (primary, secondary); isatty(secondary) is true. glibc declares the pty
  /// calls only under _XOPEN_SOURCE, which Swift's Glibc module does not set, so they are looked up.
  func pty() throws -> (Int32, Int32) {
    func c<F>(_ name: String, _: F.Type) throws -> F { unsafeBitCast(try #require(dlsym(dlopen(nil, RTLD_NOW), name)), to: F.self) }
    let openpt = try c("posix_openpt", (@convention(c) (Int32) -> Int32).self)
    let grant = try c("grantpt", (@convention(c) (Int32) -> Int32).self)
    let unlock = try c("unlockpt", (@convention(c) (Int32) -> Int32).self)
    let name = try c("ptsname", (@convention(c) (Int32) -> UnsafeMutablePointer<CChar>?).self)
    let primary = openpt(O_RDWR | O_NOCTTY)
    try #require(primary >= 0 && grant(primary) == 0 && unlock(primary) == 0)
    let secondary = open(try #require(name(primary)), O_RDWR | O_NOCTTY)
    try #require(secondary >= 0)
    return (primary, secondary)
  }

  @Test func onATerminalItCountsAndIsErased() throws {
    let (primary, secondary) = try pty()
    defer { close(primary) }
    let env = Environment(["TERM": "xterm"])
    let progress = try #require(WalkProgress.start(total: 10, fd: secondary, environment: env, grace: 0, interval: 0.01))
    progress.advance(3)
    usleep(100_000)
    progress.stop()
    progress.stop()
    close(secondary)
    var output = Data()
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let n = read(primary, &buffer, buffer.count)
      if n <= 0 { break }
      output.append(contentsOf: buffer[0..<n])
    }
    let text = String(decoding: output, as: UTF8.self)
    #expect(text.contains("analyze: 3 of 10 commits diffed"), "\(text.debugDescription)")
    #expect(text.hasSuffix("\r\u{1B}[K"), "\(text.debugDescription)")
  }

  @Test func notOnAPipeNorOnADumbTerminalNorForNothing() throws {
    var fds: [Int32] = [0, 0]
    #expect(pipe(&fds) == 0)
    defer { close(fds[0]); close(fds[1]) }
    #expect(WalkProgress.start(total: 10, fd: fds[1], environment: Environment(["TERM": "xterm"])) == nil)

    let (primary, secondary) = try pty()
    defer { close(primary); close(secondary) }
    #expect(WalkProgress.start(total: 10, fd: secondary, environment: Environment(["TERM": "dumb"])) == nil)
    #expect(WalkProgress.start(total: 0, fd: secondary, environment: Environment(["TERM": "xterm"])) == nil)
  }
}
