import Foundation

/// A document a reminder is about: its open part after FIFO and where it stands against its due date.
public struct DunningDocument: Sendable, Equatable, Codable {
    public var externalID: String
    public var kind: LedgerEntryKind
    public var number: String
    public var documentDate: CivilDate
    public var dueDate: CivilDate
    public var amount: String
    public var open: String
    /// Days past the due date (negative: days left until it).
    public var daysPastDue: Int
    /// The level this reminder settles for the document.
    public var level: Int
}

/// How urgent a reminder reads, from the highest level among its documents.
public enum DunningStage: String, Sendable, Codable, CaseIterable {
    /// Every document is still to come due.
    case beforeDue = "before_due"
    /// The most pressing document is due today.
    case dueToday = "due_today"
    case overdue
}

/// One reminder to one dealer: the documents that reached a level not yet sent for them, and every
/// level it settles (passing 10 days also settles an unsent 3-day level, so a dealer whose
/// reminders were paused or who was not reachable gets one letter, not a burst).
public struct DunningNotice: Sendable, Equatable {
    public struct Settled: Sendable, Equatable, Hashable {
        public var externalID: String
        public var number: String
        public var dueDate: CivilDate
        public var level: Int
        /// The document's open part in minor units when the level was reached.
        public var open: Int64
    }

    public var dealerID: UUID
    public var level: Int
    public var stage: DunningStage
    public var documents: [DunningDocument]
    public var settles: [Settled]
    /// The open part of the documents listed.
    public var listedOpen: Int64
}

/// The dunning rule: which of a dealer's open documents call for a reminder today.
public enum Dunning {
    /// The reminder `position` calls for on its date, or nil: nothing owed, every reached level
    /// already sent, or a promise to pay still running (`pausedUntil` on or after the date).
    /// `sent` holds the levels sent per document and due date (`externalID/yyyy-mm-dd`).
    public static func notice(
        dealerID: UUID, position: ReceivablesPosition, currency: Currency, levels: [Int], sent: [String: Set<Int>],
        pausedUntil: CivilDate?
    ) -> DunningNotice? {
        let today = position.asOf
        if let pausedUntil, pausedUntil >= today { return nil }
        var documents: [DunningDocument] = []
        var settles: [DunningNotice.Settled] = []
        var listedOpen: Int64 = 0
        let sortedLevels = levels.sorted()
        for document in position.openDocuments where document.open > 0 {
            let daysPastDue = today.days(since: document.dueDate)
            let reached = sortedLevels.filter { $0 <= daysPastDue }
            let already = sent[key(document.externalID, document.dueDate)] ?? []
            guard let current = reached.last, !already.contains(current) else { continue }
            documents.append(
                DunningDocument(
                    externalID: document.externalID, kind: document.kind, number: document.documentNumber, documentDate: document.documentDate,
                    dueDate: document.dueDate, amount: Money(minorUnits: document.amount, currency: currency).decimalString,
                    open: Money(minorUnits: document.open, currency: currency).decimalString, daysPastDue: daysPastDue, level: current))
            settles += reached.filter { !already.contains($0) }.map {
                DunningNotice.Settled(
                    externalID: document.externalID, number: document.documentNumber, dueDate: document.dueDate, level: $0, open: document.open)
            }
            listedOpen = listedOpen.saturating(adding: document.open)
        }
        guard let top = documents.map(\.level).max() else { return nil }
        let mostLate = documents.map(\.daysPastDue).max() ?? top
        let stage: DunningStage = mostLate > 0 ? .overdue : mostLate == 0 ? .dueToday : .beforeDue
        documents.sort { ($0.dueDate, $0.documentDate, $0.externalID) < ($1.dueDate, $1.documentDate, $1.externalID) }
        return DunningNotice(dealerID: dealerID, level: top, stage: stage, documents: documents, settles: settles, listedOpen: listedOpen)
    }

    /// How sent levels are keyed: a document whose due date the ERP moves is reminded afresh.
    public static func key(_ externalID: String, _ dueDate: CivilDate) -> String { externalID + "/" + dueDate.iso }
}
