import DealerCore
import Foundation
import Yams

/// Reads the KPI schemes: every `*.yaml` in the folder, one per sales role, each checked in full. A
/// broken scheme stops the service from starting, with the file and the KPI named; a missing folder
/// means no scorecards are configured.
enum KPISchemeLoader {
    static func load(directory: String) throws -> [SalesRole: KPIScheme] {
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [:] }
        var schemes: [SalesRole: KPIScheme] = [:]
        var problems: [String] = []
        for file in files.filter({ $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }).sorted() {
            let path = (directory as NSString).appendingPathComponent(file)
            do {
                let scheme = try parse(contentsOf: path)
                if let earlier = schemes[scheme.role] {
                    problems.append("\(path): role \(scheme.role.rawValue) has a scheme already (\(earlier.title))")
                } else {
                    schemes[scheme.role] = scheme
                }
            } catch let error as ConfigError {
                problems += error.problems
            } catch {
                problems.append("\(path): \(error)")
            }
        }
        guard problems.isEmpty else { throw ConfigError(problems: problems) }
        return schemes
    }

    static func parse(contentsOf path: String) throws -> KPIScheme {
        let text: String
        let node: Node?
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
            node = try Yams.compose(yaml: text)
        } catch {
            throw ConfigError(problems: ["\(path): not readable YAML: \(error)"])
        }
        guard let node else { throw ConfigError(problems: ["\(path): the file is empty"]) }
        let scheme: KPIScheme
        do {
            scheme = try JSONValueDecoder().decode(KPIScheme.self, from: ProfileLoader.json(node))
        } catch let error as DecodingError {
            throw ConfigError(problems: ["\(path): \(describe(error))"])
        }
        let problems = scheme.problems
        guard problems.isEmpty else { throw ConfigError(problems: problems.map { "\(path): \($0)" }) }
        return scheme
    }

    /// A decoding error as the member at fault and what is wrong with it.
    static func describe(_ error: DecodingError) -> String {
        func place(_ path: [any CodingKey]) -> String {
            path.map { $0.intValue.map { "[\($0)]" } ?? "." + SnakeCase.key($0.stringValue) }.joined().drop { $0 == "." }.description
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = place(context.codingPath)
            return (parent.isEmpty ? "" : parent + ".") + SnakeCase.key(key.stringValue) + " is required"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(place(context.codingPath)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            return "\(place(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
