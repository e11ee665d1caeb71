import CShims
import Foundation

/// Where the process runtime keeps its runs on the host: `<root>/<simulator pid>/<pod>-<id>`, and
/// memory groups named `<simulator pid>-…`. A simulator that was killed (SIGKILL, a crash) leaves
/// them behind; the next one removes those whose simulator is gone, and says so.
struct RunDirectories: Sendable {
    let root: String

    /// This process's directory.
    var mine: String { root + "/\(getpid())" }

    /// The image layers of one runtime of this process (`ImageLayers`).
    func layers(instance: String) -> String { root + "/\(getpid())-\(instance).images" }

    /// Removes what simulators that no longer run left behind; returns a line for the banner, or nil.
    func removeStale(memoryCgroupRoot: String?) -> String? {
        let fm = FileManager.default
        var directories = 0, groups = 0
        for entry in (try? fm.contentsOfDirectory(atPath: root)) ?? [] {
            if entry.hasSuffix(".images"), let dash = entry.firstIndex(of: "-"), let pid = Int32(entry[..<dash]), !Self.isRunning(pid) {
                _ = cfiles_remove(root + "/" + entry)
                continue
            }
            guard let pid = Int32(entry), !Self.isRunning(pid) else { continue }
            let path = root + "/" + entry
            let runs = ((try? fm.contentsOfDirectory(atPath: path)) ?? []).count
            for run in (try? fm.contentsOfDirectory(atPath: path)) ?? [] { ProcessRuntime.remove(path + "/" + run) }
            if rmdir(path) == 0 { directories += runs }
        }
        if let cgroups = memoryCgroupRoot {
            for entry in (try? fm.contentsOfDirectory(atPath: cgroups)) ?? [] {
                guard let dash = entry.firstIndex(of: "-"), let pid = Int32(entry[..<dash]), !Self.isRunning(pid) else { continue }
                let path = cgroups + "/" + entry
                let procs = ((try? String(contentsOfFile: path + "/cgroup.procs", encoding: .utf8)) ?? "")
                    .split(separator: "\n").compactMap { Int32($0) }
                for process in procs { kill(process, SIGKILL) }
                if rmdir(path) == 0 { groups += 1 }
            }
        }
        guard directories + groups > 0 else { return nil }
        return "removed what an earlier simulator left behind: \(directories) run director\(directories == 1 ? "y" : "ies"), "
            + "\(groups) memory group\(groups == 1 ? "" : "s")"
    }

    static func isRunning(_ pid: Int32) -> Bool {
        pid > 0 && (kill(pid, 0) == 0 || errno == EPERM)
    }
}
