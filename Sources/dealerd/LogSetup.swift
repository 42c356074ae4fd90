import Logging

/// Logs go to stderr, one line per event with its metadata, so stdout stays for command output
/// (`apikey create` prints the key alone there).
enum LogSetup {
    static func bootstrap(level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
