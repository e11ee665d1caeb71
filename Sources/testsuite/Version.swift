import ArgumentParser
import Foundation

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the version of this testsuite.")

    func run() throws {
        print("testsuite \(TestsuiteVersion.current)")
        print("platform  \(TestsuiteVersion.platform)")
    }
}

enum TestsuiteVersion {
    static let current = "0.1.0"

    static var platform: String {
        #if os(Linux)
        let os = "linux"
        #elseif os(macOS)
        let os = "macos"
        #else
        let os = "unknown"
        #endif
        #if arch(x86_64)
        let arch = "x86_64"
        #elseif arch(arm64)
        let arch = "arm64"
        #else
        let arch = "unknown"
        #endif
        return "\(os)/\(arch)"
    }
}
