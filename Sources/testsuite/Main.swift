import ArgumentParser
import Foundation
import Runner

/// Entry point: runs the command and maps outcomes to the project's exit codes — 0 all passed,
/// 1 a test (or a file) failed, 2 usage, configuration or infrastructure error, 130 interrupted.
@main
enum Main {
    static func main() async {
        let rewritten = Result { try Self.arguments(Array(CommandLine.arguments.dropFirst())) }
        // Signals are caught from here on (see InterruptMonitor): the commands that run things
        // handle them, the others exit 130 on one.
        _ = InterruptMonitor.start(handlingSignals: ["test", "serve"].contains((try? rewritten.get())?.first ?? ""))
        do {
            let arguments = try rewritten.get()
            var command = try Testsuite.parseAsRoot(arguments)
            if var async = command as? AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
            let message = Testsuite.fullMessage(for: error)
            if Testsuite.exitCode(for: error).isSuccess {
                print(message)
                exit(0)
            }
            printError("error: " + message.replacingOccurrences(of: "Error: ", with: "") + "\n")
            exit(CLIExit.usage.rawValue)
        }
    }
}

extension Main {
    /// The command line with upstream's global flags (`testsuite --config F -c C test …`) moved
    /// after the command name, where this tool reads them; `help X` for an unknown X is an error.
    static func arguments(_ arguments: [String]) throws -> [String] {
        let commands = Testsuite.configuration.subcommands.compactMap { $0.configuration.commandName ?? Self.name(of: $0) }
        if arguments.first == "help", arguments.count > 1, !arguments[1].hasPrefix("-"), !commands.contains(arguments[1]) {
            throw UsageError(message: "unknown command '\(arguments[1])'; the commands are \(commands.joined(separator: ", "))")
        }
        var moved: [String] = []
        var rest = arguments[...]
        while let first = rest.first {
            let (name, inline) = first.split(separator: "=", maxSplits: 1).map(String.init).pair
            guard let flag = UpstreamFlags.global.first(where: { $0.name == name }) else { break }
            rest = rest.dropFirst()
            moved.append(name)
            if let inline {
                moved.append(inline)
            } else if flag.takesValue, let value = rest.first {
                moved.append(value)
                rest = rest.dropFirst()
            }
        }
        guard !moved.isEmpty, let command = rest.first else { return arguments }
        return [command] + moved + rest.dropFirst()
    }

    /// `TestCommand` → `test-command`, as ArgumentParser names a command without a commandName.
    private static func name(of command: any ParsableCommand.Type) -> String {
        String(describing: command).lowercased()
    }
}

extension Array where Element == String {
    fileprivate var pair: (String, String?) { (self.first ?? "", count > 1 ? self[1] : nil) }
}

/// The exit codes of every command.
enum CLIExit {
    static let failed = ExitCode(1)
    static let usage = ExitCode(2)
    static let interrupted = ExitCode(130)
}

struct Testsuite: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "testsuite",
        abstract: "End-to-end tests for the Armada batch scheduler, with an embedded Armada simulator.",
        version: TestsuiteVersion.current,
        subcommands: [TestCommand.self, Validate.self, List.self, Serve.self, Replay.self, Version.self]
    )
}
