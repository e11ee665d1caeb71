import ArmadaClient
import Foundation

/// Shell completion of `--context`: the context names of the config the command line (or
/// ARMADA_CONFIG, or ~/.armadactl.yaml) names.
enum ConfigCompletion {
    /// - Parameters: the words of the command line, the index of the word being completed, and its prefix.
    @Sendable static func contexts(_ arguments: [String], _ index: Int, _ prefix: String) -> [String] {
        let environment = ProcessInfo.processInfo.environment
        var path = environment["ARMADA_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        if let i = arguments.firstIndex(of: "--config"), i + 1 < arguments.count { path = arguments[i + 1] }
        if path == nil, let home = environment["HOME"] { path = home + "/.armadactl.yaml" }
        guard let path, let file = try? ArmadaConfigFile.load(path: path) else { return [] }
        return file.contexts.keys.sorted().filter { $0.hasPrefix(prefix) }
    }
}
