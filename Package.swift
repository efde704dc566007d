// swift-tools-version:6.2
import PackageDescription

// Dependencies point one way: arrakis -> Workflows -> (Agent, Git, Ledger) -> Claude -> ArrakisCore.
// Workflows holds one folder per subcommand (Ask, Code, Analyze, Improve, Rollback, Route) and what they share.
// Ledger and Git know nothing of each other or of the model.
let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")

let package = Package(
  name: "arrakis",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "arrakis", targets: ["arrakis"]),
    .executable(name: "arrakis-guard", targets: ["arrakis-guard"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
  ],
  targets: [
    // C surfaces, each wrapped by one small Swift module. libcurl and libgit2 are loaded on first use, not
    // linked (see Sources/CCurl/Loader.c, Sources/CGit2/Loader.c; Sources/CLazyLibrary holds what they share):
    // their headers come from libcurl4-openssl-dev and libgit2-dev, the libraries from libcurl4 and libgit2-1.5
    // at run time.
    .target(name: "CLazyLibrary", linkerSettings: [.linkedLibrary("dl")]),
    .target(name: "CCurl", dependencies: ["CLazyLibrary"]),
    .target(name: "CGit2", dependencies: ["CLazyLibrary"]),
    // libpq likewise (Sources/CPostgres/Loader.c): headers from libpq-dev, the library from libpq5 at run time.
    .target(name: "CPostgres", dependencies: ["CLazyLibrary"]),
    // SQLite is linked (libsqlite3-dev): every ledger command needs it. The module map asks for "sqlite3",
    // which `make release` swaps for Debian's libsqlite3.a (see the Makefile's RELEASE_FLAGS).
    .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),

    // Named apart from swift-system's C target "CSystem" (a dependency once), which would clash with it;
    // the sources stay where they were.
    .target(name: "CArrakisSystem", path: "Sources/CSystem"),
    // The guardian every command arrakis starts runs under (see Sources/CSystem/Guardian.c).
    .executableTarget(name: "arrakis-guard", dependencies: ["CArrakisSystem"], linkerSettings: [.unsafeFlags(["-static-executable"])]),
    .target(name: "ArrakisCore", dependencies: ["CArrakisSystem"]),
    // The price table is embedded in the binary (no resource bundle to find at run time).
    .target(name: "Claude", dependencies: ["ArrakisCore", "CCurl"], resources: [.embedInCode("Data/prices.tsv")]),
    .target(name: "Ledger", dependencies: ["ArrakisCore", "Postgres", "SQLite"]),
    .target(name: "Git", dependencies: ["ArrakisCore", "CGit2"]),
    // libpq behind a small Swift surface: connect by URL, statements with parameters, classified errors.
    .target(name: "Postgres", dependencies: ["CPostgres", "ArrakisCore"]),
    // SQLite likewise: open a file, statements with parameters and a statement cache, classified result codes.
    .target(name: "SQLite", dependencies: ["CSQLite"]),
    .target(name: "Agent", dependencies: ["ArrakisCore", "Claude", "Ledger", "CArrakisSystem"]),
    // MCP both ways: the stdio server of `arrakis mcp`, and MCP servers' tools as Agent tools in `code`.
    // Its own JSON-RPC over stdio (Sources/MCPBridge/JSONRPC): an SDK would bring the full Foundation.
    .target(name: "MCPBridge", dependencies: ["ArrakisCore", "Claude", "Agent", "CArrakisSystem"]),
    .target(name: "Workflows", dependencies: ["ArrakisCore", "Claude", "Ledger", "Git", "Agent", "CArrakisSystem", "MCPBridge"]),
    .executableTarget(
      name: "arrakis",
      dependencies: ["ArrakisCore", "Claude", "Ledger", "Git", "Agent", "Workflows", "MCPBridge", "Postgres", argumentParser]
    ),

    // The loopback Messages API server and temp-repo helpers the tests share.
    // Also a throwaway PostgreSQL cluster (Tests/TestSupport/PostgresServer.swift).
    .target(name: "TestSupport", dependencies: ["ArrakisCore", "Postgres"], path: "Tests/TestSupport"),
    // Benchmarks and offline demos serve the same loopback API from a process of its own.
    .executableTarget(name: "loopback-api", dependencies: ["TestSupport", "ArrakisCore"], path: "bench/LoopbackAPI"),
    // bench/grep-bench.sh times the Grep tool end to end in a process of its own, beside plain rg.
    .executableTarget(name: "grep-driver", dependencies: ["Agent", "ArrakisCore"], path: "bench/GrepDriver"),
    .testTarget(name: "ClaudeTests", dependencies: ["Claude", "TestSupport"]),
    .testTarget(name: "LedgerTests", dependencies: ["Ledger", "SQLite", "TestSupport"]),
    .testTarget(name: "GitTests", dependencies: ["Git", "TestSupport"]),
    .testTarget(name: "PostgresTests", dependencies: ["Postgres", "TestSupport"]),
    .testTarget(name: "SQLiteTests", dependencies: ["SQLite"]),
    .testTarget(name: "AgentTests", dependencies: ["Agent", "TestSupport"]),
    .testTarget(name: "WorkflowsTests", dependencies: ["Workflows", "TestSupport"]),
    .testTarget(name: "CLITests", dependencies: ["TestSupport", "Ledger", "SQLite", "ArrakisCore"]),
  ],
  swiftLanguageModes: [.v5]
)
