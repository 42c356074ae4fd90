import DealerCore
import Foundation
import Yams

/// Reads the accreditation profiles: every `*.yaml` in the profiles folder, each checked in full. A
/// broken profile stops the service from starting, with the file and the criterion named.
enum ProfileLoader {
    /// At start a missing folder means accreditation is not configured; on a reload
    /// (`requireFolder`) it is a mistake that must not drop the profiles in force.
    static func load(directory: String, requireFolder: Bool = false) throws -> [AccreditationProfile] {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        } catch {
            if requireFolder { throw ConfigError(problems: ["the profiles folder \(directory) cannot be read"]) }
            return []
        }
        var profiles: [AccreditationProfile] = []
        var problems: [String] = []
        for file in files {
            let path = (directory as NSString).appendingPathComponent(file)
            do {
                let profile = try parse(contentsOf: path)
                if let earlier = profiles.first(where: { $0.name == profile.name }) {
                    problems.append("\(path): profile \(profile.name) is already defined (version \(earlier.version))")
                } else {
                    profiles.append(profile)
                }
            } catch let error as ProfileError {
                problems.append(error.description)
            } catch {
                problems.append("\(path): \(error)")
            }
        }
        guard problems.isEmpty else { throw ConfigError(problems: problems) }
        return profiles
    }

    static func parse(contentsOf path: String) throws -> AccreditationProfile {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let node: Node
        do {
            guard let composed = try Yams.compose(yaml: text) else { throw ProfileError(file: path, problems: ["the file is empty"]) }
            node = composed
        } catch let error as ProfileError {
            throw error
        } catch {
            throw ProfileError(file: path, problems: ["not valid YAML: \(error)"])
        }
        return try AccreditationProfile(parsing: json(node), file: path)
    }

    /// YAML as JSON values; numbers kept exact (30000000.00 stays a decimal, not a binary float).
    static func json(_ node: Node) -> JSONValue {
        switch node {
        case .mapping(let mapping):
            var object: [String: JSONValue] = [:]
            for (key, value) in mapping { object[key.string ?? ""] = json(value) }
            return .object(object)
        case .sequence(let sequence):
            return .array(sequence.map(json))
        case .scalar(let scalar):
            // Quoted scalars are text ("2026.1"); plain ones are read as YAML reads them.
            guard scalar.style == .plain else { return .string(scalar.string) }
            if node.null != nil { return .null }
            if let flag = node.bool { return .bool(flag) }
            if node.int != nil || node.float != nil,
                let number = Decimal(string: scalar.string.replacingOccurrences(of: "_", with: ""), locale: Locale(identifier: "en_US_POSIX"))
            {
                return .number(number)
            }
            return .string(scalar.string)
        case .alias:
            return .null
        }
    }
}
