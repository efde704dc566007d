import Testing

@testable import Git

@Suite struct DiffTests {
  @Test func changedFilesWithCountsAndContents() throws {
    let fixture = try TempRepo()
    try fixture.write("a.txt", "one\ntwo\nthree\n")
    try fixture.write("gone.txt", "bye\n")
    try fixture.write("move-me.txt", (1...20).map { "same line \($0)" }.joined(separator: "\n") + "\n")
    try fixture.commitAll("base")
    let base = try fixture.head()
    try fixture.write("a.txt", "one\nTWO\nthree\nfour\n")
    try fixture.git("rm", "-q", "gone.txt")
    try fixture.write("added.txt", "hi\n")
    try fixture.git("mv", "move-me.txt", "moved.txt")
    try fixture.commitAll("change")

    let repo = try Repository.open(path: fixture.dir)
    let changes = Dictionary(uniqueKeysWithValues: try repo.changedFiles(from: base, to: "HEAD").map { ($0.path, $0) })
    #expect(changes.keys.sorted() == ["a.txt", "added.txt", "gone.txt", "moved.txt"])
    let a = try #require(changes["a.txt"])
    #expect(a.status == .modified)
    #expect(a.additions == 2 && a.deletions == 1)
    #expect(a.oldContent == "one\ntwo\nthree\n" && a.newContent == "one\nTWO\nthree\nfour\n")
    #expect(changes["added.txt"]?.status == .added)
    #expect(changes["added.txt"]?.oldContent == nil && changes["added.txt"]?.newContent == "hi\n")
    #expect(changes["gone.txt"]?.status == .deleted)
    #expect(changes["gone.txt"]?.oldContent == "bye\n" && changes["gone.txt"]?.newContent == nil)
    #expect(changes["gone.txt"]?.deletions == 1)
    #expect(changes["moved.txt"]?.status == .renamed && changes["moved.txt"]?.oldPath == "move-me.txt")

    let patch = try repo.patch(from: base, to: "HEAD")
    #expect(patch.contains("diff --git a/a.txt b/a.txt"))
    #expect(patch.contains("-two\n+TWO\n"))
    #expect(patch.contains("rename from move-me.txt"))
  }

  @Test func fileContentAndTreePaths() throws {
    let fixture = try TempRepo()
    try fixture.write("dir/f.txt", "content\n")
    try fixture.commitAll("add")
    let repo = try Repository.open(path: fixture.dir)
    #expect(try repo.fileContent(at: "HEAD", path: "dir/f.txt") == "content\n")
    #expect(try repo.fileContent(at: "HEAD~1", path: "dir/f.txt") == nil)
    #expect(try repo.fileContent(at: "HEAD", path: "dir") == nil)
    #expect(try repo.treeHasPath("dir", at: "HEAD"))
    #expect(try repo.treeHasPath("dir/f.txt", at: "HEAD"))
    #expect(try !repo.treeHasPath("dir/nope", at: "HEAD"))
  }

  @Test func commitOnUnbornBranchAndFallbackSignature() throws {
    let fixture = try TempRepo(commit: false)
    // An empty local value overrides whatever the machine's ~/.gitconfig says, keeping the test hermetic.
    try fixture.git("config", "user.name", "")
    try fixture.write("first.txt", "1\n")
    let repo = try Repository.open(path: fixture.dir)
    try repo.stageAll()
    let id = try repo.commit(message: "first")
    #expect(try fixture.head() == id)
    #expect(try fixture.git("log", "-1", "--format=%an <%ae> %P") == "arrakis <arrakis@localhost> \n")
  }
}
