import CShims
import Foundation
import Synchronization

/// The root file systems the process runtime builds for images (`ImageRule.Root.busybox`), once
/// per runtime and shared read-only by its pods as the lower layer of their copy-on-write root:
/// `<work root>/<simulator pid>.images/busybox-…`, removed at shutdown (or, after a crash, by the
/// next simulator's start, see `RunDirectories`).
final class ImageLayers: Sendable {
    let directory: String
    /// The host uid the layer's files belong to (pod root's), so that pods own their system.
    let owner: UInt32?
    private let built = Mutex<[String: Result<String, LayerError>]>([:])

    struct LayerError: Error, Equatable, CustomStringConvertible {
        var description: String
    }

    init(directory: String, owner: UInt32?) {
        (self.directory, self.owner) = (directory, owner)
    }

    /// A busybox system from the static binary `tool`: its applets (`busybox --list-full`) as
    /// links to `/bin/busybox`, the usual directories, and `/etc` files for root. Built on first
    /// use; a failure is kept (the tool does not appear while the simulator runs).
    func busybox(tool: String) -> Result<String, LayerError> {
        built.withLock { layers in
            if let layer = layers[tool] { return layer }
            let name = "busybox-" + String(tool.map { $0.isLetter || $0.isNumber ? $0 : "-" })
            let layer = Self.buildBusybox(tool: tool, at: directory + "/" + name, owner: owner)
            layers[tool] = layer
            return layer
        }
    }

    /// Removes every layer (the runtime's shutdown).
    func remove() {
        built.withLock { $0.removeAll() }
        _ = cfiles_remove(directory)
    }

    static let busyboxDirectories = ["bin", "sbin", "usr/bin", "usr/sbin", "usr/local/bin", "lib", "etc", "proc", "dev", "sys", "run",
                                     "root", "home", "mnt", "opt", "srv", "var/log", "var/tmp", "var/cache", "tmp"]

    static let busyboxFiles = [
        "etc/passwd": "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n",
        "etc/group": "root:x:0:root\nnobody:x:65534:\n",
        "etc/hosts": "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n",
        "etc/shells": "/bin/sh\n/bin/ash\n",
        "etc/os-release": "NAME=\"BusyBox (armada-testsuite simulator)\"\nID=busybox\n",
    ]

    private static func buildBusybox(tool: String, at layer: String, owner: UInt32?) -> Result<String, LayerError> {
        func fail(_ what: String, _ code: Int32 = errno) -> Result<String, LayerError> {
            _ = cfiles_remove(layer)
            return .failure(LayerError(description: "building the busybox layer from \(tool): \(what): \(String(cString: strerror(code)))"))
        }
        _ = cfiles_remove(layer)
        for dir in busyboxDirectories {
            let rc = cfiles_mkdirs(layer + "/" + dir, 0o755)
            if rc != 0 { return fail("mkdir \(dir)", rc) }
        }
        chmod(layer + "/tmp", 0o1777)
        chmod(layer + "/var/tmp", 0o1777)
        // As in Alpine: service-account files are read at /var/run/secrets/….
        if symlink("/run", layer + "/var/run") != 0 { return fail("symlink var/run") }
        chmod(layer + "/root", 0o700)
        guard let applets = listApplets(tool) else { return fail("\(tool) --list-full did not list its applets", EINVAL) }
        do {
            try FileManager.default.copyItem(atPath: tool, toPath: layer + "/bin/busybox")
        } catch {
            return fail("copying \(tool)", EIO)
        }
        chmod(layer + "/bin/busybox", 0o755)
        for applet in applets where applet != "bin/busybox" && PodSpecView.descendingPathProblem(applet) == nil {
            let path = layer + "/" + applet
            _ = cfiles_mkdirs((path as NSString).deletingLastPathComponent, 0o755)
            if symlink("/bin/busybox", path) != 0 && errno != EEXIST { return fail("linking \(applet)") }
        }
        for (file, text) in busyboxFiles {
            guard FileManager.default.createFile(atPath: layer + "/" + file, contents: Data(text.utf8)) else { return fail("writing \(file)", EIO) }
        }
        if let owner {
            let rc = cfiles_chown(layer, owner)
            if rc != 0 { return fail("chown", rc) }
        }
        return .success(layer)
    }

    /// `tool --list-full`: applet paths relative to the root (`usr/bin/awk`); nil when it fails.
    private static func listApplets(_ tool: String) -> [String]? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["--list-full"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let applets = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        return applets.isEmpty ? nil : applets
    }
}
