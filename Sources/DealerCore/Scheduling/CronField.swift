import Foundation

/// A cron expression that cannot be used, naming the field at fault.
public struct CronError: Error, Sendable, Equatable, CustomStringConvertible {
    public var field: CronField.Kind?
    public var message: String

    public var description: String {
        guard let field else { return message }
        return "\(field.rawValue) field: \(message)"
    }
}

/// One field of a cron expression, parsed to the set of values it allows.
public struct CronField: Sendable {
    public enum Kind: String, Sendable {
        case second, minute, hour
        case dayOfMonth = "day-of-month"
        case month
        case dayOfWeek = "day-of-week"

        var range: ClosedRange<Int> {
            switch self {
            case .second, .minute: 0...59
            case .hour: 0...23
            case .dayOfMonth: 1...31
            case .month: 1...12
            case .dayOfWeek: 0...7
            }
        }

        var names: [String: Int] {
            switch self {
            case .month:
                ["JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6, "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12]
            case .dayOfWeek: ["SUN": 0, "MON": 1, "TUE": 2, "WED": 3, "THU": 4, "FRI": 5, "SAT": 6]
            default: [:]
            }
        }
    }

    var values: Set<Int>
    var includesLast: Bool
    var isWildcard: Bool

    static func parse(_ text: String, _ kind: Kind) throws(CronError) -> CronField {
        var values = Set<Int>()
        var includesLast = false
        for item in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            if item.uppercased() == "L" {
                guard kind == .dayOfMonth else { throw CronError(field: kind, message: "L (last day) is allowed in day-of-month only") }
                includesLast = true
                continue
            }
            let stepParts = item.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard stepParts.count <= 2 else { throw CronError(field: kind, message: "\"\(item)\" has more than one /") }
            var step = 1
            if stepParts.count == 2 {
                guard let value = Int(stepParts[1]), value > 0 else {
                    throw CronError(field: kind, message: "the step in \"\(item)\" must be a positive whole number")
                }
                step = value
            }
            let base = stepParts[0]
            let lower: Int
            let upper: Int
            if base == "*" {
                (lower, upper) = (kind.range.lowerBound, kind.range.upperBound)
            } else if let dash = base.firstIndex(of: "-") {
                lower = try value(String(base[..<dash]), kind, in: item)
                upper = try value(String(base[base.index(after: dash)...]), kind, in: item)
                guard lower <= upper else { throw CronError(field: kind, message: "the range \"\(item)\" runs backwards") }
            } else {
                lower = try value(base, kind, in: item)
                // `a/n` means from a to the end of the range in steps of n.
                upper = stepParts.count == 2 ? kind.range.upperBound : lower
            }
            values.formUnion(stride(from: lower, through: upper, by: step))
        }
        let wildcard = text == "*" || text == "*/1"
        if kind == .dayOfWeek && values.contains(7) { values.insert(0) }
        return CronField(values: values, includesLast: includesLast, isWildcard: wildcard)
    }

    private static func value(_ text: String, _ kind: Kind, in item: String) throws(CronError) -> Int {
        if let named = kind.names[text.uppercased()] { return named }
        guard let number = Int(text) else {
            let hint = kind.names.isEmpty ? "" : " or a name such as \(kind.names.min { $0.value < $1.value }?.key ?? "")"
            throw CronError(field: kind, message: "\"\(text)\" in \"\(item)\" is not a number\(hint)")
        }
        guard kind.range.contains(number) else {
            throw CronError(field: kind, message: "\(number) is outside \(kind.range.lowerBound)-\(kind.range.upperBound)")
        }
        return number
    }
}
