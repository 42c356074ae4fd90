import Foundation

/// Why an act was made.
public enum ActReason: String, Sendable, Codable, CaseIterable {
    case scheduled, manual
}

/// Where an act stands: made, its event delivered, answered by the dealer — or replaced because a
/// ledger entry changed the period it covers.
public enum ActStatus: String, Sendable, Codable, CaseIterable {
    case generated, sent, confirmed, disputed, outdated
}

/// A line the dealer's figures differ on.
public struct ActDiscrepancy: Sendable, Equatable, Codable {
    public var document: String
    public var oursMinor: Int64?
    public var theirsMinor: Int64?
    public var comment: String?

    public init(document: String, oursMinor: Int64?, theirsMinor: Int64?, comment: String?) {
        self.document = document
        self.oursMinor = oursMinor
        self.theirsMinor = theirsMinor
        self.comment = comment
    }

    enum CodingKeys: String, CodingKey {
        case document, comment
        case oursMinor = "ours_minor"
        case theirsMinor = "theirs_minor"
    }
}

/// A reconciliation act as stored: immutable once made, numbered, versioned per dealer and period.
public struct ReconciliationAct: Sendable, Equatable {
    public var id: UUID
    public var number: String
    public var dealerID: UUID
    public var version: Int
    /// The version this one replaces.
    public var previousID: UUID?
    public var reason: ActReason
    public var status: ActStatus
    public var statement: ReconciliationStatement
    public var generatedAt: Date
    /// The dealer's closing balance by its own books, once it answered (signed as ours).
    public var dealerClosingMinor: Int64?
    public var discrepancies: [ActDiscrepancy]
    public var answeredAt: Date?
    public var answeredBy: String?

    public init(
        id: UUID, number: String, dealerID: UUID, version: Int, previousID: UUID?, reason: ActReason, status: ActStatus,
        statement: ReconciliationStatement, generatedAt: Date, dealerClosingMinor: Int64? = nil, discrepancies: [ActDiscrepancy] = [],
        answeredAt: Date? = nil, answeredBy: String? = nil
    ) {
        self.id = id
        self.number = number
        self.dealerID = dealerID
        self.version = version
        self.previousID = previousID
        self.reason = reason
        self.status = status
        self.statement = statement
        self.generatedAt = generatedAt
        self.dealerClosingMinor = dealerClosingMinor
        self.discrepancies = discrepancies
        self.answeredAt = answeredAt
        self.answeredBy = answeredBy
    }
}

/// Act numbers from a pattern: `{YYYY}` and `{MM}` of the period's last day, `{SEQ}` (or
/// `{SEQ:6}`, zero-padded) a counter that runs through the year: `АС-2026-10-000123`.
public struct ActNumberPattern: Sendable, Equatable {
    public var pattern: String

    public init(_ pattern: String = "АС-{YYYY}-{MM}-{SEQ:6}") {
        self.pattern = pattern
    }

    /// Nil when the pattern has no `{SEQ}`: numbers would repeat.
    public init?(checking pattern: String) {
        guard pattern.contains("{SEQ") else { return nil }
        self.init(pattern)
    }

    public func number(periodEnd: CivilDate, sequence: Int) -> String {
        var text = pattern.replacingOccurrences(of: "{YYYY}", with: periodEnd.year.zeroPadded(4))
            .replacingOccurrences(of: "{MM}", with: periodEnd.month.zeroPadded(2))
        if let range = text.range(of: #"\{SEQ(:\d+)?\}"#, options: .regularExpression) {
            let token = text[range]
            let width = token.contains(":") ? Int(token.dropFirst(5).dropLast()) ?? 1 : 1
            text.replaceSubrange(range, with: sequence.zeroPadded(width))
        }
        return text
    }
}
