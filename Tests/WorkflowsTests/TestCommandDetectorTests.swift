import Testing

@testable import Workflows

@Suite struct TestCommandDetectorTests {
  func detect(_ files: [String: String], configured: String? = nil) throws -> DetectedTestCommand? {
    let t = try TempTree()
    for (path, text) in files { try t.write(path, text) }
    return TestCommandDetector.detect(in: t.root, configured: configured)
  }

  @Test func configuredCommandWins() throws {
    let d = try detect(["Package.swift": "// swift-tools-version:6.0\n"], configured: "  make check \n")
    #expect(d == DetectedTestCommand(command: "make check", reason: "configured"))
    // Blank configuration falls through to detection.
    #expect(try detect(["go.mod": "module x\n"], configured: " ")?.command == "go test ./...")
  }

  @Test func eachEcosystem() throws {
    #expect(try detect(["Package.swift": ""])?.command == "swift build && swift test")
    #expect(try detect(["Makefile": "all:\n\tcc x.c\n\ntest: all\n\t./run\n"])?.command == "make test")
    #expect(try detect(["package.json": #"{"scripts": {"test": "jest"}}"#])?.command == "npm test")
    #expect(try detect(["pyproject.toml": "[project]\n"])?.command == "pytest")
    #expect(try detect(["pytest.ini": "[pytest]\n"])?.reason == "pytest.ini")
    #expect(try detect(["setup.cfg": "[metadata]\n"])?.command == "pytest")
    #expect(try detect(["tests/test_a.py": "def test_a(): pass\n"])?.reason == "tests/ contains Python files")
    #expect(try detect(["Cargo.toml": "[package]\n"])?.command == "cargo test")
    #expect(try detect(["go.mod": "module x\n"])?.command == "go test ./...")
    #expect(try detect(["README.md": "hi\n"]) == nil)
    #expect(try detect(["tests/data.txt": "x\n"]) == nil)
  }

  @Test func orderBetweenEcosystems() throws {
    #expect(try detect(["Package.swift": "", "Makefile": "test:\n\tx\n"])?.reason == "Package.swift")
    #expect(try detect(["Makefile": "test:\n\tx\n", "package.json": #"{"scripts":{"test":"x"}}"#])?.command == "make test")
    #expect(try detect(["package.json": #"{"scripts":{"test":"x"}}"#, "pyproject.toml": ""])?.command == "npm test")
    #expect(try detect(["pyproject.toml": "", "Cargo.toml": ""])?.command == "pytest")
    #expect(try detect(["Cargo.toml": "", "go.mod": ""])?.command == "cargo test")
  }

  @Test func makefileAndPackageJSONMustReallyHaveTests() throws {
    #expect(try detect(["Makefile": "build:\n\tcc x.c\ntest := 1\n# test:\n"]) == nil)
    #expect(try detect(["Makefile": ".PHONY: check test\ncheck test: build\n\tx\n"])?.command == "make test")
    #expect(try detect(["package.json": #"{"scripts": {"build": "tsc"}}"#]) == nil)
    #expect(try detect(["package.json": #"{"scripts": {"test": "echo \"Error: no test specified\" && exit 1"}}"#]) == nil)
    #expect(try detect(["package.json": "not json", "go.mod": ""])?.command == "go test ./...")
  }
}
