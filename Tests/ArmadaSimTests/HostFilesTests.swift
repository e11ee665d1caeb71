import CShims
import Foundation
import Testing

/// The process runtime's file-tree walks (`CShims/Files.c`): run directories are measured,
/// handed to pod root, and removed without following a link a pod planted.
@Suite struct HostFilesTests {
    /// A scratch tree: `dir/a` (8 KiB), `dir/sub/b` (4 KiB), `dir/locked/` (no permissions, holding
    /// a file), and `dir/link` → an outside file that must survive everything.
    static func tree() throws -> (dir: String, outside: String) {
        let base = NSTemporaryDirectory() + "host-files-" + UUID().uuidString.prefix(8)
        let dir = base + "/run", outside = base + "/outside"
        #expect(cfiles_mkdirs(dir + "/sub/deeper", 0o755) == 0)
        try Data(repeating: 1, count: 8192).write(to: URL(fileURLWithPath: dir + "/a"))
        try Data(repeating: 2, count: 4096).write(to: URL(fileURLWithPath: dir + "/sub/b"))
        try Data("keep".utf8).write(to: URL(fileURLWithPath: outside))
        try FileManager.default.createDirectory(atPath: dir + "/locked", withIntermediateDirectories: false)
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/locked/f"))
        chmod(dir + "/locked", 0)
        try FileManager.default.createSymbolicLink(atPath: dir + "/link", withDestinationPath: outside)
        return (dir, outside)
    }

    @Test func usageCountsAllocatedBlocksWithoutFollowingLinks() throws {
        let (dir, outside) = try Self.tree()
        defer { _ = cfiles_remove((dir as NSString).deletingLastPathComponent) }
        let usage = cfiles_usage(dir)
        // At least the two files' 12 KiB; the outside file (behind the link) is not counted twice
        // over, and a path that does not exist is -1.
        #expect(usage >= 12_288 && usage < 12_288 + 64 * 1024, "\(usage)")
        #expect(cfiles_usage(dir + "/missing") == -1)
        #expect(cfiles_usage(outside) > 0)
    }

    @Test func removeTakesLockedDirectoriesAndLeavesLinkTargets() throws {
        let (dir, outside) = try Self.tree()
        defer { _ = cfiles_remove((dir as NSString).deletingLastPathComponent) }
        #expect(cfiles_remove(dir) == 0)
        #expect(!FileManager.default.fileExists(atPath: dir))
        #expect(FileManager.default.contents(atPath: outside) == Data("keep".utf8))
        #expect(cfiles_remove(dir) == 0) // already gone
    }

    @Test func chownChangesTheTreeButNotWhatALinkPointsTo() throws {
        guard getuid() == 0 else { return } // only root may give files away
        let (dir, outside) = try Self.tree()
        defer { _ = cfiles_remove((dir as NSString).deletingLastPathComponent) }
        chmod(dir + "/locked", 0o700)
        #expect(cfiles_chown(dir, 4242) == 0)
        func owner(_ path: String) -> uid_t {
            var info = stat()
            return lstat(path, &info) == 0 ? info.st_uid : 0
        }
        #expect([dir, dir + "/a", dir + "/sub/b", dir + "/sub/deeper", dir + "/locked/f", dir + "/link"].map(owner) == Array(repeating: 4242, count: 6))
        #expect(owner(outside) == getuid())
    }

    @Test func mkdirsCreatesMissingParentsOnly() {
        let base = NSTemporaryDirectory() + "mkdirs-" + UUID().uuidString.prefix(8)
        defer { _ = cfiles_remove(base) }
        #expect(cfiles_mkdirs(base + "/a/b/c/", 0o755) == 0)
        #expect(cfiles_mkdirs(base + "/a/b/c", 0o755) == 0)
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: base + "/a/b/c", isDirectory: &isDirectory) && isDirectory.boolValue)
        #expect(FileManager.default.createFile(atPath: base + "/file", contents: nil))
        #expect(cfiles_mkdirs(base + "/file/x", 0o755) == ENOTDIR)
    }
}
