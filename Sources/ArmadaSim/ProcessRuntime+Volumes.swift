import CShims
import Foundation

extension ProcessRuntime {
    /// The local ephemeral storage a pod may use when no container sets `limits.ephemeral-storage`.
    static let defaultEphemeralStorage = 1024.0 * 1024 * 1024
    /// How often a running pod's disk usage is measured (the kubelet's housekeeping, much faster).
    static let storageCheckPeriod = Duration.milliseconds(100)

    /// Bytes allocated below `path` (files and directories, without following links).
    static func diskUsage(_ path: String) -> Int64 {
        max(0, cfiles_usage(path))
    }

    /// `1Gi`, `512Mi`, or bytes, as a quantity reads.
    static func quantity(_ bytes: Double) -> String {
        for (unit, size) in [("Gi", 1 << 30), ("Mi", 1 << 20), ("Ki", 1 << 10)] where bytes >= Double(size) && bytes.truncatingRemainder(dividingBy: Double(size)) == 0 {
            return String(format: "%.0f", bytes / Double(size)) + unit
        }
        return String(format: "%.0f", bytes)
    }

    func volumeDir(_ runDir: String, _ name: String) -> String { runDir + "/pod/volumes/" + name }

    struct UnsafePath: Error, CustomStringConvertible {
        var path: String
        var description: String { "refusing the path \(PodSpecView.quoted(path))" }
    }

    /// The run directory: `pod/volumes/<name>` per volume with its downward-API files, all owned by
    /// pod root's host uid. Names and paths were validated when the pod was created; they are
    /// checked again here, because this is where the simulator writes.
    func prepareVolumes(_ pod: PodContext, _ runDir: String) throws {
        try Self.check(cfiles_mkdirs(runDir + "/pod/volumes", 0o755), runDir)
        chmod(runDir, 0o700)
        for volume in pod.spec.volumes {
            guard PodSpecView.isDNSLabel(volume.name) else { throw UnsafePath(path: volume.name) }
            let dir = volumeDir(runDir, volume.name)
            try Self.check(mkdir(dir, 0o755) == 0 ? 0 : errno, dir)
            for (path, field) in volume.downwardItems {
                guard PodSpecView.descendingPathProblem(path) == nil else { throw UnsafePath(path: path) }
                let file = dir + "/" + path
                try Self.check(cfiles_mkdirs((file as NSString).deletingLastPathComponent, 0o755), file)
                try (pod.field(field) ?? "").write(toFile: file, atomically: true, encoding: .utf8)
            }
        }
        if case .namespaces(let uid?) = isolation.sandbox {
            try Self.chown(runDir, to: uid)
        }
    }

    /// A file-system call's errno value (0: success) as an error naming the path.
    struct FileError: Error, CustomStringConvertible {
        var path: String
        var errno: Int32
        var description: String { "\(path): \(String(cString: strerror(errno)))" }
    }

    static func check(_ errno: Int32, _ path: String) throws(FileError) {
        if errno != 0 { throw FileError(path: path, errno: errno) }
    }

    /// `chown -R`, never following a symlink.
    static func chown(_ path: String, to uid: UInt32) throws {
        try check(cfiles_chown(path, uid), path)
    }

    /// Removes a run directory, including overlay work directories the kernel left without permissions.
    static func remove(_ path: String) {
        _ = cfiles_remove(path)
    }

    /// The last `bytes` bytes of a container's log; "" when unreadable.
    static func readSuffix(_ path: String, bytes: Int) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > UInt64(bytes) ? size - UInt64(bytes) : 0)
        return String(decoding: (try? handle.readToEnd()) ?? Data(), as: UTF8.self)
    }

    /// At most `bytes` bytes of a file the pod wrote to, without following a symlink; "" when unreadable.
    static func readPrefix(_ path: String, bytes: Int) -> String {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: bytes)
        var filled = 0
        while filled < bytes {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, bytes - filled) }
            guard n > 0 else { break }
            filled += n
        }
        return String(decoding: buffer.prefix(filled), as: UTF8.self)
    }
}
