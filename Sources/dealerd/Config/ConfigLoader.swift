import Configuration
import DealerCore
import DealerStore
import Foundation
import Logging
import SystemPackage

/// Reads the configuration: `DEALERD_*` environment variables over the YAML file over built-in defaults.
///
/// The file is `--config PATH`, else `$DEALERD_CONFIG`, else `Config/dealerd.yaml` when it exists.
/// A file named explicitly must exist. Values of the wrong type are errors, not silent defaults.
enum ConfigLoader {
    static let defaultPath = "Config/dealerd.yaml"

    static func load(path explicitPath: String?, environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> DealerdConfig {
        let named = explicitPath ?? environment["DEALERD_CONFIG"]
        let path = named ?? defaultPath
        var providers: [any ConfigProvider] = [
            EnvironmentVariablesProvider(environmentVariables: environment).prefixKeys(with: "dealerd")
        ]
        let fileExists = FileManager.default.fileExists(atPath: path)
        if named != nil && !fileExists {
            throw ConfigError(problems: ["config file \(path) does not exist"])
        }
        if fileExists {
            do {
                providers.append(try await FileProvider<YAMLSnapshot>(filePath: FilePath(path)))
            } catch {
                throw ConfigError(problems: ["\(path) is not valid YAML: \(error)"])
            }
        }
        var config = try parse(ConfigReader(providers: providers))
        config.source = fileExists ? path : nil
        return config
    }

    static func parse(_ reader: ConfigReader) throws -> DealerdConfig {
        var settings = SettingsReader(reader: reader)
        var config = DealerdConfig()
        if let host = settings.string("http.host") { config.http.host = host }
        if let port = settings.int("http.port", in: 1...65535) { config.http.port = port }
        if let bytes = settings.int("http.max_body_bytes", in: 1024...(256 << 20)) { config.http.maxBodyBytes = bytes }
        if let url = settings.string("database.url") {
            do { config.database.url = try DatabaseURL(parsing: url) } catch {
                settings.problems.append("database.url: \(error.description)")
            }
        }
        if let max = settings.int("database.max_connections", in: 1...500) { config.database.maxConnections = max }
        if let name = settings.string("company.name") { config.company.name = name }
        if let zone = settings.string("company.time_zone") {
            if let timeZone = TimeZone(identifier: zone) {
                config.company.timeZone = timeZone
            } else {
                settings.problems.append("company.time_zone: \(zone) is not an IANA time zone (e.g. Europe/Moscow)")
            }
        }
        if let level = settings.string("log.level") {
            if let parsed = Logger.Level(rawValue: level.lowercased()) {
                config.logLevel = parsed
            } else {
                settings.problems.append("log.level: expected one of trace, debug, info, notice, warning, error, critical")
            }
        }
        if !settings.problems.isEmpty { throw ConfigError(problems: settings.problems) }
        return config
    }
}

/// Reads settings as text and parses them here, so a mistyped value is reported rather than replaced
/// by a default.
private struct SettingsReader {
    let reader: ConfigReader
    var problems: [String] = []

    func string(_ key: String) -> String? {
        if let text = reader.string(forKey: ConfigKey(key))?.trimmedNonEmpty { return text }
        if let number = reader.int(forKey: ConfigKey(key)) { return String(number) }
        if let flag = reader.bool(forKey: ConfigKey(key)) { return String(flag) }
        return nil
    }

    mutating func int(_ key: String, in range: ClosedRange<Int>) -> Int? {
        if let number = reader.int(forKey: ConfigKey(key)) {
            guard range.contains(number) else {
                problems.append("\(key): \(number) is outside \(range.lowerBound)…\(range.upperBound)")
                return nil
            }
            return number
        }
        guard let text = string(key) else { return nil }
        guard let number = Int(text.replacingOccurrences(of: "_", with: "")) else {
            problems.append("\(key): expected a whole number, got \"\(text)\"")
            return nil
        }
        guard range.contains(number) else {
            problems.append("\(key): \(number) is outside \(range.lowerBound)…\(range.upperBound)")
            return nil
        }
        return number
    }
}
