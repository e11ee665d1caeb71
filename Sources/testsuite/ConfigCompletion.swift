import ArmadaClient
import Foundation

/// Shell completion of `--context`: the context names of the config file `test` would read.
enum ConfigCompletion {
    /// - Parameters: the words of the command line, the index of the word being completed, and its prefix.
    @Sendable static func contexts(_ arguments: [String], _ index: Int, _ prefix: String) -> [String] {
        let flag = arguments.firstIndex(of: "--config").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
        guard let path = TargetResolver().configFilePath(flag: flag), let file = try? ArmadaConfigFile.load(path: path) else { return [] }
        return file.contexts.keys.sorted().filter { $0.hasPrefix(prefix) }
    }
}
