import Foundation

/// Checks a report path before a run starts, so an unwritable one fails at once instead of after
/// the whole run: missing parent directories are created, and the directory must take a new file
/// (reports are written atomically: a temporary file renamed over the target).
public enum ReportPath {
    /// nil when the path is ready, else what is wrong with it.
    public static func prepare(_ path: String, kind: String) -> String? {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return "cannot write the \(kind) report to \(path): it is a directory; name a file, e.g. \(path)/report.xml"
        }
        if let problem = makeDirectories(directory) {
            return "cannot write the \(kind) report to \(path): \(problem)"
        }
        let probe = directory + "/.\(url.lastPathComponent).probe-\(getpid())"
        let fd = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            return "cannot write the \(kind) report to \(path): cannot create files in \(directory) (\(String(cString: strerror(errno))))"
        }
        close(fd)
        unlink(probe)
        return nil
    }

    /// `mkdir -p`, saying which component failed and why.
    static func makeDirectories(_ directory: String) -> String? {
        var current = directory.hasPrefix("/") ? "" : "."
        for component in directory.split(separator: "/") {
            current += "/" + component
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: current, isDirectory: &isDirectory) {
                if !isDirectory.boolValue { return "\(current) is a file, not a directory" }
                continue
            }
            if mkdir(current, 0o755) != 0, errno != EEXIST {
                return "cannot create the directory \(current) (\(String(cString: strerror(errno))))"
            }
        }
        return nil
    }
}
