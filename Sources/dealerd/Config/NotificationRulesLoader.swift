import DealerCore
import Foundation
import Yams

/// Reads the routing of notifications, `rules.yaml` in the notifications folder, checked in full: a
/// broken rule stops the service with the rule and the member named. No file means no rules.
enum NotificationRulesLoader {
    static func load(directory: String) throws -> [NotificationRule] {
        let path = (directory as NSString).appendingPathComponent("rules.yaml")
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let node: Node?
        do {
            node = try Yams.compose(yaml: try String(contentsOfFile: path, encoding: .utf8))
        } catch {
            throw ConfigError(problems: ["\(path): not readable YAML: \(error)"])
        }
        guard let node else { return [] }
        let file: NotificationRulesFile
        do {
            file = try JSONValueDecoder().decode(NotificationRulesFile.self, from: ProfileLoader.json(node))
        } catch let error as DecodingError {
            throw ConfigError(problems: ["\(path): \(KPISchemeLoader.describe(error))"])
        }
        let (rules, problems) = file.checked()
        guard problems.isEmpty else { throw ConfigError(problems: problems.map { "\(path): \($0)" }) }
        return rules
    }
}
