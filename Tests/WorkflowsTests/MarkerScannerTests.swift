import Foundation
import Testing

@testable import Workflows

/// Marker forms found in real trees (git/git's apply.c, git-cvsserver.perl and po/*.po among them).
@Suite struct MarkerScannerTests {
  func markers(_ text: String) -> [String] {
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBufferPointer { buffer in
      MarkerScanner.scan(LineIndex(buffer), path: "f").map { "\($0.line):\($0.kind.rawValue):\($0.text)" }
    }
  }

  @Test func exclamationAndQuestionMarksAfterTheKeyword() {
    #expect(markers(" * FIXME! The end-of-filename heuristics are kind of screwy.\n")
      == ["1:FIXME:FIXME! The end-of-filename heuristics are kind of screwy."])
    #expect(markers("    # TODO?: OR sticky dir is different...\n") == ["1:TODO:TODO?: OR sticky dir is different..."])
    #expect(markers("x = 1 // HACK!! until the API is fixed\n") == ["1:HACK:HACK!! until the API is fixed"])
    #expect(markers("call() /* XXX?(ana) */\n") == ["1:XXX:XXX?(ana) */"])
    #expect(markers("// TODO!\n") == ["1:TODO:TODO!"])
  }

  @Test func aCommentOfTheKeywordAloneOnItsLine() {
    #expect(markers("#\n# FIXME\n# git fetch --all\n") == ["2:FIXME:FIXME"])
    #expect(markers("# TODO") == ["1:TODO:TODO"])
    #expect(markers("\t// XXX\r\nnext\n") == ["1:XXX:XXX"])
  }

  @Test func punctuationDoesNotTurnProseIntoMarkers() {
    #expect(markers("print(\"HACK!\")\n").isEmpty)
    #expect(markers("Do the TODO! now\n").isEmpty)
    #expect(markers("is this a FIXME? no\n").isEmpty)
    #expect(markers("FIXME!!!!x\n").isEmpty)
    #expect(markers("TODOS: and FIXMEs! are words\n").isEmpty)
  }

  /// A translation catalogue over 1 MB (git/git's po/bg.po) is scanned, and its comment markers found.
  @Test func aLargeTranslationCatalogueIsScanned() throws {
    let t = try TempTree()
    let entry = "#: builtin/fetch.c:1\nmsgid \"fetch\"\nmsgstr \"изтегляне\"\n\n"
    try t.write("po/bg.po", "#\n# FIXME\n# git fetch --all\n#\n# TODO\n" + String(repeating: entry, count: 1_100_000 / entry.utf8.count + 1))
    let s = try TreeScanner().scan(t.root)
    #expect(s.skipped.tooLarge == 0)
    #expect(s.markers.map { "\($0.path):\($0.line):\($0.kind.rawValue)" } == ["po/bg.po:2:FIXME", "po/bg.po:5:TODO"])
  }
}
