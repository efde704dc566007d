import Foundation
import Testing
@testable import Git

/// Repository identity: the same project in two folders is one repository; another project is not.
@Suite struct IdentityTests {
  @Test(arguments: [
    ("git@github.com:a/b.git", "github.com/a/b"),
    ("https://github.com/a/b", "github.com/a/b"),
    ("https://github.com/a/b.git/", "github.com/a/b"),
    ("ssh://git@github.com/a/b.git", "github.com/a/b"),
    ("ssh://git@GitHub.com:22/a/b", "github.com/a/b"),
    ("git://github.com/a/b.git", "github.com/a/b"),
    ("https://user:s3cret-token@github.com/a/b.git", "github.com/a/b"),
    ("gitlab.example.com:group/sub/proj.git", "gitlab.example.com/group/sub/proj"),
    ("/srv/git/proj.git/", "/srv/git/proj"),
    ("file:///srv/git/proj.git", "/srv/git/proj"),
  ])
  func originSpellingsNormalizeToOne(url: String, expected: String) {
    #expect(Repository.normalizedRemoteURL(url) == expected)
  }

  @Test func clonesOfOneProjectShareTheIdentityWhateverTheirPathOrPosition() throws {
    let upstream = try TempRepo()
    try upstream.write("a.txt", "1\n")
    try upstream.commitAll("second")
    let root = try upstream.git("rev-list", "--max-parents=0", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
    // Two clones in other folders; one is then moved ahead, the other stays behind.
    let ssh = upstream.outside("clone-ssh"), https = upstream.outside("clone-https")
    try upstream.git("clone", "-q", upstream.dir, ssh)
    try upstream.git("clone", "-q", upstream.dir, https)
    try upstream.git("-C", ssh, "remote", "set-url", "origin", "git@github.com:team/proj.git")
    try upstream.git("-C", https, "remote", "set-url", "origin", "https://github.com/team/proj")
    try upstream.git("-C", ssh, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "ahead")

    let a = try Repository.open(path: ssh).identity
    let b = try Repository.open(path: https).identity
    #expect(a == "github.com/team/proj@\(root)")
    #expect(a == b)
    // The same folder names with another project behind the same URL: another root, another identity.
    // Its own first commit: TempRepo's default one (same file, author and message) made in the same second
    // as upstream's would be the very same commit.
    let other = try TempRepo(commit: false)
    try other.write("OTHER.md", "another project\n")
    try other.commitAll("another project's first commit")
    try other.git("remote", "add", "origin", "https://github.com/team/proj.git")
    #expect(try Repository.open(path: other.dir).identity != a)
    #expect(try Repository.open(path: other.dir).identity.hasPrefix("github.com/team/proj@"))
  }

  @Test func withoutOriginTheRootCommitAloneWithoutCommitsThePath() throws {
    let plain = try TempRepo()
    let root = try plain.head()
    #expect(try Repository.open(path: plain.dir).identity == root)
    #expect(try Repository.open(path: plain.dir).rootCommitID == root)
    let empty = try TempRepo(commit: false)
    let repo = try Repository.open(path: empty.dir)
    #expect(try repo.rootCommitID == nil)
    #expect(try repo.identity == repo.workdir)
  }
}
